import { strict as assert } from "node:assert";
import { builtinModules } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { packEnforcementLevel, policies, policyPackName, type PackPolicy } from "../../policy/policies";
import {
    policyConfigFile,
    readPolicyConfig,
    reconcilePolicyConfig,
    validateJsonSchema,
} from "../harness/policyBridge";
import { projectRoot } from "../harness/stackConfig";

const policyDir = path.join(projectRoot, "policy");
const policiesDir = path.join(policyDir, "policies");
const testsDir = path.join(projectRoot, "test", "policy", "policies");
const environments = ["dev", "staging", "prod"] as const;

/** Every .ts file under a directory, skipping dependencies and build output. */
function tsFiles(dir: string): string[] {
    const skip = new Set(["node_modules", "bin", "dist", "out", ".git", "fixtures"]);
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return skip.has(entry.name) ? [] : tsFiles(file);
        return entry.name.endsWith(".ts") ? [file] : [];
    });
}

/** Module specifiers a file imports, requires or dynamically imports. */
function specifiers(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const found: string[] = [];
    for (const pattern of [
        /\bfrom\s+["']([^"']+)["']/g,
        /\brequire\(\s*["']([^"']+)["']\s*\)/g,
        /\bimport\(\s*["']([^"']+)["']\s*\)/g,
        /^\s*import\s+["']([^"']+)["']/gm,
    ]) {
        for (const match of text.matchAll(pattern)) found.push(match[1]);
    }
    return found;
}

/** Policies gated on the `environment` knob whose default is prod: their rules only apply in prod. */
/** Policies whose finding is advice in every environment, prod included. */
const advisoryEverywhere = ["argocd-notifications-deploy-feedback-in-prod"];

function isProdOnly(policy: PackPolicy): boolean {
    const environment = policy.configSchema.properties.environment;
    return typeof environment === "object" && environment.default === "prod";
}

describe("policy pack", () => {
    it("has at least 15 policies with unique kebab-case names", () => {
        assert.ok(policies.length >= 15, `${policies.length} policies`);
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length, "duplicate policy names");
        for (const name of names) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
        assert.equal(
            policyPackName,
            JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")).name.replace(
                /-policy$/,
                "",
            ),
        );
    });

    it("keeps one policy per file, named after the policy, and every file in the array", () => {
        const files = fs.readdirSync(policiesDir).filter((f) => f !== "index.ts");
        assert.deepEqual(files.sort(), policies.map((p) => `${p.name}.ts`).sort());
        for (const policy of policies) {
            const exported = Object.values(
                require(path.join(policiesDir, policy.name)) as Record<string, unknown>,
            );
            assert.deepEqual(exported, [policy], `${policy.name}.ts should export exactly that policy`);
        }
    });

    it("mirrors policy/policies/ in test/policy/policies/: one test file per policy", () => {
        const tests = fs.readdirSync(testsDir).sort();
        assert.deepEqual(tests, policies.map((p) => `${p.name}.test.ts`).sort());
    });

    for (const policy of policies) {
        it(`${policy.name}: states description, severity, remediation and a valid configSchema`, () => {
            assert.ok(policy.description.length > 20, "description");
            assert.ok(["low", "medium", "high", "critical"].includes(policy.severity), "severity");
            assert.ok(policy.remediationSteps.length > 20, "remediationSteps");
            assert.equal(policy.enforcementLevel, undefined, "levels come from the pack and the env configs");
            assert.ok(!("enforcementLevel" in policy.configSchema.properties));
            const defaults: Record<string, unknown> = {};
            for (const [key, schema] of Object.entries(policy.configSchema.properties)) {
                assert.ok(typeof schema === "object" && schema.description, `${key} has a description`);
                if ("default" in schema) defaults[key] = schema.default;
            }
            // Within the JSON-schema subset the bridge validates, and defaults that satisfy it.
            assert.deepEqual(
                validateJsonSchema(
                    defaults,
                    { type: "object", properties: policy.configSchema.properties as Record<string, unknown> },
                    policy.name,
                ),
                [],
            );
        });
    }

    it("constructs the PolicyPack only in policy/index.ts, and nothing imports that file", () => {
        const index = path.join(policyDir, "index.ts");
        assert.match(fs.readFileSync(index, "utf8"), /new PolicyPack\(/);
        for (const file of tsFiles(policyDir).filter((f) => f !== index)) {
            assert.doesNotMatch(fs.readFileSync(file, "utf8"), /new PolicyPack|PolicyPack\(/, file);
        }
        const offenders: string[] = [];
        for (const file of tsFiles(projectRoot).filter((f) => f !== index)) {
            for (const spec of specifiers(file)) {
                if (!spec.startsWith(".")) continue;
                const target = path.resolve(path.dirname(file), spec).replace(/\.ts$/, "");
                if (target === policyDir || target === path.join(policyDir, "index"))
                    offenders.push(`${file} imports ${spec}`);
            }
        }
        assert.deepEqual(offenders, []);
    });

    it("is a standalone package: imports only its declared dependencies, Node built-ins and its own files", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as {
            version?: string;
            dependencies: Record<string, string>;
        };
        assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+$/);
        const problems: string[] = [];
        for (const file of tsFiles(policyDir)) {
            for (const spec of specifiers(file)) {
                if (spec.startsWith(".")) {
                    const target = path.resolve(path.dirname(file), spec);
                    if (!target.startsWith(policyDir + path.sep))
                        problems.push(`${file}: ${spec} leaves policy/`);
                } else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) {
                    const name = spec.startsWith("@")
                        ? spec.split("/").slice(0, 2).join("/")
                        : spec.split("/")[0];
                    if (!(name in pkg.dependencies))
                        problems.push(`${file}: ${spec} is not a dependency of policy/`);
                }
            }
        }
        assert.deepEqual(problems, []);
        const manifest = parse(fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8")) as {
            runtime: string;
            description: string;
        };
        assert.equal(manifest.runtime, "nodejs");
        assert.ok(manifest.description);
    });

    describe("per-environment configs", () => {
        for (const env of environments) {
            it(`${env}.json is valid for --policy-pack-config and sets environment: ${env}`, () => {
                const config = reconcilePolicyConfig(
                    policies,
                    readPolicyConfig(policyConfigFile(env)),
                    packEnforcementLevel,
                );
                for (const policy of policies) {
                    const reconciled = config.get(policy.name);
                    assert.ok(reconciled);
                    if ("environment" in policy.configSchema.properties) {
                        assert.equal(reconciled.properties.environment, env, `${policy.name} environment`);
                    }
                    if (env === "dev") {
                        assert.ok(
                            ["mandatory", "advisory"].includes(reconciled.enforcementLevel),
                            policy.name,
                        );
                    } else {
                        // Findings that are advice by design (issue 13: no deploy feedback in prod) stay advisory.
                        const level = advisoryEverywhere.includes(policy.name) ? "advisory" : "mandatory";
                        assert.equal(reconciled.enforcementLevel, level, `${env}: ${policy.name}`);
                    }
                }
            });
        }

        it("sets every level explicitly: `all` is mandatory in each file", () => {
            for (const env of environments)
                assert.equal(readPolicyConfig(policyConfigFile(env)).all, "mandatory", env);
        });
    });

    it("documents every policy in the docs/policy.md table, with its severity and level per env", () => {
        const section = fs.readFileSync(path.join(projectRoot, "docs", "policy.md"), "utf8");
        assert.match(section, /^# Policy pack$/m, "docs/policy.md is the Policy pack page");
        assert.match(
            section,
            /pulumi preview --policy-pack policy --policy-pack-config policy\/config\/dev\.json/,
        );
        assert.match(section, /pulumi policy publish/);
        const rows = new Map<string, string[]>();
        for (const line of section.split("\n")) {
            const match = /^\| `([a-z0-9-]+)` \|(.*)\|$/.exec(line);
            if (match)
                rows.set(
                    match[1],
                    match[2].split("|").map((cell) => cell.trim()),
                );
        }
        assert.deepEqual([...rows.keys()].sort(), policies.map((p) => p.name).sort());
        const configs = new Map(
            environments.map((env) => [
                env,
                reconcilePolicyConfig(
                    policies,
                    readPolicyConfig(policyConfigFile(env)),
                    packEnforcementLevel,
                ),
            ]),
        );
        for (const policy of policies) {
            const [, severity, ...levels] = rows.get(policy.name) as string[];
            assert.equal(severity, policy.severity, `${policy.name} severity`);
            const expected = environments.map((env) =>
                isProdOnly(policy) && env !== "prod"
                    ? "n/a (prod only)"
                    : configs.get(env)?.get(policy.name)?.enforcementLevel,
            );
            assert.deepEqual(levels, expected, `${policy.name} levels`);
        }
    });
});
