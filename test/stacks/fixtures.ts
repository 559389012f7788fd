import { readStackFile, stackFile } from "../harness";

/** A stack file's config, deep-copied so a test can change it freely. */
export function stackConfig(stack: string): Record<string, unknown> {
    return structuredClone(readStackFile(stackFile(stack)));
}

/** A minimal valid config for a stack named `dev`. */
export function minimalConfig(): Record<string, unknown> {
    return {
        "gitops-platform:cluster": { name: "acme-dev" },
        "gitops-platform:github": { owner: "acme" },
        "gitops-platform:teams": [{ name: "payments", group: "acme:payments" }],
        "gitops-platform:apps": [{ name: "checkout", team: "payments" }],
    };
}
