import { strict as assert } from "node:assert";
import {
    AddonConfigError,
    ClusterAddons,
    addonCatalog,
    addonChildApplications,
    addonProblems,
    applicationHealthConfig,
    applicationHealthKey,
    planAddons,
    type ClusterAddonsArgs,
} from "../../../components/addons";
import { childApplicationObjects, type SyncSettings } from "../../../components/applications";
import { argoApiVersion } from "../../../components/applications/customResource";
import { record, validateObject, type Recorder } from "../../harness";
import { testAcme, testDns } from "./context";

const sync: SyncSettings = {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
    cascadeDelete: true,
};

const everyAddon = Object.fromEntries(addonCatalog.map((addon) => [addon.name, { enabled: true }]));

function args(overrides: Partial<ClusterAddonsArgs> = {}): ClusterAddonsArgs {
    return {
        environment: "dev",
        clusterName: "acme-dev",
        addons: everyAddon,
        sync,
        acme: testAcme,
        dns: testDns,
        ...overrides,
    };
}

let counter = 0;
/** Builds a ClusterAddons under fresh mocks; returns it and what it registered. */
async function build(a: ClusterAddonsArgs): Promise<{ addons: ClusterAddons; recorder: Recorder }> {
    let addons: ClusterAddons | undefined;
    const recorder = await record(() => {
        addons = new ClusterAddons(`addons-${++counter}`, a);
    });
    return { addons: addons!, recorder };
}

describe("ClusterAddons in GitOps mode (the default)", () => {
    it("registers no Kubernetes object itself: every add-on is a child Application of the root", async () => {
        const { addons, recorder } = await build(args());
        assert.deepEqual(
            recorder.resources.map((r) => r.type),
            ["gitops:addons:ClusterAddons"],
        );
        assert.equal(addons.children.length, addonCatalog.length);
        assert.deepEqual(addons.releases, []);
    });

    it("each child Application is a pinned Helm source with valuesObject, in the platform project", async () => {
        const { addons } = await build(args());
        for (const child of addons.children) {
            const addon = addonCatalog.find((a) => a.name === child.name)!;
            assert.equal(child.project, "platform");
            assert.equal(child.source.chart, addon.chart);
            assert.equal(child.source.repoURL, addon.repoURL);
            assert.equal(child.source.targetRevision, addon.version);
            assert.ok(child.source.helmValues && Object.keys(child.source.helmValues).length > 0);
            assert.equal(child.syncWave, addon.syncWave);
            assert.equal(child.labels?.["gitops-platform/addon"], addon.name);
        }
    });

    it("every add-on Application validates against @kubernetes-models/argo-cd", async () => {
        const { addons } = await build(args());
        const objects = childApplicationObjects({
            project: "platform",
            applicationNamespace: "argocd",
            children: addons.children,
            sync,
        });
        assert.equal(objects.length, addonCatalog.length);
        for (const object of objects) {
            const full = {
                apiVersion: argoApiVersion,
                ...object,
                metadata: { ...object.metadata, namespace: "argocd" },
            };
            assert.deepEqual(await validateObject(full), []);
            const source = (object.spec as { source: { helm: { valuesObject: unknown } } }).source;
            assert.ok(source.helm.valuesObject, `${object.metadata.name} has no valuesObject`);
        }
    });

    it("tells the platform project which Helm repositories and namespaces to allow", async () => {
        const { addons } = await build(args());
        for (const addon of addonCatalog)
            assert.ok(addons.sourceRepos.includes(addon.repoURL), addon.repoURL);
        assert.equal(new Set(addons.sourceRepos).size, addons.sourceRepos.length);
        for (const namespace of [
            "cert-manager",
            "ingress-nginx",
            "external-dns",
            "monitoring",
            "kube-system",
            "argocd",
        ]) {
            assert.ok(addons.namespaces.includes(namespace), namespace);
        }
    });

    it("exports what it installs: name, chart, version, mode and wave", async () => {
        const { addons } = await build(
            args({ addons: { "metrics-server": { enabled: true, version: "3.8.2" } } }),
        );
        const installed = await new Promise((resolve) => addons.installed.apply(resolve));
        assert.deepEqual(installed, [
            {
                name: "metrics-server",
                chart: "metrics-server",
                version: "3.8.2",
                mode: "gitops",
                syncWave: 30,
                namespace: "kube-system",
            },
        ]);
    });
});

describe("disabled add-ons", () => {
    it("leave no Application, no release, no repository, no namespace and no extra object behind", async () => {
        const disabled = ["kube-prometheus-stack", "cert-manager", "external-dns"];
        const settings = Object.fromEntries(
            addonCatalog.map((a) => [a.name, { enabled: !disabled.includes(a.name) }]),
        );
        for (const mode of ["gitops", "direct"] as const) {
            const { addons, recorder } = await build(args({ addons: settings, mode }));
            const everything = JSON.stringify({ children: addons.children, resources: recorder.resources });
            for (const name of disabled) {
                assert.ok(!addons.children.some((c) => c.name === name), `${mode}: ${name} child`);
                assert.ok(
                    !recorder.resources.some((r) => r.name.endsWith(`-${name}`)),
                    `${mode}: ${name} release`,
                );
            }
            for (const leftover of [
                "jetstack",
                "prometheus-community",
                "PrometheusRule",
                "ClusterIssuer",
                "argocd-dashboard",
            ]) {
                assert.ok(!everything.includes(leftover), `${mode}: ${leftover} left behind`);
            }
            assert.ok(!addons.namespaces.includes("monitoring"));
            // Without Prometheus no add-on asks for a ServiceMonitor.
            assert.doesNotMatch(everything, /"service[mM]onitor":\{"enabled":true/);
        }
    });

    it("with nothing enabled there is nothing at all", async () => {
        const { addons, recorder } = await build(args({ addons: {} }));
        assert.deepEqual(addons.children, []);
        assert.deepEqual(addons.sourceRepos, []);
        assert.equal(recorder.resources.length, 1);
    });
});

describe("ClusterAddons in direct mode", () => {
    it("installs pinned Helm releases in order, and owns the extra objects after their release", async () => {
        const { addons, recorder } = await build(args({ mode: "direct" }));
        assert.deepEqual(addons.children, []);
        const releases = recorder.ofType("kubernetes:helm.sh/v3:Release");
        assert.equal(releases.length, addonCatalog.length);
        for (const release of releases) {
            const addon = addonCatalog.find((a) => a.chart === release.inputs.chart)!;
            assert.equal(release.inputs.version, addon.version);
            assert.deepEqual(release.inputs.repositoryOpts, { repo: addon.repoURL });
        }
        // ServiceMonitor users wait for the release that brings the monitoring.coreos.com CRDs.
        const certManager = releases.find((r) => r.inputs.chart === "cert-manager")!;
        assert.ok(certManager.opts.dependsOn.some((d) => d.endsWith("-kube-prometheus-stack")));

        const rule = recorder.resources.find((r) => r.inputs.kind === "PrometheusRule")!;
        assert.ok(rule, "no PrometheusRule");
        assert.ok(rule.opts.dependsOn.some((d) => d.endsWith("-kube-prometheus-stack")));
        assert.deepEqual(await validateObject(rule.inputs), []);
        const dashboard = recorder.ofType("kubernetes:core/v1:ConfigMap")[0];
        assert.deepEqual(await validateObject(dashboard.inputs), []);
        // The ClusterIssuer has no upstream schema: the cert-manager chart applies it (a post-install hook).
        assert.ok(!recorder.resources.some((r) => r.inputs.kind === "ClusterIssuer"));
        assert.match(
            String((certManager.inputs.values as { extraObjects: string[] }).extraObjects[0]),
            /kind: ClusterIssuer/,
        );
        // Every object Pulumi registers validates against an upstream schema.
        for (const resource of recorder.resources.filter(
            (r) => r.custom && typeof r.inputs.kind === "string",
        )) {
            assert.deepEqual(await validateObject(resource.inputs), [], resource.name);
        }
    });

    it("mixes modes: a direct add-on is installed by Pulumi, the rest stay with Argo CD", async () => {
        const { addons, recorder } = await build(
            args({ addons: { ...everyAddon, "kube-prometheus-stack": { enabled: true, mode: "direct" } } }),
        );
        assert.deepEqual(
            recorder.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart),
            ["kube-prometheus-stack"],
        );
        assert.equal(addons.releases.length, 1);
        assert.ok(!addons.children.some((c) => c.name === "kube-prometheus-stack"));
        assert.ok(!addons.sourceRepos.includes("https://prometheus-community.github.io/helm-charts"));
    });
});

describe("bad add-on settings", () => {
    it("an unknown add-on is an error that names it, and nothing is registered", async () => {
        let thrown: unknown;
        const recorder = await record(() => {
            try {
                new ClusterAddons(
                    `addons-${++counter}`,
                    args({
                        addons: { "cert-manager": { enabled: true }, "nginx-ingress": { enabled: true } },
                    }),
                );
            } catch (err) {
                thrown = err;
            }
        });
        assert.ok(thrown instanceof AddonConfigError, `expected an AddonConfigError, got ${String(thrown)}`);
        assert.match(
            thrown.message,
            /addons\.nginx-ingress\.name: expected an add-on of the catalog \(kube-prometheus-stack, cert-manager/,
        );
        assert.deepEqual(recorder.resources, []);
    });

    it("a CRD user in the same or an earlier wave than the owner is an error at its syncWave", () => {
        const problems = addonProblems(
            { "kube-prometheus-stack": { enabled: true }, "ingress-nginx": { enabled: true, syncWave: 10 } },
            "gitops",
        );
        assert.equal(problems.length, 1);
        assert.equal(problems[0].addon, "ingress-nginx");
        assert.equal(problems[0].field, "syncWave");
        assert.match(problems[0].message, /greater than kube-prometheus-stack's \(10\), got 10/);
    });

    it("a direct add-on whose CRDs would arrive later through Argo CD is an error at its mode", () => {
        const problems = addonProblems(
            { "kube-prometheus-stack": { enabled: true }, "cert-manager": { enabled: true, mode: "direct" } },
            "gitops",
        );
        assert.deepEqual(
            problems.map((p) => `${p.addon}.${p.field}`),
            ["cert-manager.mode"],
        );
    });

    it("a version without cert-manager's v prefix is an error", () => {
        const problems = addonProblems({ "cert-manager": { enabled: true, version: "1.18.1" } }, "gitops");
        assert.deepEqual(
            problems.map((p) => `${p.addon}.${p.field}`),
            ["cert-manager.version"],
        );
        assert.match(problems[0].message, /v1\.18\.1/);
    });

    it("the same CRD ordering only matters when both add-ons are enabled", () => {
        assert.deepEqual(addonProblems({ "ingress-nginx": { enabled: true, syncWave: 1 } }, "gitops"), []);
    });

    it("planAddons throws every problem at once", () => {
        assert.throws(
            () =>
                planAddons({
                    environment: "dev",
                    clusterName: "c",
                    addons: { bogus: { enabled: true }, "cert-manager": { enabled: true, version: "1.0.0" } },
                    mode: "gitops",
                    argocdNamespace: "argocd",
                    argocdReleaseName: "argocd",
                    ingressClassName: "nginx",
                    highAvailability: false,
                }),
            (err: unknown) => err instanceof AddonConfigError && err.problems.length === 2,
        );
    });
});

describe("addonChildApplications", () => {
    it("leaves direct add-ons out", () => {
        const planned = planAddons({
            environment: "dev",
            clusterName: "c",
            addons: {
                "metrics-server": { enabled: true, mode: "direct" },
                "argo-rollouts": { enabled: true },
            },
            mode: "gitops",
            argocdNamespace: "argocd",
            argocdReleaseName: "argocd",
            ingressClassName: "nginx",
            highAvailability: false,
        });
        assert.deepEqual(
            addonChildApplications(planned, { project: "platform", sync }).map((c) => c.name),
            ["argo-rollouts"],
        );
    });
});

describe("Application health customisation", () => {
    it("is the argocd-cm key Argo CD reads, with a Lua script that reports the child's own health", () => {
        const config = applicationHealthConfig();
        assert.deepEqual(Object.keys(config), ["resource.customizations.health.argoproj.io_Application"]);
        const lua = config[applicationHealthKey];
        assert.match(lua, /hs\.status = "Progressing"/);
        assert.match(lua, /hs\.status = obj\.status\.health\.status/);
        assert.match(lua, /return hs/);
    });
});
