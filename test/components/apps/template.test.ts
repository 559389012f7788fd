import { strict as assert } from "node:assert";
import { parse, parseAllDocuments } from "yaml";
import { platformSecretStore } from "../../../components/addons";
import {
    appPlatformFiles,
    appSettingProblems,
    appTemplateObjects,
    appTemplateWarnings,
    externalSecretsApiVersion,
    identityAnnotations,
    parseQuantity,
    platformComponentKustomization,
    prometheusWhereAppsRun,
    resolveAppSettings,
    type AppObject,
    type AppTemplateContext,
    type AppTemplateSettings,
    type TemplateApp,
} from "../../../components/apps";
import { environmentDefaults } from "../../../stacks/defaults";
import type { AppDefaults } from "../../../components/apps";
import { validateObject, valueOf } from "../../harness";

const ctx: AppTemplateContext = {
    environment: "prod",
    ingressClassName: "nginx",
    clusterIssuer: "letsencrypt",
    secretStore: { name: "aws-secrets-manager", apiVersion: "external-secrets.io/v1beta1" },
    serviceMonitors: true,
    ingressNamespace: "ingress-nginx",
    monitoringNamespace: "monitoring",
};

/** Every setting at once: what a real service asks for. */
const everything: AppTemplateSettings = {
    hpa: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 },
    resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    pdb: { minAvailable: 2 },
    topologySpread: { maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" },
    serviceAccount: {
        awsRoleArn: "arn:aws:iam::123456789012:role/checkout",
        gcpServiceAccount: "checkout@acme-prod.iam.gserviceaccount.com",
        annotations: { "azure.workload.identity/client-id": "0000" },
    },
    env: { LOG_LEVEL: "info" },
    config: { "settings.json": '{"currency":"EUR"}', "flags.yaml": "beta: true\n" },
    secrets: {
        DATABASE_URL: { key: "prod/checkout/db", property: "url" },
        API_KEY: { key: "prod/checkout/api" },
    },
    host: "checkout.example.com",
    metrics: { path: "/internal/metrics", port: 9090 },
    networkPolicy: { allowNamespaces: ["storefront"] },
};

function app(
    settings: AppTemplateSettings,
    extra: Partial<TemplateApp> = {},
    defaults: AppDefaults = {},
): TemplateApp {
    return {
        name: "checkout",
        team: "payments",
        namespace: "payments",
        port: 8080,
        settings: resolveAppSettings(settings, defaults),
        ...extra,
    };
}

async function objects(template: TemplateApp, context: AppTemplateContext = ctx): Promise<AppObject[]> {
    return valueOf(appTemplateObjects(template, context));
}

function find(list: AppObject[], kind: string): AppObject {
    const found = list.find((object) => object.kind === kind);
    assert.ok(found, `no ${kind} in ${list.map((o) => o.kind).join(", ")}`);
    return found;
}

type PodSpec = {
    serviceAccountName: string;
    topologySpreadConstraints?: Record<string, unknown>[];
    volumes: { name: string; configMap?: { name: string } }[];
    containers: {
        env: { name: string; value: string }[];
        envFrom?: { secretRef: { name: string } }[];
        ports: { name: string; containerPort: number }[];
        resources: unknown;
        volumeMounts: { name: string; mountPath: string }[];
    }[];
};

function podSpec(workload: AppObject): PodSpec {
    return (workload.spec as { template: { spec: PodSpec } }).template.spec;
}

describe("app template: every object", () => {
    let all: AppObject[];
    before(async () => {
        all = await objects(app(everything));
    });

    it("builds every kind a real service needs, in apply order, all in the app's namespace", () => {
        assert.deepEqual(
            all.map((o) => o.kind),
            [
                "ServiceAccount",
                "ConfigMap",
                "ExternalSecret",
                "Service",
                "Deployment",
                "HorizontalPodAutoscaler",
                "PodDisruptionBudget",
                "NetworkPolicy",
                "Ingress",
                "ServiceMonitor",
            ],
        );
        for (const object of all) assert.equal(object.metadata.namespace, "payments", object.kind);
    });

    it("validates every object against its upstream schema (kubernetes-models, external-secrets, prometheus-operator)", async () => {
        for (const object of all) assert.deepEqual(await validateObject({ ...object }), [], object.kind);
        const canary = await objects(app(everything, { canary: { analysis: { noData: "fail" } } }));
        for (const object of canary) assert.deepEqual(await validateObject({ ...object }), [], object.kind);
    });

    it("leaves replicas to the HorizontalPodAutoscaler, which targets the workload on CPU and memory", () => {
        assert.equal("replicas" in (find(all, "Deployment").spec as object), false);
        assert.deepEqual(find(all, "HorizontalPodAutoscaler").spec, {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout" },
            minReplicas: 3,
            maxReplicas: 10,
            metrics: [
                {
                    type: "Resource",
                    resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
                },
                {
                    type: "Resource",
                    resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } },
                },
            ],
        });
    });

    it("scales a canary's Rollout the same way", async () => {
        const canary = await objects(app(everything, { canary: {} }));
        assert.equal("replicas" in (find(canary, "Rollout").spec as object), false);
        assert.deepEqual(
            (find(canary, "HorizontalPodAutoscaler").spec as { scaleTargetRef: unknown }).scaleTargetRef,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Rollout",
                name: "checkout",
            },
        );
    });

    it("sets the resources, the pods' ServiceAccount with its cloud identities, env, config and secrets", () => {
        const deployment = find(all, "Deployment");
        const pod = podSpec(deployment);
        const [container] = pod.containers;
        assert.deepEqual(container.resources, everything.resources);
        assert.equal(pod.serviceAccountName, "checkout");
        assert.deepEqual(find(all, "ServiceAccount").metadata.annotations, {
            "azure.workload.identity/client-id": "0000",
            [identityAnnotations.aws]: "arn:aws:iam::123456789012:role/checkout",
            [identityAnnotations.gcp]: "checkout@acme-prod.iam.gserviceaccount.com",
        });
        assert.equal(find(all, "ServiceAccount").automountServiceAccountToken, false);
        assert.deepEqual(container.env, [
            { name: "PORT", value: "8080" },
            { name: "LOG_LEVEL", value: "info" },
        ]);
        assert.deepEqual(container.envFrom, [{ secretRef: { name: "checkout-secrets" } }]);
        assert.deepEqual(find(all, "ConfigMap").data, {
            "flags.yaml": "beta: true\n",
            "settings.json": '{"currency":"EUR"}',
        });
        assert.deepEqual(
            container.volumeMounts.find((m) => m.name === "config"),
            { name: "config", mountPath: "/etc/checkout" },
        );
        assert.deepEqual(pod.volumes.find((v) => v.name === "config")?.configMap, {
            name: "checkout-config",
        });
    });

    it("rolls the pods when the config changes (a checksum annotation on the pod template)", async () => {
        const annotation = (list: AppObject[]) =>
            (
                find(list, "Deployment").spec as {
                    template: { metadata: { annotations: Record<string, string> } };
                }
            ).template.metadata.annotations["checksum/config"];
        const changed = await objects(
            app({ ...everything, config: { "settings.json": '{"currency":"USD"}' } }),
        );
        assert.match(annotation(all), /^[0-9a-f]{64}$/);
        assert.notEqual(annotation(all), annotation(changed));
        assert.equal(annotation(all), annotation(await objects(app(everything))));
    });

    it("fetches secrets through an ExternalSecret from the platform's ClusterSecretStore", () => {
        const secret = find(all, "ExternalSecret");
        assert.equal(secret.apiVersion, "external-secrets.io/v1beta1");
        assert.deepEqual(secret.spec, {
            refreshInterval: "1h",
            secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
            target: { name: "checkout-secrets", creationPolicy: "Owner" },
            data: [
                { secretKey: "API_KEY", remoteRef: { key: "prod/checkout/api" } },
                { secretKey: "DATABASE_URL", remoteRef: { key: "prod/checkout/db", property: "url" } },
            ],
        });
        assert.ok(!all.some((object) => object.kind === "Secret"), "never a Secret in Git");
    });

    it("spreads pods over zones per revision, and budgets disruptions", () => {
        assert.deepEqual(podSpec(find(all, "Deployment")).topologySpreadConstraints, [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { app: "checkout" } },
                matchLabelKeys: ["pod-template-hash"],
            },
        ]);
        assert.deepEqual(find(all, "PodDisruptionBudget").spec, {
            selector: { matchLabels: { app: "checkout" } },
            minAvailable: 2,
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        });
    });

    it("lets in only its namespace, the ingress controller's, Prometheus' and the allowed ones", () => {
        const policy = find(all, "NetworkPolicy").spec as {
            ingress: { from: unknown[] }[];
            policyTypes: string[];
        };
        assert.deepEqual(policy.policyTypes, ["Ingress"]);
        assert.deepEqual(policy.ingress[0].from, [
            { podSelector: {} },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "storefront" } } },
        ]);
    });

    it("serves its host through an Ingress with a cert-manager TLS certificate", () => {
        const ingress = find(all, "Ingress");
        assert.deepEqual(ingress.metadata.annotations, { "cert-manager.io/cluster-issuer": "letsencrypt" });
        assert.deepEqual((ingress.spec as { tls: unknown }).tls, [
            { hosts: ["checkout.example.com"], secretName: "checkout-tls" },
        ]);
        assert.equal((ingress.spec as { ingressClassName: string }).ingressClassName, "nginx");
    });

    it("has Prometheus scrape its own metrics port, exposed on the Service", () => {
        assert.deepEqual(find(all, "ServiceMonitor").spec, {
            selector: { matchLabels: { "app.kubernetes.io/name": "checkout" } },
            endpoints: [{ port: "metrics", path: "/internal/metrics", interval: "30s" }],
        });
        assert.ok(
            (find(all, "Service").spec as { ports: { name: string }[] }).ports.some(
                (p) => p.name === "metrics",
            ),
        );
        assert.deepEqual(podSpec(find(all, "Deployment")).containers[0].ports, [
            { name: "http", containerPort: 8080 },
            { name: "metrics", containerPort: 9090 },
        ]);
    });

    it("leaves out what is not asked for: no ServiceMonitor without Prometheus where apps run, no Ingress without a host", async () => {
        const plain = await objects(app({}), { ...ctx, serviceMonitors: false });
        assert.deepEqual(
            plain.map((o) => o.kind),
            ["ServiceAccount", "Service", "Deployment", "NetworkPolicy"],
        );
        assert.equal((find(plain, "Deployment").spec as { replicas: number }).replicas, 2);
        const withMetrics = await objects(app({ metrics: {} }), { ...ctx, serviceMonitors: false });
        assert.ok(!withMetrics.some((o) => o.kind === "ServiceMonitor"));
        const noPolicy = await objects(app({ networkPolicy: { enabled: false } }));
        assert.deepEqual(
            noPolicy.map((o) => o.kind),
            ["ServiceAccount", "Service", "Deployment"],
        );
    });

    it("refuses a host without an issuer and secrets without a store", () => {
        assert.throws(
            () => appTemplateObjects(app({ host: "a.example.com" }), { ...ctx, clusterIssuer: undefined }),
            /needs a cert-manager ClusterIssuer/,
        );
        assert.throws(
            () =>
                appTemplateObjects(app({ secrets: { A: { key: "a" } } }), { ...ctx, secretStore: undefined }),
            /ClusterSecretStore/,
        );
    });
});

describe("app template: per-environment defaults (stacks/defaults.ts)", () => {
    const defaults = (env: "dev" | "staging" | "prod") => environmentDefaults[env].appDefaults as AppDefaults;

    it("dev: one replica, no budget, no spread, small requests; a canary without data passes", () => {
        const settings = resolveAppSettings({ canary: {} } as AppTemplateSettings, defaults("dev"));
        assert.deepEqual(settings.scaling, { replicas: 1 });
        assert.equal(settings.pdb, undefined);
        assert.equal(settings.topologySpread, undefined);
        assert.deepEqual(settings.resources.requests, { cpu: "50m", memory: "64Mi" });
        assert.equal(settings.canaryNoData, "pass");
        assert.deepEqual(settings.networkPolicy, { allowNamespaces: [] });
    });

    it("staging: two replicas, a budget, zone spread; a canary without data pauses for a person", () => {
        const settings = resolveAppSettings({}, defaults("staging"));
        assert.deepEqual(settings.scaling, { replicas: 2 });
        assert.deepEqual(settings.pdb, { maxUnavailable: 1 });
        assert.deepEqual(settings.topologySpread, { maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" });
        assert.equal(settings.canaryNoData, "inconclusive");
    });

    it("prod: three replicas, a budget, zone spread, larger requests; a canary without data fails (fail closed)", () => {
        const settings = resolveAppSettings({}, defaults("prod"));
        assert.deepEqual(settings.scaling, { replicas: 3 });
        assert.deepEqual(settings.pdb, { maxUnavailable: 1 });
        assert.ok(settings.topologySpread);
        assert.deepEqual(settings.resources, {
            requests: { cpu: "250m", memory: "256Mi" },
            limits: { memory: "512Mi" },
        });
        assert.equal(settings.canaryNoData, "fail");
    });

    it("an app's own settings win: hpa replaces default replicas, its budget the default's, resources merge per key", () => {
        const settings = resolveAppSettings(
            {
                hpa: { minReplicas: 2, maxReplicas: 5 },
                pdb: { minAvailable: 1 },
                resources: { requests: { cpu: "1" } },
                topologySpread: { enabled: false },
            },
            defaults("prod"),
        );
        assert.deepEqual(settings.scaling, { hpa: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 75 } });
        assert.deepEqual(settings.pdb, { minAvailable: 1 });
        assert.deepEqual(settings.resources.requests, { cpu: "1", memory: "256Mi" });
        assert.equal(settings.topologySpread, undefined);
        assert.deepEqual(
            resolveAppSettings({ replicas: 4 }, { hpa: { minReplicas: 2, maxReplicas: 3 } }).scaling,
            {
                replicas: 4,
            },
        );
    });
});

describe("app template: problems", () => {
    const problems = (app: AppTemplateSettings, defaults: AppDefaults = {}) =>
        appSettingProblems(app, defaults).app.map((p) => `${p.path.join(".")}: ${p.message}`);

    it("refuses replicas with hpa, a maximum below the minimum, and a budget given twice", () => {
        assert.deepEqual(problems({ replicas: 2, hpa: { minReplicas: 2, maxReplicas: 3 } }), [
            "hpa: expected replicas or hpa, not both, got both",
        ]);
        assert.match(
            problems({ hpa: { minReplicas: 3, maxReplicas: 2 } })[0],
            /^hpa\.maxReplicas: expected at least hpa\.minReplicas \(3\), got 2/,
        );
        assert.match(
            problems({ pdb: { minAvailable: 1, maxUnavailable: 1 } })[0],
            /^pdb\.maxUnavailable: expected minAvailable or maxUnavailable, not both/,
        );
    });

    it("refuses a budget that would block every node drain", () => {
        assert.match(
            problems({ replicas: 2, pdb: { minAvailable: 2 } })[0],
            /^pdb\.minAvailable: expected a budget that lets at least one of the app's 2 replicas be evicted/,
        );
        assert.match(problems({ pdb: { minAvailable: "100%" } })[0], /^pdb\.minAvailable/);
        assert.match(problems({ pdb: { maxUnavailable: 0 } })[0], /^pdb\.maxUnavailable/);
        assert.deepEqual(problems({ replicas: 3, pdb: { minAvailable: 2 } }), []);
        // The budget comes from appDefaults: reported there.
        assert.match(
            appSettingProblems({ replicas: 1 }, { pdb: { minAvailable: 1 } }).defaults.map((p) =>
                p.path.join("."),
            )[0],
            /^pdb\.minAvailable$/,
        );
    });

    it("refuses limits below requests, utilisation without a request, and PORT or a name set twice", () => {
        assert.match(
            problems({ resources: { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } } })[0],
            /^resources\.limits\.memory: expected at least the memory request \(1Gi\), got "512Mi"/,
        );
        assert.match(
            problems(
                { hpa: { minReplicas: 2, maxReplicas: 3, memoryUtilization: 80 } },
                { resources: { requests: { cpu: "1" } } },
            )[0],
            /^hpa\.memoryUtilization: expected resources\.requests\.memory/,
        );
        assert.match(problems({ env: { PORT: "1" } })[0], /^env\.PORT: expected no PORT/);
        assert.match(
            problems({ env: { A: "1" }, secrets: { A: { key: "k" } } })[0],
            /^secrets\.A: expected a name that env does not also set/,
        );
    });

    it("parses Kubernetes quantities", () => {
        assert.equal(parseQuantity("100m"), 0.1);
        assert.equal(parseQuantity("256Mi"), 256 * 2 ** 20);
        assert.equal(parseQuantity("1e3"), 1000);
        assert.equal(parseQuantity("1.5G"), 1.5e9);
        assert.equal(parseQuantity("12 MB"), undefined);
        assert.equal(parseQuantity(`${"1".repeat(100_000)}x`), undefined);
    });
});

describe("app template: the platform Component in the GitOps repository", () => {
    it("writes apps/<app>/platform/<env>/ as a kustomize Component, enforced, for every app", async () => {
        const files = appPlatformFiles({
            environment: "staging",
            teams: [{ name: "payments" }],
            apps: [{ name: "checkout", team: "payments", replicas: 2 }],
            argocd: {},
        });
        assert.deepEqual(
            files.map((f) => [f.path, f.seed]),
            [
                ["apps/checkout/platform/staging/kustomization.yaml", false],
                ["apps/checkout/platform/staging/manifests.yaml", false],
            ],
        );
        assert.deepEqual(parse(platformComponentKustomization("staging")), {
            apiVersion: "kustomize.config.k8s.io/v1alpha1",
            kind: "Component",
            resources: ["manifests.yaml"],
        });
        const manifests = await valueOf(files[1].content as never as ReturnType<typeof appTemplateObjects>);
        const documents = parseAllDocuments(String(manifests)).map((d) => d.toJS() as { kind: string });
        assert.ok(documents.some((d) => d.kind === "Deployment"));
        assert.match(
            String(manifests),
            /^# Managed by Pulumi \(gitops-platform\) from the staging stack's config/,
        );
    });

    it("warns about apps that expose metrics where no Prometheus scrapes them", () => {
        const apps = [
            { name: "checkout", team: "payments", metrics: {} },
            { name: "ledger", team: "payments" },
        ];
        assert.deepEqual(
            appTemplateWarnings({ apps, addons: { "kube-prometheus-stack": { enabled: true } } }),
            [],
        );
        assert.deepEqual(appTemplateWarnings({ apps, addons: {} }), [
            "apps checkout expose metrics, but Prometheus (kube-prometheus-stack) does not run everywhere the apps run: they get no ServiceMonitor",
        ]);
    });

    it("knows whether Prometheus runs where the apps run (hub, or every workload spoke)", () => {
        const on = { "kube-prometheus-stack": { enabled: true } };
        assert.equal(prometheusWhereAppsRun({ addons: on }), true);
        assert.equal(prometheusWhereAppsRun({ addons: {} }), false);
        assert.equal(prometheusWhereAppsRun({ addons: on, workloadClusters: [{ addons: [] }] }), false);
        assert.equal(
            prometheusWhereAppsRun({
                addons: on,
                workloadClusters: [{ addons: ["kube-prometheus-stack"] }, { addons: [], workloads: false }],
            }),
            true,
        );
    });
});

describe("the platform's ClusterSecretStore", () => {
    it("follows the API version the installed chart serves", () => {
        assert.equal(externalSecretsApiVersion("0.9.17"), "external-secrets.io/v1beta1");
        assert.equal(externalSecretsApiVersion("0.16.1"), "external-secrets.io/v1beta1");
        assert.equal(externalSecretsApiVersion("0.16.2"), "external-secrets.io/v1");
        assert.equal(externalSecretsApiVersion("1.0.0"), "external-secrets.io/v1");
    });

    it("validates against the external-secrets schema", async () => {
        const [store] = platformSecretStore({
            secretStore: {
                name: "aws-secrets-manager",
                provider: { aws: { service: "SecretsManager", region: "eu-west-1" } },
            },
        });
        assert.equal(store.kind, "ClusterSecretStore");
        assert.deepEqual(await validateObject({ ...store }), []);
        assert.deepEqual(platformSecretStore({}), []);
    });
});
