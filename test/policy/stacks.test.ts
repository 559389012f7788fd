import { strict as assert } from "node:assert";
import * as path from "node:path";
import { packEnforcementLevel, policies } from "../../policy/policies";
import {
    mandatoryViolations,
    policyConfigFile,
    readPolicyConfig,
    runPolicyPack,
    type PolicyReport,
    type PolicyViolation,
} from "../harness/policyBridge";
import { runPlatform, type ProgramRun } from "../harness/run";
import { readStackFile, stackFile } from "../harness/stackConfig";

function describeViolations(violations: PolicyViolation[]): string {
    return violations
        .map((v) => `  ${v.level} ${v.policy} ${v.resource ?? "(stack)"}: ${v.message}`)
        .join("\n");
}

describe("policy pack on the real stacks", function () {
    this.timeout(60000);
    const runs = new Map<string, ProgramRun>();
    const reports = new Map<string, PolicyReport>();

    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const run = await runPlatform(stack, readStackFile(stackFile(stack)));
            runs.set(stack, run);
            reports.set(
                stack,
                await runPolicyPack(policies, run.resources, {
                    stack,
                    config: readPolicyConfig(policyConfigFile(stack)),
                    packEnforcementLevel,
                }),
            );
        }
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: has 0 mandatory violations under policy/config/${stack}.json`, () => {
            const mandatory = mandatoryViolations(reports.get(stack) as PolicyReport);
            assert.equal(mandatory.length, 0, `mandatory violations:\n${describeViolations(mandatory)}`);
        });

        it(`${stack}: every Argo CD object and the Argo CD release are really checked`, () => {
            const report = reports.get(stack) as PolicyReport;
            const run = runs.get(stack) as ProgramRun;
            const checked = (policy: string, type: string): number =>
                run.resources.filter(
                    (r) =>
                        r.type === type &&
                        !report.notApplicable.some(
                            (na) => na.policy === policy && na.resource === `${r.type}::${r.name}`,
                        ),
                ).length;
            for (const type of [
                "kubernetes:argoproj.io/v1alpha1:Application",
                "kubernetes:argoproj.io/v1alpha1:ApplicationSet",
            ]) {
                const total = run.resources.filter((r) => r.type === type).length;
                assert.ok(total > 0, `the ${stack} stack declares no ${type}`);
                assert.equal(checked("argocd-application-target-revision-pinned", type), total, type);
            }
            assert.equal(checked("argocd-chart-pinned", "kubernetes:helm.sh/v3:Release"), 1);
        });
    }

    it("prod's own rules are checked on prod: the data-loss guard and HA policies run there", () => {
        const report = reports.get("prod") as PolicyReport;
        const notApplicable = report.notApplicable.filter((na) =>
            /only applies in prod/.test(na.reason ?? ""),
        );
        assert.deepEqual(notApplicable, []);
        assert.ok(!report.notApplicable.some((na) => na.policy === "prod-data-loss-protection"));
    });

    it("the dev stack would fail prod's enforcement config (so the stack test can fail)", async () => {
        const report = await runPolicyPack(policies, (runs.get("dev") as ProgramRun).resources, {
            stack: "dev",
            config: readPolicyConfig(policyConfigFile("prod")),
            packEnforcementLevel,
        });
        const failing = new Set(mandatoryViolations(report).map((v) => v.policy));
        for (const policy of [
            "argocd-ha-and-admin-disabled-in-prod",
            "argocd-application-no-cascade-finalizer-in-prod",
            "prod-data-loss-protection",
        ]) {
            assert.ok(
                failing.has(policy),
                `${policy} should fail dev under prod rules; got ${[...failing].join(", ")}`,
            );
        }
    });

    it("picks policy/config/<stack>.json, then the environment's, then dev.json", () => {
        const dir = path.join("policy", "config");
        assert.ok(policyConfigFile("prod").endsWith(path.join(dir, "prod.json")));
        assert.ok(policyConfigFile("prod-eu", "prod").endsWith(path.join(dir, "prod.json")));
        assert.ok(policyConfigFile("sandbox").endsWith(path.join(dir, "dev.json")));
    });

    it("prod: the workload, availability and secret policies check the app manifests written to the GitOps repository", () => {
        const manifests = runs
            .get("prod")!
            .resources.filter((r) =>
                /^apps\/[^/]+\/platform\/prod\/manifests\.yaml$/.test(String(r.inputs.file)),
            )
            .map((r) => `${r.type}::${r.name}`);
        assert.equal(manifests.length, 3, manifests.join(", "));
        const skipped = reports
            .get("prod")!
            .notApplicable.filter((na) =>
                /^k8s-(workload-(resources|probes)-set|app-availability-in-prod|gitops-no-plain-secrets)$/.test(
                    na.policy,
                ),
            )
            .map((na) => na.resource);
        for (const manifest of manifests)
            assert.ok(!skipped.includes(manifest), `${manifest} was not checked`);
    });
});
