import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";

/** What every policy of this pack declares on top of CrossGuard's required fields. */
interface PackPolicyFields {
    /** kebab-case, named after what the policy checks; equal to its file name. */
    name: string;
    description: string;
    severity: Severity;
    /** How to fix a violation; every violation message repeats the relevant step. */
    remediationSteps: string;
    /** The policy's knobs, with defaults; `{ properties: {} }` when it has none. */
    configSchema: PolicyConfigSchema;
}

export type PackResourcePolicy = ResourceValidationPolicy &
    PackPolicyFields & { validateResource: ResourceValidation };
export type PackStackPolicy = StackValidationPolicy & PackPolicyFields;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export type ResourceProps = Record<string, unknown>;

/** A typed validation: gets the props of a resource whose type is one of `types`. */
export type TypedValidation = (
    props: ResourceProps,
    args: ResourceValidationArgs,
    reportViolation: ReportViolation,
) => void | Promise<void>;

/**
 * Like `validateResourceOfType`, but for type tokens rather than SDK classes (the pack depends on no
 * provider SDK). Any other type is reported as not applicable, through the same `notApplicable` throw
 * CrossGuard uses; with a single type, the token is attached for CrossGuard's fast type filter.
 */
export function validateTypes(types: readonly string[], validate: TypedValidation): ResourceValidation {
    const fn: ResourceValidation & { __pulumiType?: string } = (args, reportViolation) => {
        if (!types.includes(args.type)) {
            return args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
        }
        return validate(args.props, args, reportViolation);
    };
    if (types.length === 1) fn.__pulumiType = types[0];
    return fn;
}

/** The `environment` knob of policies whose rules depend on the environment. */
export const environmentSchema = {
    type: "string",
    description: "Environment of the stack under check (dev, staging or prod). Prod rules apply to prod.",
    default: "prod",
} as const;

/** Whether prod rules apply, per the `environment` knob (prod unless configured otherwise). */
export function isProd(config: { environment?: string }): boolean {
    return (config.environment ?? "prod") === "prod";
}
