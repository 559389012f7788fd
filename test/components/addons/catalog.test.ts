import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    addonCatalog,
    addonNamespace,
    certManager,
    externalDns,
    argocdImageUpdater,
    kubePrometheusStack,
    ownsCrd,
    planAddons,
    type AddonContext,
    type AddonDefinition,
    type AddonPlanArgs,
} from "../../../components/addons";
import { chartDefaults, undeclaredKeys, validateObject } from "../../harness";
import { addonContext, fixtureVersion } from "./context";

/** Every add-on enabled, with the given overrides: the plan's view of one environment. */
function planArgs(overrides: Partial<AddonPlanArgs> = {}): AddonPlanArgs {
    const ctx = addonContext();
    return {
        environment: ctx.environment,
        clusterName: ctx.clusterName,
        addons: Object.fromEntries(addonCatalog.map((addon) => [addon.name, { enabled: true }])),
        mode: "gitops",
        argocdNamespace: "argocd",
        argocdReleaseName: "argocd",
        ingressClassName: "nginx",
        highAvailability: false,
        acme: ctx.acme,
        dns: ctx.dns,
        ...overrides,
    };
}

const variants: [string, AddonPlanArgs][] = [
    ["dev-like: GitOps, monitoring, ACME issuer", planArgs()],
    ["prod-like: highly available", planArgs({ highAvailability: true, environment: "prod" })],
    ["direct mode", planArgs({ mode: "direct" })],
    [
        "no monitoring, no ACME",
        planArgs({
            acme: undefined,
            addons: Object.fromEntries(
                addonCatalog.map((addon) => [
                    addon.name,
                    { enabled: addon.name !== "kube-prometheus-stack" },
                ]),
            ),
        }),
    ],
];

function byName(name: string): AddonDefinition {
    const addon = addonCatalog.find((a) => a.name === name);
    assert.ok(addon, `no add-on ${name}`);
    return addon;
}

describe("add-on catalog", () => {
    it("has at least the eight platform add-ons, each once", () => {
        const names: string[] = addonCatalog.map((addon) => addon.name);
        assert.equal(new Set(names).size, names.length);
        for (const required of [
            "cert-manager",
            "ingress-nginx",
            "external-dns",
            "metrics-server",
            "kube-prometheus-stack",
            "external-secrets",
            "argo-rollouts",
            "argocd-image-updater",
        ]) {
            assert.ok(names.includes(required), `missing ${required}`);
        }
    });

    for (const addon of addonCatalog) {
        describe(addon.name, () => {
            const chart = chartDefaults(addon.chart);

            it("pins exactly the chart version its vendored values.yaml comes from", () => {
                assert.equal(addon.version, fixtureVersion(addon.chart));
                assert.match(addon.version, /^v?\d+\.\d+\.\d+$/);
                assert.match(addon.repoURL, /^https:\/\//);
            });

            for (const [label, args] of variants) {
                it(`uses only values keys the pinned chart declares (${label})`, () => {
                    const planned = planAddons(args).find((p) => p.name === addon.name);
                    if (!planned) return; // disabled in this variant
                    assert.deepEqual(undeclaredKeys(planned.values, chart.values), []);
                });
            }
        });
    }

    it("the key check catches a misspelt key", () => {
        const values = { ...byName("ingress-nginx").values(addonContext()), controler: { replicaCount: 2 } };
        assert.deepEqual(undeclaredKeys(values, chartDefaults("ingress-nginx").values), ["controler"]);
    });

    it("orders CRD owners first: every add-on syncs after the owners of the CRDs it uses", () => {
        for (const user of addonCatalog) {
            for (const used of user.usesCrds ?? []) {
                const owners = addonCatalog.filter((o) => o !== user && ownsCrd(o.ownsCrds, used));
                assert.ok(owners.length > 0, `${user.name} uses ${used}, which no add-on owns`);
                for (const owner of owners) {
                    assert.ok(
                        user.syncWave > owner.syncWave,
                        `${user.name} (wave ${user.syncWave}) must sync after ${owner.name} (wave ${owner.syncWave})`,
                    );
                }
            }
        }
        const owners = addonCatalog.filter((a) => a.ownsCrds.length > 0);
        const others = addonCatalog.filter((a) => a.ownsCrds.length === 0);
        assert.ok(Math.max(...owners.map((a) => a.syncWave)) < Math.min(...others.map((a) => a.syncWave)));
        assert.ok(new Set(addonCatalog.map((a) => a.syncWave)).size >= 2);
    });

    it("turns every add-on's ServiceMonitor off without kube-prometheus-stack", () => {
        const ctx = addonContext({ monitoring: { ...addonContext().monitoring, enabled: false } });
        for (const addon of addonCatalog) {
            const text = JSON.stringify(addon.values({ ...ctx, namespace: addonNamespace(addon, "argocd") }));
            assert.doesNotMatch(text, /"service[mM]onitor":\{"enabled":true/, addon.name);
        }
    });
});

describe("cert-manager", () => {
    const ctx = (overrides: Partial<AddonContext> = {}) =>
        addonContext({ namespace: "cert-manager", ...overrides });

    it("installs its CRDs, keeps them, and keeps its lease out of kube-system", () => {
        const values = certManager.values(ctx()) as Record<string, Record<string, unknown>>;
        assert.deepEqual(values.crds, { enabled: true, keep: true });
        assert.deepEqual(values.global, { leaderElection: { namespace: "cert-manager" } });
    });

    it("creates an ACME ClusterIssuer only when an ACME email is configured", () => {
        assert.deepEqual(certManager.extraObjects!(ctx({ acme: undefined })), []);
        const [issuer] = certManager.extraObjects!(ctx());
        assert.equal(issuer.kind, "ClusterIssuer");
        assert.equal(issuer.apiVersion, "cert-manager.io/v1");
        assert.equal(issuer.metadata.name, "letsencrypt");
        assert.deepEqual((issuer.spec as { acme: Record<string, unknown> }).acme, {
            email: "platform@example.com",
            server: "https://acme-v02.api.letsencrypt.org/directory",
            privateKeySecretRef: { name: "letsencrypt-account-key" },
            solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
        });
    });

    it("in GitOps mode the chart renders the issuer after its webhook is up (a later in-app wave)", () => {
        const planned = planAddons(planArgs()).find((p) => p.name === "cert-manager")!;
        const extra = planned.values.extraObjects as string[];
        assert.equal(extra.length, 1);
        const issuer = parse(extra[0]) as { kind: string; metadata: { annotations: Record<string, string> } };
        assert.equal(issuer.kind, "ClusterIssuer");
        assert.equal(issuer.metadata.annotations["argocd.argoproj.io/sync-wave"], "1");
        assert.match(
            issuer.metadata.annotations["argocd.argoproj.io/sync-options"],
            /SkipDryRunOnMissingResource=true/,
        );
        assert.deepEqual(planned.pulumiObjects, []);
    });

    it("in direct mode Helm applies the issuer as a post-install hook, after waiting for the release", () => {
        const planned = planAddons(planArgs({ mode: "direct" })).find((p) => p.name === "cert-manager")!;
        const [text] = planned.values.extraObjects as string[];
        const issuer = parse(text) as { kind: string; metadata: { annotations: Record<string, string> } };
        assert.equal(issuer.kind, "ClusterIssuer");
        assert.equal(issuer.metadata.annotations["helm.sh/hook"], "post-install,post-upgrade");
        assert.equal(issuer.metadata.annotations["argocd.argoproj.io/sync-wave"], undefined);
        // No upstream schema checks a ClusterIssuer, so Pulumi never registers one.
        assert.deepEqual(planned.pulumiObjects, []);
    });
});

describe("external-secrets", () => {
    it("creates the platform's ClusterSecretStore only when one is configured, after its webhook serves", () => {
        assert.deepEqual(planAddons(planArgs()).find((p) => p.name === "external-secrets")!.extraObjects, []);
        const planned = planAddons({
            ...planArgs(),
            secretStore: { name: "vault", provider: { vault: { server: "https://vault.example.com" } } },
        }).find((p) => p.name === "external-secrets")!;
        assert.deepEqual(
            planned.extraObjects.map((o) => [o.apiVersion, o.kind, o.metadata.name]),
            [["external-secrets.io/v1beta1", "ClusterSecretStore", "vault"]],
        );
        const [rendered] = planned.values.extraObjects as string[];
        assert.match(rendered, /argocd\.argoproj\.io\/sync-wave: "1"/);
        assert.match(rendered, /SkipDryRunOnMissingResource=true/);
    });

    it("writes the store in the API version of the chart version installed", () => {
        const planned = planAddons({
            ...planArgs(),
            addons: { ...planArgs().addons, "external-secrets": { enabled: true, version: "0.17.0" } },
            secretStore: { name: "vault", provider: { vault: {} } },
        }).find((p) => p.name === "external-secrets")!;
        assert.equal(planned.extraObjects[0].apiVersion, "external-secrets.io/v1");
    });
});

describe("external-dns", () => {
    it("takes its provider, zones, policy and owner id from config", () => {
        const values = externalDns.values(addonContext({ namespace: "external-dns" }));
        assert.equal(values.provider, "aws");
        assert.deepEqual(values.domainFilters, ["dev.example.com"]);
        assert.equal(values.policy, "sync");
        assert.equal(values.txtOwnerId, "acme-dev");
    });

    it("refuses to run without DNS settings", () => {
        assert.throws(() => externalDns.values(addonContext({ dns: undefined })), /addons\.dns/);
    });
});

describe("argocd-image-updater", () => {
    it("runs in Argo CD's namespace and talks to the Kubernetes API", () => {
        assert.equal(addonNamespace(argocdImageUpdater, "gitops"), "gitops");
        const values = argocdImageUpdater.values(addonContext()) as { config: Record<string, unknown> };
        assert.equal(values.config.applicationsAPIKind, "kubernetes");
    });
});

describe("kube-prometheus-stack", () => {
    const ctx = addonContext({ namespace: "monitoring" });
    type Spec = { prometheus: { prometheusSpec: Record<string, unknown> } };

    it("keeps metrics as long as the environment says, and selects every ServiceMonitor and rule", () => {
        const values = kubePrometheusStack.values({
            ...ctx,
            monitoring: { ...ctx.monitoring, prometheusRetention: "30d", prometheusRetentionSize: "90GB" },
        }) as Spec;
        const spec = values.prometheus.prometheusSpec;
        assert.equal(spec.retention, "30d");
        assert.equal(spec.retentionSize, "90GB");
        assert.equal(spec.serviceMonitorSelectorNilUsesHelmValues, false);
        assert.equal(spec.ruleSelectorNilUsesHelmValues, false);
    });

    it("brings the cluster rule set, Argo CD's PrometheusRule and dashboard, validating against upstream schemas", async () => {
        const objects = kubePrometheusStack.extraObjects!(ctx);
        assert.deepEqual(
            objects.map((o) => [o.kind, o.metadata.name]),
            [
                ["PrometheusRule", "platform-cluster-alerts"],
                ["PrometheusRule", "argocd-alerts"],
                ["ConfigMap", "argocd-dashboard"],
            ],
        );
        for (const object of objects) {
            assert.deepEqual(await validateObject(object), []);
        }
    });

    it("in GitOps mode the chart renders them: rules unchanged, nothing Helm's tpl would choke on", () => {
        const planned = planAddons(planArgs()).find((p) => p.name === "kube-prometheus-stack")!;
        const [clusterRule, rule, dashboard] = planned.extraObjects;
        const rules = planned.values.additionalPrometheusRulesMap as Record<string, { groups: unknown }>;
        assert.deepEqual(Object.keys(rules), ["platform-cluster-alerts", "argocd-alerts"]);
        for (const object of [clusterRule, rule])
            assert.deepEqual(rules[object.metadata.name].groups, (object.spec as { groups: unknown }).groups);
        // extraManifests go through `tpl`; additionalPrometheusRulesMap does not, so `{{ $labels }}` is safe there.
        assert.deepEqual(planned.values.extraManifests, [dashboard]);
        assert.doesNotMatch(JSON.stringify(planned.values.extraManifests), /\{\{/);
        assert.deepEqual(planned.pulumiObjects, []);
    });

    it("configures Alertmanager's receivers only when alerts are routed, keeping the chart's other keys", () => {
        const plain = kubePrometheusStack.values(ctx) as { alertmanager: Record<string, unknown> };
        assert.deepEqual(plain.alertmanager, { alertmanagerSpec: { replicas: 1 } });
        const routed = kubePrometheusStack.values({
            ...ctx,
            alerts: { environment: "dev", slackChannel: "ops", teams: [] },
        }) as {
            alertmanager: {
                config: { route: { receiver: string } };
                alertmanagerSpec: Record<string, unknown>;
            };
        };
        assert.equal(routed.alertmanager.config.route.receiver, "platform");
        assert.deepEqual(routed.alertmanager.alertmanagerSpec, {
            secrets: ["alertmanager-receivers"],
            replicas: 1,
        });
    });
});
