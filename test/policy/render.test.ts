import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackFile, stackFile } from "../harness/stackConfig";
import { render, writeConfigFile } from "../render/cli";

interface PolicyJson {
    stack: string;
    config: string;
    summary: { mandatory: number; advisory: number };
    violations: { policy: string; level: string; resource: string | null; message: string }[];
}

function readPolicyJson(dir: string): PolicyJson {
    return JSON.parse(fs.readFileSync(path.join(dir, "policy.json"), "utf8")) as PolicyJson;
}

describe("render runs the policy pack", function () {
    this.timeout(120000);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "render-policy-"));
    after(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("passes prod under prod.json and writes an empty policy.json", () => {
        const result = render(["--stack", "prod", "--out", outDir]);
        assert.equal(result.status, 0, result.stdout + result.stderr);
        assert.match(
            result.stdout,
            /policy: \d+ policies \(policy\/config\/prod\.json\), 0 mandatory, 0 advisory violations/,
        );
        const report = readPolicyJson(path.join(outDir, "prod"));
        assert.deepEqual(report.summary, { mandatory: 0, advisory: 0 });
        assert.equal(report.config, "policy/config/prod.json");
    });

    it("exits 1 on a mandatory violation, printing policy, level, resource and message", () => {
        const config = readStackFile(stackFile("prod"));
        const argocd = config["gitops-platform:argocd"] as Record<string, unknown>;
        config["gitops-platform:argocd"] = { ...argocd, adminEnabled: true };
        const file = writeConfigFile(path.join(outDir, "prod-admin.yaml"), config);
        const result = render(["--stack", "prod", "--config-file", file, "--out", outDir]);
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.match(
            result.stdout,
            /argocd-ha-and-admin-disabled-in-prod\s+mandatory\s+kubernetes:helm\.sh\/v3:Release::prod-argocd-release\s+The Argo CD release prod-argocd-release keeps the local admin account/,
        );
        const report = readPolicyJson(path.join(outDir, "prod"));
        assert.equal(report.summary.mandatory, 1);
        assert.equal(report.violations[0].policy, "argocd-ha-and-admin-disabled-in-prod");
    });

    it("reports advisory violations without failing, and picks the config by environment for other stack names", () => {
        const config = readStackFile(stackFile("dev"));
        config["gitops-platform:sync"] = { automated: false };
        const file = writeConfigFile(path.join(outDir, "sandbox.yaml"), config);
        const result = render(["--stack", "sandbox", "--config-file", file, "--out", outDir]);
        assert.equal(result.status, 0, result.stdout + result.stderr);
        const report = readPolicyJson(path.join(outDir, "sandbox"));
        assert.equal(report.config, "policy/config/dev.json");
        assert.equal(report.summary.mandatory, 0);
        assert.ok(report.summary.advisory > 0);
        assert.ok(
            report.violations.every(
                (v) => v.policy === "argocd-application-automated-sync" && v.level === "advisory",
            ),
        );
        assert.match(result.stdout, /argocd-application-automated-sync\s+advisory/);
    });
});
