import type { PackPolicy } from "../../policy/policies";
import { runPolicyPack, type PolicyReport } from "../harness/policyBridge";
import { recorded, type TestResource } from "./baselines";

/**
 * Runs one policy through the bridge, at mandatory level with the given knobs, over some resources: the
 * same path the stack tests and the render take.
 */
export function check(
    policy: PackPolicy,
    resources: TestResource[],
    knobs: Record<string, unknown> = {},
    stack = "prod",
): Promise<PolicyReport> {
    return runPolicyPack([policy], resources.map(recorded), {
        stack,
        config: { all: "mandatory", [policy.name]: knobs },
        stackTags: {},
    });
}

/** The messages a policy reports for some resources. */
export async function messages(
    policy: PackPolicy,
    resources: TestResource[],
    knobs: Record<string, unknown> = {},
): Promise<string[]> {
    return (await check(policy, resources, knobs)).violations.map((v) => v.message);
}

/** Whether the policy ran on a resource (rather than declaring itself not applicable to it). */
export async function applies(
    policy: PackPolicy,
    resource: TestResource,
    knobs: Record<string, unknown> = {},
): Promise<boolean> {
    const report = await check(policy, [resource], knobs);
    return !report.notApplicable.some((na) => na.resource === `${resource.type}::${resource.name}`);
}
