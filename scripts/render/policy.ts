import * as fs from "node:fs";
import * as path from "node:path";
import { packEnforcementLevel, policies, policyPackName } from "../../policy/policies";
import {
    mandatoryViolations,
    policyConfigFile,
    readPolicyConfig,
    runPolicyPack,
    type PolicyViolation,
} from "../../test/harness/policyBridge";
import type { RecordedResource } from "../../test/harness/recorder";
import { projectRoot } from "../../test/harness/stackConfig";
import { table } from "./summary";

/** The policy pack's verdict on a render. */
export interface PolicyCheck {
    stack: string;
    /** The `--policy-pack-config` file used, relative to the project. */
    config: string;
    violations: PolicyViolation[];
    mandatory: PolicyViolation[];
}

/**
 * Runs the policy pack in-process on the rendered resources, with `policy/config/<stack>.json` (else the
 * config of the stack's environment, else dev.json), as `pulumi preview --policy-pack policy` would.
 */
export async function checkPolicies(
    stack: string,
    environment: string,
    resources: RecordedResource[],
): Promise<PolicyCheck> {
    const file = policyConfigFile(stack, environment);
    const report = await runPolicyPack(policies, resources, {
        stack,
        config: readPolicyConfig(file),
        packEnforcementLevel,
    });
    return {
        stack,
        config: path.relative(projectRoot, file).split(path.sep).join("/"),
        violations: report.violations,
        mandatory: mandatoryViolations(report),
    };
}

/** Writes `policy.json` (deterministic: sorted, no timings) into the stack's render dir; returns its name. */
export function writePolicyReport(dir: string, check: PolicyCheck): string {
    const body = {
        stack: check.stack,
        policyPack: policyPackName,
        config: check.config,
        summary: {
            mandatory: check.mandatory.length,
            advisory: check.violations.length - check.mandatory.length,
        },
        violations: check.violations.map((v) => ({
            policy: v.policy,
            level: v.level,
            severity: v.severity ?? null,
            resource: v.resource ?? null,
            message: v.message,
        })),
    };
    fs.writeFileSync(path.join(dir, "policy.json"), JSON.stringify(body, null, 2) + "\n");
    return "policy.json";
}

/** The summary's policy lines: a count, then one row per violation (policy, level, resource, message). */
export function policyLines(check: PolicyCheck): string[] {
    const advisory = check.violations.length - check.mandatory.length;
    const head = `policy: ${policies.length} policies (${check.config}), ${check.mandatory.length} mandatory, ${advisory} advisory violations`;
    if (check.violations.length === 0) return [head];
    const rows = [
        ["POLICY", "LEVEL", "RESOURCE", "MESSAGE"],
        ...check.violations.map((v) => [
            v.policy,
            v.level,
            v.resource ?? "(stack)",
            v.message.replace(/\s+/g, " "),
        ]),
    ];
    return [
        head,
        ...table(rows)
            .split("\n")
            .map((line) => `  ${line}`),
    ];
}
