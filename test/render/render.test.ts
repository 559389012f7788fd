import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { baseConfig, render, writeConfigFile } from "./cli";

describe("render CLI", function () {
    this.timeout(60000);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    after(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("renders dev into resources.json and one manifest per Kubernetes object, with a summary", () => {
        const result = render(["--stack", "dev", "--out", outDir]);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /Rendered stack dev: \d+ resources/);
        assert.match(result.stdout, /kubernetes:helm\.sh\/v3:Release\s+\d+/);
        const resources = JSON.parse(fs.readFileSync(path.join(outDir, "dev", "resources.json"), "utf8")) as {
            type: string;
            name: string;
        }[];
        const sorted = [...resources].sort(
            (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
        );
        assert.deepEqual(resources, sorted, "resources.json is sorted by type then name");
        const manifests = fs.readdirSync(path.join(outDir, "dev", "manifests"));
        assert.ok(manifests.includes("application-argocd-platform-root.yaml"), manifests.join(", "));
    });

    it("exits 2 on an unknown key, naming it, without a stack trace", () => {
        const file = writeConfigFile(path.join(outDir, "bad.yaml"), {
            ...baseConfig,
            "gitops-platform:argocd": { replica: 2 },
        });
        const result = render(["--stack", "dev", "--config-file", file, "--out", outDir]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /argocd\.replica: expected no such key/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });

    it("exits 2 on a wrong type", () => {
        const file = writeConfigFile(path.join(outDir, "bad-type.yaml"), {
            ...baseConfig,
            "gitops-platform:teams": "payments",
        });
        const result = render(["--stack", "dev", "--config-file", file, "--out", outDir]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /teams: expected array, got "payments"/);
    });

    it("exits 2 on bad usage", () => {
        const result = render(["--stack"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /usage/);
    });
});
