import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import {
    validateResourceOfType,
    type Policies,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";
import {
    bridgeResources,
    projectStackTags,
    reconcilePolicyConfig,
    runPolicyPack,
    validateJsonSchema,
} from "../harness/policyBridge";
import { configMap, namespace, recorded, repository, type TestResource } from "./baselines";

function resourcePolicy(
    name: string,
    validate: ResourceValidationPolicy["validateResource"],
    extra = {},
): ResourceValidationPolicy {
    return {
        name,
        description: `${name} description`,
        severity: "low",
        validateResource: validate,
        ...extra,
    };
}

const component: TestResource = { type: "gitops:platform:GitOpsPlatform", name: "prod", inputs: {} };
const provider: TestResource = {
    type: "pulumi:providers:kubernetes",
    name: "acme-prod-k8s",
    inputs: { context: "acme-prod" },
};
const child: TestResource = {
    ...namespace(),
    parent: "gitops:platform:GitOpsPlatform::prod",
    opts: {
        protect: true,
        retainOnDelete: true,
        provider: "pulumi:providers:kubernetes::acme-prod-k8s",
        ignoreChanges: ["metadata"],
    },
};

async function run(policies: Policies, resources: TestResource[], config = {}) {
    return runPolicyPack(policies, resources.map(recorded), {
        stack: "prod",
        config,
        stackTags: { team: "platform" },
    });
}

describe("policy bridge", () => {
    describe("notApplicable", () => {
        const onNamespaces = validateResourceOfType(k8s.core.v1.Namespace, (ns, _args, report) => {
            if (!ns.metadata?.labels) report("no labels");
        });

        it("skips other types up front when validateResourceOfType names the type, like CrossGuard", async () => {
            const report = await run([resourcePolicy("typed", onNamespaces)], [configMap()]);
            assert.deepEqual(report.violations, []);
            assert.deepEqual(
                report.notApplicable.map((na) => `${na.resource}: ${na.reason}`),
                [
                    "pulumi:pulumi:Stack::gitops-platform-prod: Policy only applies to resources of type 'kubernetes:core/v1:Namespace'",
                    "kubernetes:core/v1:ConfigMap::web-config: Policy only applies to resources of type 'kubernetes:core/v1:Namespace'",
                ],
            );
        });

        it("records validateResourceOfType's notApplicable throw instead of failing, and still runs it on its type", async () => {
            const report = await run(
                [resourcePolicy("typed", [onNamespaces])],
                [configMap(), { ...namespace(), inputs: { metadata: { name: "x" } } }],
            );
            assert.deepEqual(
                report.violations.map((v) => v.message),
                ["no labels"],
            );
            const reasons = report.notApplicable.map((na) => `${na.resource}: ${na.reason}`);
            assert.ok(
                reasons.includes(
                    "kubernetes:core/v1:ConfigMap::web-config: Policy only applies to resources of type 'kubernetes:core/v1:Namespace'",
                ),
                reasons.join("\n"),
            );
        });

        it("records an explicit notApplicable(reason) from resource and stack policies", async () => {
            const stackPolicy: StackValidationPolicy = {
                name: "stack-na",
                description: "d",
                validateStack: (args) => args.notApplicable("nothing to see"),
            };
            const report = await run(
                [resourcePolicy("res-na", (args) => args.notApplicable(`skip ${args.name}`)), stackPolicy],
                [configMap()],
            );
            assert.deepEqual(report.violations, []);
            assert.ok(
                report.notApplicable.some((na) => na.policy === "res-na" && na.reason === "skip web-config"),
            );
            assert.ok(
                report.notApplicable.some((na) => na.policy === "stack-na" && na.reason === "nothing to see"),
            );
        });

        it("propagates any other error, naming the policy and the resource", async () => {
            await assert.rejects(
                run(
                    [
                        resourcePolicy("broken", () => {
                            throw new Error("boom");
                        }),
                    ],
                    [configMap()],
                ),
                /Error validating .* with policy 'broken': boom/,
            );
        });
    });

    describe("resource policy arguments", () => {
        it("passes type, props, urn, name, CrossGuard's opts, provider, stackTags, isType, asType, getConfig", async () => {
            const seen: ResourceValidationArgs[] = [];
            await run(
                [
                    resourcePolicy(
                        "spy",
                        (args) => {
                            if (args.type === child.type) seen.push(args);
                        },
                        {
                            configSchema: {
                                properties: {
                                    knob: { type: "string", default: "d" },
                                    other: { type: "integer" },
                                },
                            },
                        },
                    ),
                ],
                [component, provider, child],
                { spy: { other: 3 } },
            );
            assert.equal(seen.length, 1);
            const args = seen[0];
            assert.equal(args.name, "prod-ns-payments");
            assert.equal(
                args.urn,
                "urn:pulumi:prod::gitops-platform::gitops:platform:GitOpsPlatform$kubernetes:core/v1:Namespace::prod-ns-payments",
            );
            assert.deepEqual(JSON.parse(JSON.stringify(args.props)), child.inputs);
            assert.deepEqual(Object.keys(args.opts).sort(), [
                "additionalSecretOutputs",
                "aliases",
                "customTimeouts",
                "ignoreChanges",
                "parent",
                "protect",
            ]);
            assert.equal(args.opts.protect, true);
            assert.equal(
                args.opts.parent,
                "urn:pulumi:prod::gitops-platform::gitops:platform:GitOpsPlatform::prod",
            );
            assert.deepEqual(args.opts.ignoreChanges, ["metadata"]);
            assert.equal(
                args.provider?.urn,
                "urn:pulumi:prod::gitops-platform::pulumi:providers:kubernetes::acme-prod-k8s",
            );
            assert.deepEqual(args.provider?.props, { context: "acme-prod" });
            assert.equal(args.stackTags.get("team"), "platform");
            assert.ok(args.isType(k8s.core.v1.Namespace));
            assert.ok(!args.isType(k8s.core.v1.ConfigMap));
            assert.equal(args.asType(k8s.core.v1.ConfigMap), undefined);
            assert.equal(args.asType(k8s.core.v1.Namespace)?.metadata?.name, "payments");
            assert.deepEqual(args.getConfig(), { knob: "d", other: 3 });
        });

        it("hands each policy its own copy of the props", async () => {
            const mutate = resourcePolicy("mutate", (args) => {
                if (args.props.metadata) (args.props.metadata as { name: string }).name = "changed";
            });
            const names: unknown[] = [];
            const read = resourcePolicy("read", (args) => {
                if (args.props.metadata) names.push((args.props.metadata as { name: string }).name);
            });
            await run([mutate, read], [configMap()]);
            assert.deepEqual(names, ["web-config"]);
        });

        it("reports a value unknown during preview as an advisory 'can't run' diagnostic", async () => {
            const unknownName = {
                ...configMap(),
                inputs: { metadata: { name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
            };
            const report = await run(
                [
                    resourcePolicy("reads-name", (args, report) => {
                        if (args.type === unknownName.type)
                            report(String((args.props.metadata as { name: string }).name));
                    }),
                ],
                [unknownName],
            );
            assert.equal(report.violations.length, 1);
            assert.equal(report.violations[0].level, "advisory");
            assert.match(report.violations[0].message, /can't run policy 'reads-name' during preview/);
        });
    });

    describe("stack policy arguments", () => {
        it("passes every resource (and the root stack) with parent, dependencies and opts", async () => {
            let seen: StackValidationArgs | undefined;
            const policy: StackValidationPolicy = {
                name: "spy",
                description: "d",
                validateStack: (args) => {
                    seen = args;
                },
            };
            const ruleset = {
                ...recorded({
                    type: "github:index/repositoryRuleset:RepositoryRuleset",
                    name: "rs",
                    inputs: {},
                }),
            };
            ruleset.opts.dependencies = ["github:index/repository:Repository::repo-checkout"];
            await runPolicyPack(
                [policy],
                [recorded(component), recorded(child), recorded(repository()), ruleset],
                { stack: "prod", stackTags: {} },
            );
            const resources = seen?.resources ?? [];
            assert.deepEqual(
                resources.map((r) => r.type),
                [
                    "pulumi:pulumi:Stack",
                    "gitops:platform:GitOpsPlatform",
                    "kubernetes:core/v1:Namespace",
                    "github:index/repository:Repository",
                    "github:index/repositoryRuleset:RepositoryRuleset",
                ],
            );
            const ns = resources[2];
            assert.equal(ns.parent?.name, "prod");
            assert.equal(ns.parent?.parent?.type, "pulumi:pulumi:Stack");
            assert.equal(ns.opts.protect, true);
            assert.ok(!("retainOnDelete" in ns.opts), "CrossGuard does not show retainOnDelete");
            assert.deepEqual(
                resources[4].dependencies.map((d) => d.name),
                ["repo-checkout"],
            );
            assert.deepEqual(resources[4].propertyDependencies, {});
            assert.ok(ns.isType(k8s.core.v1.Namespace));
        });

        it("attributes a stack violation to the URN it names", async () => {
            const policy: StackValidationPolicy = {
                name: "names-urn",
                description: "d",
                validateStack: (args, report) => {
                    const repo = args.resources.find((r) => r.type === "github:index/repository:Repository");
                    report("repo problem", repo?.urn);
                    report("stack problem");
                },
            };
            const report = await run([policy], [repository()]);
            assert.deepEqual(
                report.violations.map((v) => [v.resource, v.message]),
                [
                    [undefined, "stack problem"],
                    ["github:index/repository:Repository::repo-checkout", "repo problem"],
                ],
            );
        });
    });

    describe("enforcement config", () => {
        const a = resourcePolicy("a", (args, report) => report(`a ${args.name}`));
        const b = resourcePolicy("b", (args, report) => report(`b ${args.name}`), {
            enforcementLevel: "advisory",
        });

        it("uses the policy's level, else the pack's, else advisory", async () => {
            const levels = reconcilePolicyConfig([a, b], {}, "mandatory");
            assert.equal(levels.get("a")?.enforcementLevel, "mandatory");
            assert.equal(levels.get("b")?.enforcementLevel, "advisory");
            assert.equal(reconcilePolicyConfig([a]).get("a")?.enforcementLevel, "advisory");
        });

        it("applies `all`, then each policy's own entry", async () => {
            const levels = reconcilePolicyConfig([a, b], {
                all: "mandatory",
                a: { enforcementLevel: "advisory" },
            });
            assert.equal(levels.get("a")?.enforcementLevel, "advisory");
            assert.equal(levels.get("b")?.enforcementLevel, "mandatory");
        });

        it("labels violations with their level, skips disabled policies and treats remediate as mandatory", async () => {
            const report = await run([a, b], [configMap()], { all: "remediate", b: "disabled" });
            assert.deepEqual(
                [...new Set(report.violations.map((v) => `${v.policy}:${v.level}`))],
                ["a:mandatory"],
            );
        });

        it("rejects unknown policies, invalid levels and knobs that do not match the schema", () => {
            const typed = resourcePolicy("typed", () => undefined, {
                configSchema: {
                    properties: {
                        n: { type: "integer", minimum: 1 },
                        s: { type: "array", items: { type: "string" } },
                    },
                },
            });
            assert.throws(
                () => reconcilePolicyConfig([typed], { tyepd: "advisory" }),
                /tyepd: no policy of that name/,
            );
            assert.throws(
                () => reconcilePolicyConfig([typed], { typed: "blocking" as never }),
                /not a valid enforcement level/,
            );
            assert.throws(() => reconcilePolicyConfig([typed], { typed: { n: 0 } }), /typed.n: below 1/);
            assert.throws(
                () => reconcilePolicyConfig([typed], { typed: { s: [1] } }),
                /typed.s\[0\]: expected string/,
            );
        });

        it("validates a subset of JSON schema, and refuses keywords outside it", () => {
            assert.deepEqual(
                validateJsonSchema(["a"], { type: "array", items: { type: "string", enum: ["a"] } }, "x"),
                [],
            );
            assert.match(validateJsonSchema("b", { enum: ["a"] }, "x").join(), /expected one of/);
            assert.throws(
                () => validateJsonSchema(1, { oneOf: [] }, "x"),
                /unsupported JSON schema keyword "oneOf"/,
            );
        });
    });

    it("derives stack tags from Pulumi.yaml like the CLI", () => {
        const tags = projectStackTags();
        assert.equal(tags["pulumi:project"], "gitops-platform");
        assert.equal(tags["pulumi:runtime"], "nodejs");
        assert.equal(tags["pulumi:template"], "gitops-platform");
    });

    it("builds URNs from the parent chain, and a root stack resource", () => {
        const resources = bridgeResources([recorded(component), recorded(child)], "dev");
        assert.deepEqual(
            resources.map((r) => r.urn),
            [
                "urn:pulumi:dev::gitops-platform::pulumi:pulumi:Stack::gitops-platform-dev",
                "urn:pulumi:dev::gitops-platform::gitops:platform:GitOpsPlatform::prod",
                "urn:pulumi:dev::gitops-platform::gitops:platform:GitOpsPlatform$kubernetes:core/v1:Namespace::prod-ns-payments",
            ],
        );
    });
});
