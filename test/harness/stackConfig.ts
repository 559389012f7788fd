import * as fs from "node:fs";
import * as path from "node:path";
import { secretPlaceholder, stackSecretSpecs } from "../../stacks/secrets";
import { parseStackFile } from "../../stacks/stackFile";

export const projectName = "gitops-platform";
export const projectRoot = path.resolve(__dirname, "..", "..");

/** Config as the runtime sees it: full keys to strings, plus which keys are secret. */
export interface MockConfig {
    values: Record<string, string>;
    secretKeys: string[];
    /** Secret keys the platform reads that the stack file does not set. */
    missingSecrets: string[];
}

/**
 * Reads a `Pulumi.<stack>.yaml`-shaped file's `config:` map as `pulumi` would; an unparsable or wrongly
 * shaped file throws a `ConfigError` with `file:line:column` (see `stacks/stackFile.ts`).
 */
export function readStackFile(file: string): Record<string, unknown> {
    return parseStackFile(fs.readFileSync(file, "utf8"), file, projectName);
}

/** The stack file of a stack in this project. */
export function stackFile(stack: string): string {
    return path.join(projectRoot, `Pulumi.${stack}.yaml`);
}

/**
 * Turns a stack file's config into mock runtime config. Every secret, whether encrypted (`secure:`),
 * a known secret key given in plain text, or missing, becomes a placeholder: the mock run never sees
 * a real secret value. A known secret key given in plain text stays plain (not marked secret), as the
 * CLI hands it over, so the program refuses it as it does under `pulumi up`.
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
            if (isSecure) secretKeys.push(fullKey);
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
