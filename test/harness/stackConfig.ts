import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { secretPlaceholder, stackSecretSpecs } from "../../stacks/secrets";

export const projectName = "gitops-platform";
export const projectRoot = path.resolve(__dirname, "..", "..");

/** Config as the runtime sees it: full keys to strings, plus which keys are secret. */
export interface MockConfig {
    values: Record<string, string>;
    secretKeys: string[];
    /** Secret keys the platform reads that the stack file does not set. */
    missingSecrets: string[];
}

/** Reads a `Pulumi.<stack>.yaml`-shaped file's `config:` map. */
export function readStackFile(file: string): Record<string, unknown> {
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return document?.config ?? {};
}

/** The stack file of a stack in this project. */
export function stackFile(stack: string): string {
    return path.join(projectRoot, `Pulumi.${stack}.yaml`);
}

/**
 * Turns a stack file's config into mock runtime config. Every secret, whether encrypted (`secure:`),
 * a known secret key given in plain text, or missing, becomes a placeholder: the mock run never sees
 * a real secret value.
 */
export function toMockConfig(
    config: Record<string, unknown>,
    options: { fillMissingSecrets: boolean },
): MockConfig {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const clusters = config[`${projectName}:workloadClusters`] ?? config.workloadClusters;
    const known = new Set(stackSecretSpecs(clusters).map((spec) => `${projectName}:${spec.key}`));
    for (const [key, value] of Object.entries(config)) {
        const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
        const isSecure = typeof value === "object" && value !== null && "secure" in value;
        if (isSecure || known.has(fullKey)) {
            values[fullKey] = secretPlaceholder(fullKey.split(":").pop() ?? fullKey);
            secretKeys.push(fullKey);
        } else {
            values[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    const missingSecrets = [...known].filter((key) => !(key in values));
    if (options.fillMissingSecrets) {
        for (const key of missingSecrets) {
            values[key] = secretPlaceholder(key.split(":").pop() ?? key);
            secretKeys.push(key);
        }
    }
    return { values, secretKeys: secretKeys.sort(), missingSecrets };
}
