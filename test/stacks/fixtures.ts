import { strict as assert } from "node:assert";
import { readStackFile, stackFile, type ProgramRun } from "../harness";

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

/** A child Application of the app-of-apps root, as the platform chart's values hold it. */
export interface ChildValues {
    namespace: string;
    additionalLabels: Record<string, string>;
    additionalAnnotations: Record<string, string>;
    finalizers: string[];
    project: string;
    source: {
        repoURL: string;
        chart?: string;
        targetRevision: string;
        helm?: { valuesObject: Record<string, unknown> };
    };
    destination: { server: string; namespace: string };
    syncPolicy: Record<string, unknown>;
}

/** The root Application's children (`platform-root`, its `applications` values) by name. */
export function rootChildren(run: ProgramRun): Record<string, ChildValues> {
    const root = run.resources.find(
        (r) =>
            r.inputs.kind === "Application" &&
            (r.inputs.metadata as { name: string }).name === "platform-root",
    );
    assert.ok(root, "no platform-root Application");
    const spec = root.inputs.spec as {
        source: { helm: { valuesObject: { applications: Record<string, ChildValues> } } };
    };
    return spec.source.helm.valuesObject.applications;
}
