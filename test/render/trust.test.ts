import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackSecretSpecs } from "../../stacks/secrets";
import { readStackFile, runPlatform, stackFile } from "../harness";
import { render, writeConfigFile } from "./cli";

/** Every file under a directory, with its content. */
function readTree(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        files.set(path.relative(dir, file), fs.readFileSync(file, "utf8"));
    }
    return files;
}

describe("render trust", function () {
    this.timeout(90000);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "trust-"));
    after(() => fs.rmSync(outDir, { recursive: true, force: true }));

    it("renders the same stack twice byte for byte", () => {
        const first = path.join(outDir, "first");
        const second = path.join(outDir, "second");
        assert.equal(render(["--stack", "prod", "--out", first]).status, 0);
        assert.equal(render(["--stack", "prod", "--out", second]).status, 0);
        const a = readTree(path.join(first, "prod"));
        const b = readTree(path.join(second, "prod"));
        assert.ok(a.size > 5);
        assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
        for (const [file, content] of a)
            assert.equal(b.get(file), content, `${file} differs between renders`);
    });

    it("refuses secrets given in plain text in a config file, as pulumi up does, and never shows them", () => {
        const config = readStackFile(stackFile("prod"));
        const specs = stackSecretSpecs(config["gitops-platform:workloadClusters"]);
        assert.ok(
            specs.some((spec) => spec.key === "prodEuKubeconfig"),
            "prod names a kubeconfig secret",
        );
        const planted = specs.map((spec, i) => [spec.key, `planted-secret-${i}-${spec.key}-x9`] as const);
        for (const [key, value] of planted) config[`gitops-platform:${key}`] = value;
        const file = writeConfigFile(path.join(outDir, "plain-secrets.yaml"), config);
        const result = render(["--stack", "prod", "--config-file", file, "--out", path.join(outDir, "leak")]);
        assert.equal(result.status, 2, result.stderr);
        assert.equal(fs.existsSync(path.join(outDir, "leak", "prod")), false, "the render wrote output");
        const everything = `${result.stdout}\n${result.stderr}`;
        for (const [key, value] of planted) {
            assert.ok(!everything.includes(value), `the value of ${key} leaked`);
            assert.ok(
                everything.includes(
                    `${key}: expected a secret value, got "plain text"; store it encrypted with \`pulumi config set --secret --stack prod ${key} <value>\``,
                ),
                `${key} is not refused with the command that fixes it`,
            );
        }
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: secretInputs lists exactly the inputs that carry a secret`, async () => {
            const run = await runPlatform(stack, readStackFile(stackFile(stack)));
            for (const resource of run.resources) {
                const carrying = Object.entries(resource.inputs)
                    .filter(([, value]) => JSON.stringify(value ?? null).includes("«secret:"))
                    .map(([key]) => key)
                    .sort();
                assert.deepEqual(resource.secretInputs, carrying, `${resource.type}::${resource.name}`);
            }
        });
    }
});
