import { strict as assert } from "node:assert";
import { validateRender } from "../../scripts/render/schema";
import { recorded, runPlatform, validateObject, type ProgramRun, type RecordedResource } from "../harness";
import { stackConfig } from "./fixtures";

const stacks = ["dev", "staging", "prod"] as const;

type Values = Record<string, Record<string, Record<string, unknown>>>;

function argoCdRelease(run: ProgramRun): RecordedResource {
    const releases = run.resources.filter(
        (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argo-cd",
    );
    assert.equal(releases.length, 1);
    return releases[0];
}

function ofKind(run: ProgramRun, kind: string): RecordedResource[] {
    return run.resources.filter((r) => r.custom && r.inputs.kind === kind);
}

describe("stacks", () => {
    const runs = new Map<string, ProgramRun>();
    before(async () => {
        for (const stack of stacks) runs.set(stack, await runPlatform(stack, stackConfig(stack)));
    });
    const run = (stack: string): ProgramRun => runs.get(stack)!;
    const values = (stack: string): Values => argoCdRelease(run(stack)).inputs.values as Values;

    it("dev is small: no HA, one replica each, admin kept", () => {
        const v = values("dev");
        assert.equal(v["redis-ha"].enabled, false);
        assert.equal(v.controller.replicas, 1);
        assert.equal(v.server.replicas, 1);
        assert.equal(v.configs.cm["admin.enabled"], true);
    });

    it("prod is HA, sharded, without the local admin, and keeps more history", () => {
        const v = values("prod");
        assert.equal(v["redis-ha"].enabled, true);
        assert.equal(v.controller.replicas, 2);
        assert.equal(v.configs.params["controller.sharding.algorithm"], "consistent-hashing");
        assert.equal(v.server.replicas, 3);
        assert.equal(v.configs.cm["admin.enabled"], false);
        assert.equal((v.global as Record<string, unknown>).revisionHistoryLimit, 10);
        assert.ok(String(v.configs.cm["oidc.config"]).includes("clientSecret: $oidc.clientSecret"));
    });

    it("staging sits between: two servers, no HA", () => {
        const v = values("staging");
        assert.equal(v.server.replicas, 2);
        assert.equal(v["redis-ha"].enabled, false);
        assert.equal((v.global as Record<string, unknown>).revisionHistoryLimit, 5);
    });

    it("each stack serves Argo CD on its own hostname", () => {
        assert.equal(values("dev").configs.cm.url, "https://argocd.dev.example.com");
        assert.equal(values("staging").configs.cm.url, "https://argocd.staging.example.com");
        assert.equal(values("prod").configs.cm.url, "https://argocd.example.com");
    });

    it("cascading deletes only outside prod: finalizers and ApplicationSet preservation differ", () => {
        for (const stack of stacks) {
            for (const appSet of ofKind(run(stack), "ApplicationSet")) {
                const spec = appSet.inputs.spec as {
                    syncPolicy: { preserveResourcesOnDeletion: boolean };
                    template: { metadata: { finalizers?: string[] } };
                };
                assert.equal(
                    spec.syncPolicy.preserveResourcesOnDeletion,
                    stack === "prod",
                    `${stack} ${appSet.name}`,
                );
                assert.equal(
                    spec.template.metadata.finalizers === undefined,
                    stack === "prod",
                    `${stack} ${appSet.name}`,
                );
            }
        }
    });

    it("records explicit dependsOn apart from what inputs depend on", () => {
        const repoSecret = run("prod").resources.find((r) => r.name === "prod-argocd-repo-0")!;
        assert.deepEqual(repoSecret.opts.dependsOn, ["kubernetes:core/v1:Namespace::prod-argocd-ns"]);
        assert.ok(
            repoSecret.opts.dependencies.includes("tls:index/privateKey:PrivateKey::prod-argocd-deploy-key"),
        );
    });

    it("prod protects and retains namespaces; dev does not", () => {
        for (const stack of ["dev", "prod"]) {
            for (const ns of run(stack).resources.filter((r) => r.type === "kubernetes:core/v1:Namespace")) {
                assert.equal(ns.opts.protect, stack === "prod", `${stack} ${ns.name}`);
                assert.equal(ns.opts.retainOnDelete, stack === "prod", `${stack} ${ns.name}`);
            }
        }
    });

    it("prod team roles may get and sync but not delete; dev roles may do everything", () => {
        assert.match(
            String(values("prod").configs.rbac["policy.csv"]),
            /p, role:payments, applications, sync, payments\/\*, allow/,
        );
        assert.doesNotMatch(String(values("prod").configs.rbac["policy.csv"]), /applications, \*, /);
        assert.match(
            String(values("dev").configs.rbac["policy.csv"]),
            /p, role:payments, applications, \*, payments\/\*, allow/,
        );
    });

    for (const stack of stacks) {
        it(`${stack}: one AppProject per team plus platform, one ApplicationSet per team, no default project`, () => {
            const projects = ofKind(run(stack), "AppProject").map(
                (p) => (p.inputs.metadata as { name: string }).name,
            );
            assert.deepEqual(projects.sort(), ["payments", "platform", "storefront"]);
            const appSets = ofKind(run(stack), "ApplicationSet")
                .map((a) => (a.inputs.metadata as { name: string }).name)
                .filter((name) => !name.startsWith("addon-"));
            assert.deepEqual(appSets.sort(), [`payments-${stack}`, `storefront-${stack}`]);
            for (const r of [...ofKind(run(stack), "Application"), ...ofKind(run(stack), "ApplicationSet")]) {
                assert.doesNotMatch(JSON.stringify(r.inputs), /"project":"default"/);
            }
        });

        it(`${stack}: every Argo CD custom resource depends on the Argo CD install`, () => {
            const release = argoCdRelease(run(stack));
            const crs = run(stack).resources.filter((r) => r.type.startsWith("kubernetes:argoproj.io/"));
            assert.ok(crs.length >= 4);
            for (const cr of crs) {
                assert.ok(
                    cr.opts.dependsOn.includes(`${release.type}::${release.name}`),
                    `${cr.name} does not wait for the install`,
                );
            }
        });

        it(`${stack}: every Kubernetes object, registered or seeded into Git, validates against upstream schemas`, async () => {
            const report = await validateRender(run(stack).resources);
            assert.deepEqual(report.errors, []);
            assert.ok(Object.values(report.checked).reduce((a, b) => a + b, 0) > 5);
        });

        it(`${stack}: uses an explicit Kubernetes provider for every Kubernetes resource`, () => {
            for (const r of run(stack).resources.filter(
                (x) => x.custom && x.type.startsWith("kubernetes:"),
            )) {
                assert.match(String(r.opts.provider), /^pulumi:providers:kubernetes::/, r.name);
            }
        });
    }
});

describe("schema validation", () => {
    it("checks the seeded workload manifests too, and the shared stack seeds a canary Rollout", async () => {
        const report = await validateRender((await runPlatform("prod", stackConfig("prod"))).resources);
        assert.equal(report.checked["argoproj.io/v1alpha1/Rollout"], 1);
        assert.equal(report.checked["argoproj.io/v1alpha1/AnalysisTemplate"], 1);
        assert.ok(report.checked["apps/v1/Deployment"] >= 2);
    });

    it("lints every committed workflow, and reports a broken one with its file and line", async () => {
        const prod = await validateRender((await runPlatform("prod", stackConfig("prod"))).resources);
        assert.ok(prod.workflows >= 6, `${prod.workflows} workflows`);
        const broken = recorded({
            type: "github:index/repositoryFile:RepositoryFile",
            name: "ci",
            inputs: {
                file: ".github/workflows/ci.yml",
                content:
                    "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ nope.x }}\n",
            },
        });
        const report = await validateRender([broken]);
        assert.equal(report.workflows, 1);
        assert.ok(report.errors.length > 0);
        assert.match(report.errors[0].object, /^\.github\/workflows\/ci\.yml:6:/);
    });

    it("reports a broken seeded manifest with its resource", async () => {
        const broken = recorded({
            type: "github:index/repositoryFile:RepositoryFile",
            name: "seed",
            inputs: {
                file: "apps/x/base/manifests.yaml",
                content:
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n",
            },
        });
        const report = await validateRender([broken]);
        assert.equal(report.errors.length, 1);
        assert.equal(report.errors[0].resource, "github:index/repositoryFile:RepositoryFile::seed");
    });

    it("catches an object that breaks its schema", async () => {
        const errors = await validateObject({
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "broken" },
            spec: { project: "payments", destination: "in-cluster", source: { repoURL: 42 } },
        });
        assert.equal(errors.length, 1);
        assert.match(errors[0].object, /Application broken/);
    });

    it("treats a kind without an upstream schema as an error", async () => {
        const errors = await validateObject({
            apiVersion: "example.com/v1",
            kind: "Widget",
            metadata: { name: "w" },
        });
        assert.match(errors[0].message, /no upstream schema/);
    });
});
