import * as pulumi from "@pulumi/pulumi";
import { commonDefaults, environmentDefaults, mergeLayers } from "./defaults";
import { ConfigError, describeValue, formatIssues } from "./errors";
import { environments, platformConfigSchema, type Environment, type PlatformConfig } from "./schema";
import { setSecretCommand, stackSecretSpecs } from "./secrets";

/** The validated stack: typed config plus the secrets read from secret config. */
export interface LoadedStack {
    config: PlatformConfig;
    /** Secret config values by key, as secret Outputs; absent when unset. */
    secrets: Record<string, pulumi.Output<string> | undefined>;
}

/** Where the raw config comes from; tests and the render pass their own. */
export interface ConfigSource {
    project: string;
    stack: string;
    /** Full config map, `project:key` to string value, as `pulumi.runtime.allConfig()` returns it. */
    values: Record<string, string>;
    /** Whether a full key was set with `--secret`. */
    isSecret(fullKey: string): boolean;
    env: NodeJS.ProcessEnv;
}

/** `isConfigSecret` is exported by the runtime but missing from its type declarations. */
interface RuntimeSecrets {
    isConfigSecret(fullKey: string): boolean;
}

/** The config source of the running Pulumi program. */
export function pulumiConfigSource(): ConfigSource {
    return {
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        values: pulumi.runtime.allConfig(),
        isSecret: (key) => (pulumi.runtime as unknown as RuntimeSecrets).isConfigSecret(key),
        env: process.env,
    };
}

/**
 * Reads the whole stack config, applies the environment's defaults, and validates it. Throws one
 * `ConfigError` that lists every problem before any resource is registered.
 */
export function loadStack(source: ConfigSource = pulumiConfigSource()): LoadedStack {
    const prefix = `${source.project}:`;
    const clusters = source.values[`${prefix}workloadClusters`];
    const specs = stackSecretSpecs(clusters === undefined ? undefined : parseConfigValue(clusters));
    const secretKeys = new Set(specs.map((spec) => spec.key));
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(source.values)) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        if (!secretKeys.has(key)) raw[key] = parseConfigValue(value);
    }

    const environment = raw.environment ?? (isEnvironment(source.stack) ? source.stack : undefined);
    const defaults = isEnvironment(environment) ? environmentDefaults[environment] : {};
    const merged = mergeLayers(commonDefaults, defaults, { ...raw, environment });

    const problems: string[] = [];
    const parsed = platformConfigSchema.safeParse(merged, { reportInput: true });
    if (!parsed.success) {
        const stackHint = `environment: expected one of ${environments.join(" | ")} (the stack name "${source.stack}" is none of them), got nothing`;
        problems.push(
            ...formatIssues(parsed.error.issues).map((line) =>
                environment === undefined && line.startsWith("environment:") ? stackHint : line,
            ),
        );
    }

    for (const spec of specs) {
        const fullKey = `${prefix}${spec.key}`;
        const isSet = fullKey in source.values;
        if (isSet && !source.isSecret(fullKey)) {
            problems.push(
                `${spec.key}: expected a secret value, got ${describeValue("plain text")}; store it encrypted with \`${setSecretCommand(source.stack, spec.key)}\``,
            );
        } else if (!isSet && parsed.success && spec.required(parsed.data, source.env)) {
            problems.push(
                `${spec.key}: expected ${spec.description}, got nothing; set it with \`${setSecretCommand(source.stack, spec.key)}\``,
            );
        }
    }

    if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

    const config = new pulumi.Config(source.project);
    const secrets: LoadedStack["secrets"] = {};
    for (const spec of specs) {
        if (`${prefix}${spec.key}` in source.values) secrets[spec.key] = config.requireSecret(spec.key);
    }
    // A token from the environment is passed explicitly and as a secret: left to the provider SDK, it would
    // be copied into the provider's inputs unmarked.
    if (!secrets.githubToken && source.env.GITHUB_TOKEN)
        secrets.githubToken = pulumi.secret(source.env.GITHUB_TOKEN);
    return { config: parsed.data, secrets };
}

function isEnvironment(value: unknown): value is Environment {
    return typeof value === "string" && (environments as readonly string[]).includes(value);
}

/** Pulumi hands structured config over as JSON text and plain strings as they are. */
function parseConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
