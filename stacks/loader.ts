import * as pulumi from "@pulumi/pulumi";
import { commonDefaults, environmentDefaults, mergeLayers, withoutUnsetSections } from "./defaults";
import type { z } from "zod";
import { ConfigError, describeValue, formatIssues, quote } from "./errors";
import { environments, platformConfigSchema, type Environment, type PlatformConfig } from "./schema";
import { setSecretCommand, stackSecretSpecs } from "./secrets";
import { KubeconfigError, kubeconfigCredentials } from "../components/clusters/credentials";

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
    // The environment picks every default: judged first, and alone, so a bad one is one problem rather
    // than one per default it would have supplied.
    if (!isEnvironment(environment)) {
        throw new ConfigError([
            environment === undefined
                ? `environment: expected one of ${environments.join(" | ")} (the stack name ${quote(source.stack)} is none of them), got nothing`
                : `environment: expected one of ${environments.map((e) => JSON.stringify(e)).join(" | ")}, got ${describeValue(environment)}`,
            ...plainTextSecrets(source, specs),
        ]);
    }
    const defaults = environmentDefaults[environment];
    const merged = withoutUnsetSections(mergeLayers(commonDefaults, defaults, { ...raw, environment }), raw);

    const problems: string[] = [];
    const parsed = platformConfigSchema.safeParse(merged, { reportInput: true });
    if (!parsed.success) problems.push(...formatIssues(firstIssuePerKey(parsed.error.issues)));
    problems.push(...plainTextSecrets(source, specs));

    for (const spec of specs) {
        const fullKey = `${prefix}${spec.key}`;
        const isSet = fullKey in source.values;
        if (!isSet && parsed.success && spec.required(parsed.data, source.env)) {
            problems.push(
                `${spec.key}: expected ${spec.description}, got nothing; set it with \`${setSecretCommand(source.stack, spec.key)}\``,
            );
        }
    }

    if (parsed.success) problems.push(...kubeconfigProblems(parsed.data, source));

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

/**
 * Workload clusters' kubeconfigs that Argo CD cannot use (no token, an exec plugin other than EKS's, no CA),
 * named by their secret key; the message never quotes the kubeconfig.
 */
function kubeconfigProblems(config: PlatformConfig, source: ConfigSource): string[] {
    const problems: string[] = [];
    for (const cluster of config.workloadClusters) {
        const key = cluster.connection.kubeconfigSecret;
        const value = key === undefined ? undefined : source.values[`${source.project}:${key}`];
        if (key === undefined || value === undefined) continue;
        try {
            kubeconfigCredentials(value, cluster.name);
        } catch (err) {
            if (!(err instanceof KubeconfigError)) throw err;
            problems.push(`${key}: ${err.message}`);
        }
    }
    return problems;
}

/**
 * Secret keys set in plain text: `pulumi up` of this program refuses them, with the command that stores
 * them encrypted. The value itself is never shown.
 */
function plainTextSecrets(source: ConfigSource, specs: readonly { key: string }[]): string[] {
    return specs
        .filter((spec) => {
            const fullKey = `${source.project}:${spec.key}`;
            return fullKey in source.values && !source.isSecret(fullKey);
        })
        .map(
            (spec) =>
                `${spec.key}: expected a secret value, got ${describeValue("plain text")}; store it encrypted with \`${setSecretCommand(source.stack, spec.key)}\``,
        );
}

/**
 * One issue per key: the first reported, which is the key's own format check, before any cross-field check
 * that reads it. An unknown-keys issue lists several keys and is kept whole.
 */
function firstIssuePerKey(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
    const seen = new Set<string>();
    return issues.filter((issue) => {
        if (issue.code === "unrecognized_keys") return true;
        const key = JSON.stringify(issue.path);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
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
