/**
 * In-process CrossGuard: runs a policy pack's policies over the resources a mocked run recorded, with the
 * arguments the Pulumi engine and @pulumi/policy's analyzer server would pass, and honouring a
 * `--policy-pack-config` file the way the CLI reconciles it. Tests and the offline render use it; no
 * policy server is started, so nothing here may import `policy/index.ts`.
 *
 * Fidelity notes (what the real analyzer does, mirrored here):
 * - Resource policies get `type, props, urn, name, opts, provider?, stackTags, isType, asType, getConfig,
 *   notApplicable`; stack policies get `resources[]` (with `parent`, `dependencies`, `propertyDependencies`,
 *   `isType`, `asType`), `stackTags`, `getConfig`, `notApplicable`.
 * - `opts` is CrossGuard's `PolicyResourceOptions`: `protect, ignoreChanges, deleteBeforeReplace?, aliases,
 *   customTimeouts, additionalSecretOutputs, parent?`. It has no `retainOnDelete`, so neither does this.
 * - Props are wrapped in @pulumi/policy's unknown-checking proxy: reading a value that is unknown during
 *   preview yields an advisory "can't run during preview" diagnostic, as in `pulumi preview`.
 * - `notApplicable()` throws; the throw (and `validateResourceOfType`'s use of it) is recorded, not raised.
 * - Config: schema defaults, then `all`'s enforcement level, then each policy's entry; then the result is
 *   validated against each policy's configSchema. Unlike the CLI, a key naming no policy is an error.
 *
 * Not mirrored: remediations (the pack has none), `propertyDependencies` (the recorder does not capture
 * them, so they are empty) and default providers (resources without an explicit provider get none).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    unknownCheckingProxy,
    UnknownValueError,
    type EnforcementLevel,
    type Policies,
    type PolicyConfigSchema,
    type PolicyProviderResource,
    type PolicyResource,
    type PolicyResourceOptions,
    type ReportViolation,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type Severity,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { parse } from "yaml";
import type { RecordedResource } from "./recorder";
import { projectName, projectRoot } from "./stackConfig";

/** One entry of a `--policy-pack-config` file. */
export type PolicyConfigEntry =
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** A `--policy-pack-config` file: `{ "all": level, "<policy>": level | { enforcementLevel?, ...knobs } }`. */
export type PolicyPackConfig = Record<string, PolicyConfigEntry>;

/** A policy's effective level and knobs after reconciling defaults and a config file. */
export interface ReconciledPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface PolicyViolation {
    policy: string;
    /** `remediate` is reported as mandatory, like CrossGuard does. */
    level: "advisory" | "mandatory";
    severity?: Severity;
    /** URN of the resource in violation; undefined for a violation of the stack as a whole. */
    urn?: string;
    /** `"<type>::<name>"` of that resource, as in resources.json. */
    resource?: string;
    /** What the policy reported (CrossGuard shows it after the policy's description). */
    message: string;
    description: string;
}

export interface NotApplicable {
    policy: string;
    /** The resource, for resource policies. */
    resource?: string;
    reason?: string;
}

export interface PolicyReport {
    violations: PolicyViolation[];
    notApplicable: NotApplicable[];
    config: Map<string, ReconciledPolicyConfig>;
}

export interface BridgeOptions {
    stack: string;
    /** Default: this project's name. */
    project?: string;
    /** The env's `--policy-pack-config` contents. Default: none (each policy's own level and defaults). */
    config?: PolicyPackConfig;
    /** The PolicyPack's `enforcementLevel`; CrossGuard's default is advisory. */
    packEnforcementLevel?: EnforcementLevel;
    /** Default: the tags the CLI derives from Pulumi.yaml (`pulumi:project`, `pulumi:runtime`, ...). */
    stackTags?: Record<string, string>;
}

const enforcementLevels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (enforcementLevels as readonly string[]).includes(value);
}

/** What `notApplicable()` throws; the analyzer's own class is internal, so the bridge has its own. */
export class PolicyNotApplicableError extends Error {
    constructor(public readonly reason?: string) {
        super(reason ?? "Policy does not apply");
        this.name = "PolicyNotApplicableError";
    }
}

function throwNotApplicable(reason?: string): never {
    throw new PolicyNotApplicableError(reason);
}

function isResourcePolicy(policy: Policies[number]): policy is ResourceValidationPolicy {
    return !("validateStack" in policy);
}

function isStackPolicy(policy: Policies[number]): policy is StackValidationPolicy {
    return "validateStack" in policy && typeof policy.validateStack === "function";
}

/** The type token `validateResourceOfType` (and the pack's `validateTypes`) attach for fast filtering. */
function pulumiTypeOf(value: unknown): string | undefined {
    const type = (value as { __pulumiType?: unknown } | null | undefined)?.__pulumiType;
    return typeof type === "string" && type.length > 0 ? type : undefined;
}

/** The analyzer's `isTypeOf`: the class's type token, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = pulumiTypeOf(resourceClass);
    if (token) return type === token;
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

// ---------------------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------------------

type Schema = Record<string, unknown>;

const supportedKeywords = new Set([
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "required",
    "additionalProperties",
    "description",
    "default",
]);

function typeMatches(value: unknown, type: string): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "integer":
            return typeof value === "number" && Number.isInteger(value);
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        case "null":
            return value === null;
        default:
            throw new Error(`unsupported JSON schema type "${type}"`);
    }
}

/**
 * Validates a value against the JSON-schema subset policy configSchemas use (the CLI uses a full
 * validator; the pack's own test checks that its schemas stay within this subset). Returns problems.
 */
export function validateJsonSchema(value: unknown, schema: Schema, where: string): string[] {
    for (const keyword of Object.keys(schema)) {
        if (!supportedKeywords.has(keyword)) {
            throw new Error(`${where}: unsupported JSON schema keyword "${keyword}"`);
        }
    }
    const problems: string[] = [];
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
        if (!types.some((type) => typeMatches(value, type))) {
            return [`${where}: expected ${types.join(" or ")}, got ${JSON.stringify(value)}`];
        }
    }
    if (
        Array.isArray(schema.enum) &&
        !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))
    ) {
        problems.push(
            `${where}: expected one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}`,
        );
    }
    if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
        problems.push(`${where}: expected ${JSON.stringify(schema.const)}`);
    }
    if (typeof value === "number") {
        if (typeof schema.minimum === "number" && value < schema.minimum)
            problems.push(`${where}: below ${schema.minimum}`);
        if (typeof schema.maximum === "number" && value > schema.maximum)
            problems.push(`${where}: above ${schema.maximum}`);
        if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
            problems.push(`${where}: not above ${schema.exclusiveMinimum}`);
        }
        if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) {
            problems.push(`${where}: not below ${schema.exclusiveMaximum}`);
        }
    }
    if (typeof value === "string") {
        if (typeof schema.minLength === "number" && value.length < schema.minLength)
            problems.push(`${where}: too short`);
        if (typeof schema.maxLength === "number" && value.length > schema.maxLength)
            problems.push(`${where}: too long`);
        if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
            problems.push(`${where}: does not match ${schema.pattern}`);
        }
    }
    if (Array.isArray(value)) {
        if (typeof schema.minItems === "number" && value.length < schema.minItems)
            problems.push(`${where}: too few items`);
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
            problems.push(`${where}: too many items`);
        if (
            schema.uniqueItems === true &&
            new Set(value.map((v) => JSON.stringify(v))).size !== value.length
        ) {
            problems.push(`${where}: items are not unique`);
        }
        if (typeof schema.items === "object" && schema.items !== null && !Array.isArray(schema.items)) {
            value.forEach((item, index) =>
                problems.push(...validateJsonSchema(item, schema.items as Schema, `${where}[${index}]`)),
            );
        }
    }
    if (typeMatches(value, "object")) {
        const record = value as Record<string, unknown>;
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        for (const key of (schema.required ?? []) as string[]) {
            if (!(key in record)) problems.push(`${where}: ${key} is required`);
        }
        for (const [key, item] of Object.entries(record)) {
            if (key in properties)
                problems.push(...validateJsonSchema(item, properties[key], `${where}.${key}`));
            else if (schema.additionalProperties === false)
                problems.push(`${where}: unknown property ${key}`);
            else if (
                typeof schema.additionalProperties === "object" &&
                schema.additionalProperties !== null
            ) {
                problems.push(
                    ...validateJsonSchema(item, schema.additionalProperties as Schema, `${where}.${key}`),
                );
            }
        }
    }
    return problems;
}

/** A policy's config as JSON schema: an object with its properties, as the CLI builds it. */
function configJsonSchema(schema: PolicyConfigSchema | undefined): Schema {
    return {
        type: "object",
        ...(schema && Object.keys(schema.properties).length > 0 ? { properties: schema.properties } : {}),
        ...(schema?.required?.length ? { required: schema.required } : {}),
    };
}

/** Splits one config entry into its enforcement level and knobs, or throws naming the problem. */
function parseEntry(
    key: string,
    entry: unknown,
): { level?: EnforcementLevel; properties: Record<string, unknown> } {
    if (typeof entry === "string") {
        if (!isEnforcementLevel(entry))
            throw new Error(`${key}: "${entry}" is not a valid enforcement level`);
        return { level: entry, properties: {} };
    }
    if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
        const { enforcementLevel, ...properties } = entry as Record<string, unknown>;
        if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
            throw new Error(`${key}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
        }
        return { level: enforcementLevel, properties };
    }
    throw new Error(`${key}: ${JSON.stringify(entry)} is not a valid value; must be a string or object`);
}

/**
 * Reconciles a `--policy-pack-config` file with the policies, as the CLI does: schema defaults and each
 * policy's (or the pack's) level first, then `all`'s level, then each policy's own entry; then validates
 * every policy's knobs against its configSchema. Throws one error listing every problem.
 */
export function reconcilePolicyConfig(
    policies: Policies,
    config: PolicyPackConfig = {},
    packEnforcementLevel: EnforcementLevel = "advisory",
): Map<string, ReconciledPolicyConfig> {
    const result = new Map<string, ReconciledPolicyConfig>();
    for (const policy of policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (typeof schema === "object" && "default" in schema)
                properties[key] = structuredClone(schema.default);
        }
        result.set(policy.name, {
            enforcementLevel: policy.enforcementLevel ?? packEnforcementLevel,
            properties,
        });
    }
    const problems: string[] = [];
    const entries = Object.entries(config);
    const all = entries.find(([key]) => key === "all");
    if (all) {
        try {
            const { level } = parseEntry("all", all[1]);
            if (level) for (const reconciled of result.values()) reconciled.enforcementLevel = level;
        } catch (err) {
            problems.push((err as Error).message);
        }
    }
    for (const [key, entry] of entries) {
        if (key === "all") continue;
        const reconciled = result.get(key);
        if (!reconciled) {
            problems.push(`${key}: no policy of that name in the pack (misspelt?)`);
            continue;
        }
        try {
            const { level, properties } = parseEntry(key, entry);
            if (level) reconciled.enforcementLevel = level;
            Object.assign(reconciled.properties, structuredClone(properties));
        } catch (err) {
            problems.push((err as Error).message);
        }
    }
    for (const policy of policies) {
        const reconciled = result.get(policy.name);
        if (!reconciled) continue;
        problems.push(
            ...validateJsonSchema(reconciled.properties, configJsonSchema(policy.configSchema), policy.name),
        );
    }
    if (problems.length > 0) throw new Error(`invalid policy pack config:\n  - ${problems.join("\n  - ")}`);
    return result;
}

/** The config file for a stack: `policy/config/<stack>.json`, else `<environment>.json`, else `dev.json`. */
export function policyConfigFile(stack: string, environment?: string): string {
    const dir = path.join(projectRoot, "policy", "config");
    const candidates = [stack, environment, "dev"].filter((name): name is string => Boolean(name));
    const found = candidates
        .map((name) => path.join(dir, `${name}.json`))
        .find((file) => fs.existsSync(file));
    return found ?? path.join(dir, "dev.json");
}

/** Reads a `--policy-pack-config` JSON file. */
export function readPolicyConfig(file: string): PolicyPackConfig {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${file}: a policy pack config is a JSON object`);
    }
    return parsed as PolicyPackConfig;
}

/** The stack tags the CLI derives from Pulumi.yaml: project, runtime, description, and `pulumi:tags`. */
export function projectStackTags(project = projectName): Record<string, string> {
    const file = path.join(projectRoot, "Pulumi.yaml");
    const doc = (fs.existsSync(file) ? parse(fs.readFileSync(file, "utf8")) : {}) as {
        runtime?: string | { name?: string };
        description?: string;
        config?: Record<string, { value?: Record<string, string> } | undefined>;
    };
    const runtime = typeof doc.runtime === "string" ? doc.runtime : doc.runtime?.name;
    return {
        "pulumi:project": project,
        ...(runtime ? { "pulumi:runtime": runtime } : {}),
        ...(doc.description ? { "pulumi:description": doc.description } : {}),
        ...(doc.config?.["pulumi:tags"]?.value ?? {}),
    };
}

/** A read-only map, as the analyzer hands policies `stackTags`. */
function frozenMap(tags: Record<string, string>): ReadonlyMap<string, string> {
    const map = new Map(Object.entries(tags));
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    });
}

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

/** A recorded resource as the engine describes it to analyzers. */
export interface BridgedResource {
    /** `"<type>::<name>"`, as the recorder and resources.json name it. */
    ref: string;
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    opts: PolicyResourceOptions;
    /** Refs of the provider and of every dependency. */
    providerRef?: string;
    dependencyRefs: string[];
}

const stackType = "pulumi:pulumi:Stack";

/**
 * URNs, options and providers for recorded resources, plus the root stack resource every real run has.
 * A URN's type is the chain of its ancestors' types joined with `$`, the root stack excluded.
 */
export function bridgeResources(
    recorded: RecordedResource[],
    stack: string,
    project = projectName,
): BridgedResource[] {
    const stackName = `${project}-${stack}`;
    const stackUrn = `urn:pulumi:${stack}::${project}::${stackType}::${stackName}`;
    const byRef = new Map(recorded.map((r) => [`${r.type}::${r.name}`, r]));
    const qualified = new Map<string, string>();
    const qualifiedType = (resource: RecordedResource, seen: Set<string> = new Set()): string => {
        const ref = `${resource.type}::${resource.name}`;
        const cached = qualified.get(ref);
        if (cached) return cached;
        if (seen.has(ref)) throw new Error(`parent cycle at ${ref}`);
        seen.add(ref);
        const parent = resource.parent ? byRef.get(resource.parent) : undefined;
        const type = parent ? `${qualifiedType(parent, seen)}$${resource.type}` : resource.type;
        qualified.set(ref, type);
        return type;
    };
    const urnOf = (resource: RecordedResource): string =>
        `urn:pulumi:${stack}::${project}::${qualifiedType(resource)}::${resource.name}`;
    const root: BridgedResource = {
        ref: `${stackType}::${stackName}`,
        type: stackType,
        name: stackName,
        urn: stackUrn,
        props: {},
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        dependencyRefs: [],
    };
    return [
        root,
        ...recorded.map((resource) => {
            const parent = resource.parent ? byRef.get(resource.parent) : undefined;
            const opts: PolicyResourceOptions = {
                protect: resource.opts.protect,
                ignoreChanges: [...resource.opts.ignoreChanges],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [...resource.opts.additionalSecretOutputs],
                parent: parent ? urnOf(parent) : stackUrn,
            };
            // The analyzer sets deleteBeforeReplace only when the program set it.
            if (resource.opts.deleteBeforeReplace) opts.deleteBeforeReplace = true;
            return {
                ref: `${resource.type}::${resource.name}`,
                type: resource.type,
                name: resource.name,
                urn: urnOf(resource),
                props: resource.inputs,
                opts,
                providerRef: resource.opts.provider ?? undefined,
                dependencyRefs: resource.opts.dependencies.filter((ref) => byRef.has(ref)),
            };
        }),
    ];
}

// ---------------------------------------------------------------------------------------------------
// Running the policies
// ---------------------------------------------------------------------------------------------------

/** A fresh, proxied copy of a resource's props: policies can neither see unknowns silently nor mutate state. */
function proxiedProps(props: Record<string, unknown>): Record<string, unknown> {
    return unknownCheckingProxy(structuredClone(props)) as Record<string, unknown>;
}

/** What a policy sees of a resource, in a resource policy's arguments and in a stack policy's list alike. */
function policyView(
    resource: BridgedResource,
    byRef: Map<string, BridgedResource>,
): Pick<PolicyResource, "type" | "props" | "urn" | "name" | "opts" | "isType" | "asType" | "provider"> {
    const props = proxiedProps(resource.props);
    const view: ReturnType<typeof policyView> = {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: structuredClone(resource.opts),
        isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
        asType: ((resourceClass: unknown) =>
            isTypeOf(resource.type, resourceClass) ? props : undefined) as PolicyResource["asType"],
    };
    const provider = providerOf(resource, byRef);
    if (provider) view.provider = provider;
    return view;
}

function providerOf(
    resource: BridgedResource,
    byRef: Map<string, BridgedResource>,
): PolicyProviderResource | undefined {
    const provider = resource.providerRef ? byRef.get(resource.providerRef) : undefined;
    if (!provider) return undefined;
    return {
        type: provider.type,
        props: structuredClone(provider.props),
        urn: provider.urn,
        name: provider.name,
    };
}

/**
 * Runs every resource policy on every resource and every stack policy on the stack, at the levels the
 * config sets. Violations of disabled policies are never produced; `remediate` counts as mandatory.
 */
export async function runPolicyPack(
    policies: Policies,
    recorded: RecordedResource[],
    options: BridgeOptions,
): Promise<PolicyReport> {
    const config = reconcilePolicyConfig(policies, options.config, options.packEnforcementLevel);
    const stackTags = frozenMap(options.stackTags ?? projectStackTags(options.project));
    const resources = bridgeResources(recorded, options.stack, options.project);
    const byRef = new Map(resources.map((r) => [r.ref, r]));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const violations: PolicyViolation[] = [];
    const notApplicable: NotApplicable[] = [];

    // The level a policy reports at, or undefined when disabled; remediation reports as mandatory here.
    const levelOf = (name: string): "advisory" | "mandatory" | undefined => {
        const level: EnforcementLevel = config.get(name)?.enforcementLevel ?? "advisory";
        if (level === "disabled") return undefined;
        return level === "remediate" ? "mandatory" : level;
    };
    const getConfigOf =
        (name: string) =>
        <T extends object>(): T =>
            structuredClone(config.get(name)?.properties ?? {}) as T;
    const reporter =
        (policy: Policies[number], level: "advisory" | "mandatory", fixedUrn?: string): ReportViolation =>
        (message: string, urn?: string) => {
            const target = fixedUrn ?? urn;
            violations.push({
                policy: policy.name,
                level,
                severity: policy.severity,
                urn: target,
                resource: target ? byUrn.get(target)?.ref : undefined,
                message: message ?? "",
                description: policy.description,
            });
        };
    const handle = (err: unknown, policy: Policies[number], where: string, urn?: string): void => {
        if (err instanceof PolicyNotApplicableError) {
            notApplicable.push({
                policy: policy.name,
                resource: urn ? byUrn.get(urn)?.ref : undefined,
                reason: err.reason,
            });
        } else if (err instanceof UnknownValueError) {
            violations.push({
                policy: policy.name,
                level: "advisory",
                severity: policy.severity,
                urn,
                resource: urn ? byUrn.get(urn)?.ref : undefined,
                message: `can't run policy '${policy.name}' during preview: ${(err as Error).message}`,
                description: policy.description,
            });
        } else {
            const error = new Error(
                `Error validating ${where} with policy '${policy.name}': ${(err as Error).message}`,
            );
            (error as Error & { cause?: unknown }).cause = err;
            throw error;
        }
    };

    for (const resource of resources) {
        for (const policy of policies) {
            if (!isResourcePolicy(policy)) continue;
            const level = levelOf(policy.name);
            if (!level) continue;
            if (!policy.validateResource) {
                notApplicable.push({
                    policy: policy.name,
                    resource: resource.ref,
                    reason: "Policy does not implement validateResource",
                });
                continue;
            }
            const validations = Array.isArray(policy.validateResource)
                ? policy.validateResource
                : [policy.validateResource];
            const fastType = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
            if (fastType && fastType !== resource.type) {
                notApplicable.push({
                    policy: policy.name,
                    resource: resource.ref,
                    reason: `Policy only applies to resources of type '${fastType}'`,
                });
                continue;
            }
            const report = reporter(policy, level, resource.urn);
            for (const validation of validations) {
                const view = policyView(resource, byRef);
                const args: ResourceValidationArgs = {
                    ...view,
                    // The same function; the two interfaces type its result differently.
                    asType: view.asType as unknown as ResourceValidationArgs["asType"],
                    stackTags,
                    getConfig: getConfigOf(policy.name),
                    notApplicable: throwNotApplicable,
                };
                try {
                    await validation(args, report);
                } catch (err) {
                    handle(err, policy, resource.ref, resource.urn);
                }
            }
        }
    }

    for (const policy of policies) {
        if (!isStackPolicy(policy)) continue;
        const level = levelOf(policy.name);
        if (!level) continue;
        const fastType = pulumiTypeOf(policy.validateStack);
        if (fastType && !resources.some((r) => r.type === fastType)) {
            notApplicable.push({
                policy: policy.name,
                reason: `Policy only applies to resources of type '${fastType}'`,
            });
            continue;
        }
        const policyResources = new Map<string, PolicyResource>();
        for (const resource of resources) {
            policyResources.set(resource.ref, {
                ...policyView(resource, byRef),
                dependencies: [],
                propertyDependencies: {},
            });
        }
        for (const resource of resources) {
            const entry = policyResources.get(resource.ref) as PolicyResource;
            const parentRef = resource.opts.parent ? byUrn.get(resource.opts.parent)?.ref : undefined;
            const parent = parentRef ? policyResources.get(parentRef) : undefined;
            if (parent) entry.parent = parent;
            entry.dependencies = resource.dependencyRefs
                .map((ref) => policyResources.get(ref))
                .filter((dep): dep is PolicyResource => dep !== undefined);
        }
        const args: StackValidationArgs = {
            resources: [...policyResources.values()],
            getConfig: getConfigOf(policy.name),
            stackTags,
            notApplicable: throwNotApplicable,
        };
        try {
            await policy.validateStack(args, reporter(policy, level));
        } catch (err) {
            handle(err, policy, "the stack");
        }
    }

    return { violations: sortViolations(violations), notApplicable, config };
}

/** Violations in a stable order: mandatory first, then by policy, resource and message. */
export function sortViolations(violations: PolicyViolation[]): PolicyViolation[] {
    const rank = (v: PolicyViolation): number => (v.level === "mandatory" ? 0 : 1);
    return [...violations].sort(
        (a, b) =>
            rank(a) - rank(b) ||
            a.policy.localeCompare(b.policy) ||
            (a.resource ?? "").localeCompare(b.resource ?? "") ||
            a.message.localeCompare(b.message),
    );
}

/** The mandatory violations of a report: those block a `pulumi preview`/`up`. */
export function mandatoryViolations(report: Pick<PolicyReport, "violations">): PolicyViolation[] {
    return report.violations.filter((v) => v.level === "mandatory");
}
