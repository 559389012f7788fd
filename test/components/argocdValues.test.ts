import { strict as assert } from "node:assert";
import {
    argoCdChart,
    argoCdInClusterUrl,
    argoCdServerServiceName,
    argoCdValues,
    rbacPolicyCsv,
    reconciliationTimeout,
    type ArgoCdValuesArgs,
} from "../../components/argocd";
import { argoCdConfigMapData, chartDefaults, runPlatform, undeclaredKeys } from "../harness";
import { stackConfig } from "../stacks/fixtures";

function valuesArgs(overrides: Partial<ArgoCdValuesArgs> = {}): ArgoCdValuesArgs {
    return {
        hostname: "argocd.example.com",
        ingressClassName: "nginx",
        clusterIssuer: "letsencrypt",
        adminEnabled: true,
        ha: false,
        replicas: { server: 1, repoServer: 1, applicationSet: 1, controller: 1 },
        reconciliationTimeout: "300s",
        revisionHistoryLimit: 3,
        size: "small",
        rbac: {
            teams: [{ name: "payments", group: "acme:payments" }],
            adminGroups: ["acme:platform"],
            teamActions: ["*"],
        },
        ...overrides,
    };
}

type Values = Record<string, Record<string, Record<string, unknown>>>;

describe("argocd values", () => {
    const chart = chartDefaults("argo-cd");
    // Keys under these paths are read by Argo CD itself (argocd-cm, argocd-cmd-params-cm, argocd-rbac-cm)
    // or are Kubernetes objects (resources, annotations), so the chart declares only examples.
    const freeForm = ["configs.cm", "configs.params", "configs.rbac", "server.ingress.annotations"];

    it("pins the chart version the vendored values.yaml comes from", () => {
        assert.equal(argoCdChart.version, chart.version);
    });

    for (const [label, args] of [
        ["dev-like", valuesArgs()],
        [
            "prod-like",
            valuesArgs({
                ha: true,
                adminEnabled: false,
                size: "large",
                replicas: { server: 3, repoServer: 3, applicationSet: 2, controller: 2 },
            }),
        ],
        ["no hostname", valuesArgs({ hostname: undefined })],
    ] as const) {
        it(`uses only keys the pinned chart declares (${label})`, () => {
            assert.deepEqual(undeclaredKeys(argoCdValues(args), chart.values, freeForm), []);
        });
    }

    it("the key check catches a misspelt key", () => {
        const values = { ...argoCdValues(valuesArgs()), servr: { replicas: 2 } };
        assert.deepEqual(undeclaredKeys(values, chart.values, freeForm), ["servr"]);
    });

    it("sets the server URL and a TLS ingress when a hostname is configured", () => {
        const values = argoCdValues(valuesArgs()) as Values;
        assert.equal(values.configs.cm.url, "https://argocd.example.com");
        assert.deepEqual(values.server.ingress, {
            enabled: true,
            ingressClassName: "nginx",
            hostname: "argocd.example.com",
            tls: true,
            annotations: {
                "cert-manager.io/cluster-issuer": "letsencrypt",
                "nginx.ingress.kubernetes.io/backend-protocol": "HTTP",
            },
        });
    });

    it("has no ingress without a hostname", () => {
        const values = argoCdValues(valuesArgs({ hostname: undefined })) as Values;
        assert.deepEqual(values.server.ingress, { enabled: false });
    });

    // The chart rule lives in argoproj/argo-helm charts/argo-cd/templates/_helpers.tpl
    // (argo-cd.config.cm.presets, argo-cd.config.cm); argoCdConfigMapData reproduces it.
    describe("argocd-cm url, by the argo-cd chart's preset rule (argo-helm _helpers.tpl argo-cd.config.cm)", () => {
        it("the chart writes its placeholder domain when nothing sets url or global.domain", () => {
            assert.equal(argoCdConfigMapData({}).url, "https://argocd.example.com");
        });

        it("an empty url does not override the chart's preset (mergeOverwrite keeps it)", () => {
            assert.equal(
                argoCdConfigMapData({ configs: { cm: { url: "" } } }).url,
                "https://argocd.example.com",
            );
        });

        it("without a hostname, url is the in-cluster server Service, never a host the platform does not own", () => {
            const values = argoCdValues(valuesArgs({ hostname: undefined, namespace: "gitops" }));
            const data = argoCdConfigMapData(values);
            assert.equal(data.url, "http://argocd-server.gitops.svc");
            assert.equal(data.url, argoCdInClusterUrl("gitops"));
            assert.ok(!JSON.stringify(data).includes("example.com"), JSON.stringify(data));
        });

        it("with a hostname, url is that hostname over HTTPS", () => {
            assert.equal(argoCdConfigMapData(argoCdValues(valuesArgs())).url, "https://argocd.example.com");
            assert.equal(
                argoCdConfigMapData(argoCdValues(valuesArgs({ hostname: "cd.acme.io" }))).url,
                "https://cd.acme.io",
            );
        });

        it("the dev stack without argocd.hostname: argocd-cm and notification links name the in-cluster Service", async () => {
            const config = stackConfig("dev");
            delete (config["gitops-platform:argocd"] as Record<string, unknown>).hostname;
            const run = await runPlatform("dev", config);
            const release = run.resources.find(
                (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argo-cd",
            );
            assert.ok(release, "no argo-cd release");
            const data = argoCdConfigMapData(release.inputs.values as Record<string, unknown>);
            assert.equal(data.url, "http://argocd-server.argocd.svc");
            const notifications = run.resources.find(
                (r) =>
                    (r.inputs.metadata as { name?: string } | undefined)?.name === "argocd-notifications-cm",
            );
            assert.ok(notifications, "no argocd-notifications-cm");
            const context = (notifications.inputs.data as Record<string, string>).context;
            assert.match(context, /argocdUrl: http:\/\/argocd-server\.argocd\.svc/);
        });

        it("keeps a false setting such as admin.enabled (only presets resist empty values)", () => {
            const data = argoCdConfigMapData(argoCdValues(valuesArgs({ adminEnabled: false })));
            assert.equal(data["admin.enabled"], "false");
        });
    });

    it("derives the server Service from the release by the chart's fullname rule (argo-helm _common.tpl argo-cd.fullname)", () => {
        assert.equal(argoCdServerServiceName(), "argocd-server");
        // The release name contains the chart's nameOverride (argocd): it is the fullname as is.
        assert.equal(argoCdServerServiceName("argocd-hub"), "argocd-hub-server");
        // Otherwise the fullname is <release>-argocd.
        assert.equal(argoCdServerServiceName("gitops"), "gitops-argocd-server");
        assert.equal(argoCdInClusterUrl("argocd"), "http://argocd-server.argocd.svc");
    });

    it("polls more often when no webhook can reach Argo CD", () => {
        assert.equal(reconciliationTimeout(true), "300s");
        assert.equal(reconciliationTimeout(false), "60s");
        assert.equal(reconciliationTimeout(false, "90s"), "90s");
    });

    it("turns on HA, disables admin and shards the controller for prod-like args", () => {
        const values = argoCdValues(
            valuesArgs({
                ha: true,
                adminEnabled: false,
                replicas: { server: 3, repoServer: 3, applicationSet: 2, controller: 2 },
            }),
        ) as Values;
        assert.equal(values["redis-ha"].enabled, true);
        assert.equal(values.redis.enabled, false);
        assert.equal(values.configs.cm["admin.enabled"], false);
        assert.equal(values.controller.replicas, 2);
        assert.equal(values.configs.params["controller.sharding.algorithm"], "consistent-hashing");
        assert.equal(values.server.replicas, 3);
        assert.equal(values.repoServer.replicas, 3);
        assert.equal(values.applicationSet.replicas, 2);
    });

    it("keeps secrets out of Helm values: the chart does not create argocd-secret", () => {
        const values = argoCdValues(valuesArgs()) as Values;
        assert.deepEqual(values.configs.secret, { createSecret: false });
    });

    it("sets the read-only default role, history limit and resource requests", () => {
        const values = argoCdValues(valuesArgs({ size: "large" })) as Values;
        assert.equal(values.configs.rbac["policy.default"], "role:readonly");
        assert.equal((values.global as Record<string, unknown>).revisionHistoryLimit, 3);
        assert.deepEqual((values.controller.resources as { requests: unknown }).requests, {
            cpu: "1",
            memory: "2Gi",
        });
    });
});

describe("rbacPolicyCsv", () => {
    it("scopes each team role to its project and binds the team's group", () => {
        const csv = rbacPolicyCsv({
            teams: [{ name: "payments", group: "acme:payments" }],
            adminGroups: ["acme:platform"],
            teamActions: ["get", "sync"],
        });
        assert.deepEqual(csv.trim().split("\n"), [
            "p, role:payments, applications, get, payments/*, allow",
            "p, role:payments, applications, sync, payments/*, allow",
            "p, role:payments, applicationsets, get, payments/*, allow",
            "p, role:payments, logs, get, payments/*, allow",
            "p, role:payments, projects, get, payments, allow",
            "g, acme:payments, role:payments",
            "g, acme:platform, role:admin",
        ]);
    });

    it("is empty without teams or admin groups", () => {
        assert.equal(rbacPolicyCsv({ teams: [], adminGroups: [], teamActions: ["*"] }), "");
    });
});
