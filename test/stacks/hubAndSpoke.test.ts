import { strict as assert } from "node:assert";
import { addonFanOutObject, perClusterValuesPatch } from "../../components/clusters";
import { ConfigError } from "../../stacks/errors";
import { runPlatform, validateObject, valueOf, type ProgramRun, type RecordedResource } from "../harness";
import { stackConfig } from "./fixtures";

const clusterLabel = "argocd.argoproj.io/secret-type";

function clusterSecrets(run: ProgramRun): RecordedResource[] {
    return run.resources.filter(
        (r) =>
            r.type === "kubernetes:core/v1:Secret" &&
            (r.inputs.metadata as { labels?: Record<string, string> }).labels?.[clusterLabel] === "cluster",
    );
}

function named(run: ProgramRun, kind: string, name: string): RecordedResource {
    const found = run.resources.find(
        (r) => r.inputs.kind === kind && (r.inputs.metadata as { name: string }).name === name,
    );
    assert.ok(found, `no ${kind} ${name}`);
    return found;
}

async function rejects(config: Record<string, unknown>, stack = "prod"): Promise<string[]> {
    try {
        await runPlatform(stack, config);
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), String(err));
        return err.problems;
    }
    throw new Error("the config was accepted");
}

describe("hub and spoke (prod)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runPlatform("prod", stackConfig("prod"));
    });

    it("registers each workload cluster once, as a cluster Secret whose data is secret", () => {
        const secrets = clusterSecrets(run);
        assert.deepEqual(secrets.map((s) => (s.inputs.stringData as { name: string }).name).sort(), [
            "prod-eu",
            "prod-us",
        ]);
        for (const secret of secrets) assert.deepEqual(secret.secretInputs, ["stringData"], secret.name);
    });

    it("reads credentials from a secret kubeconfig and from a cluster stack", () => {
        const configs = Object.fromEntries(
            clusterSecrets(run).map((s) => {
                const data = s.inputs.stringData as { name: string; config: string };
                return [data.name, JSON.parse(data.config) as { bearerToken: string }];
            }),
        );
        assert.equal(configs["prod-eu"].bearerToken, "«secret:prodEuKubeconfig».token");
        assert.equal(configs["prod-us"].bearerToken, "«secret:acme/clusters/prod-us.argocdToken»");
    });

    it("labels clusters for the add-ons they enable and carries per-cluster values", () => {
        const eu = clusterSecrets(run).find(
            (s) => (s.inputs.stringData as { name: string }).name === "prod-eu",
        )!;
        const metadata = eu.inputs.metadata as {
            labels: Record<string, string>;
            annotations: Record<string, string>;
        };
        assert.equal(metadata.labels["enable_cert-manager"], "true");
        assert.equal(metadata.labels.region, "eu");
        assert.deepEqual(JSON.parse(metadata.annotations["gitops-platform/values.external-dns"]), {
            domainFilters: ["eu.example.com"],
            txtOwnerId: "prod-eu",
        });
    });

    it("fans each enabled add-on out through an ApplicationSet with a cluster generator", async () => {
        const appSet = named(run, "ApplicationSet", "addon-cert-manager");
        const spec = appSet.inputs.spec as {
            generators: unknown[];
            template: { spec: { destination: unknown } };
        };
        assert.deepEqual(spec.generators, [
            { clusters: { selector: { matchLabels: { "enable_cert-manager": "true" } } } },
        ]);
        assert.deepEqual(spec.template.spec.destination, {
            server: "{{ .server }}",
            namespace: "cert-manager",
        });
        assert.deepEqual(await validateObject(appSet.inputs), []);
    });

    it("moves team apps to the workload clusters and lets their projects deploy there only", () => {
        const appSet = named(run, "ApplicationSet", "payments-prod");
        const generator = (appSet.inputs.spec as { generators: { matrix?: { generators: unknown[] } }[] })
            .generators[0];
        assert.deepEqual(generator.matrix?.generators[0], {
            clusters: {
                selector: {
                    matchLabels: {
                        "gitops-platform/environment": "prod",
                        "gitops-platform/workloads": "true",
                    },
                },
            },
        });
        const project = named(run, "AppProject", "payments").inputs.spec as {
            destinations: { server: string }[];
        };
        assert.deepEqual(
            [...new Set(project.destinations.map((d) => d.server))],
            ["https://prod-eu.k8s.example.com", "https://prod-us.k8s.example.com"],
        );
    });

    it("exports the clusters in the platform outputs", async () => {
        const outputs = await valueOf(run.outputs);
        assert.deepEqual(
            outputs.clusters.map((c) => c.name),
            ["acme-prod", "prod-eu", "prod-us"],
        );
    });

    it("dev, with no workload clusters, keeps apps on the hub", async () => {
        const dev = await runPlatform("dev", stackConfig("dev"));
        assert.equal(clusterSecrets(dev).length, 0);
        const appSet = named(dev, "ApplicationSet", "payments-dev");
        assert.ok((appSet.inputs.spec as { generators: { git?: unknown }[] }).generators[0].git);
    });
});

describe("workload cluster config", () => {
    function withClusters(mutate: (clusters: Record<string, unknown>[]) => void): Record<string, unknown> {
        const config = stackConfig("prod");
        mutate(config["gitops-platform:workloadClusters"] as Record<string, unknown>[]);
        return config;
    }

    it("rejects a cluster registered twice, by server", async () => {
        const problems = await rejects(withClusters((c) => (c[1].server = c[0].server)));
        assert.ok(
            problems.some((p) =>
                p.startsWith("workloadClusters[1].server: expected each cluster registered once"),
            ),
            problems.join("\n"),
        );
    });

    it("rejects a duplicate cluster name", async () => {
        const problems = await rejects(withClusters((c) => (c[1].name = c[0].name)));
        assert.ok(
            problems.some((p) => p.startsWith("workloadClusters[1].name: expected a unique name")),
            problems.join("\n"),
        );
    });

    it("rejects a connection with both a kubeconfig and a stack reference", async () => {
        const problems = await rejects(
            withClusters(
                (c) =>
                    ((c[0].connection as Record<string, unknown>).stackReference = {
                        stack: "acme/clusters/x",
                    }),
            ),
        );
        assert.ok(
            problems.some((p) =>
                p.startsWith(
                    "workloadClusters[0].connection: expected exactly one of kubeconfigSecret or stackReference",
                ),
            ),
            problems.join("\n"),
        );
    });

    it("rejects an add-on that is not enabled for gitops fan-out", async () => {
        const problems = await rejects(
            withClusters((c) => (c[0].addons as string[]).push("argocd-image-updater")),
        );
        assert.ok(
            problems.some((p) =>
                /^workloadClusters\[0\]\.addons\[\d\]: expected an add-on enabled in gitops mode for prod, got "argocd-image-updater"/.test(
                    p,
                ),
            ),
            problems.join("\n"),
        );
    });

    it("rejects an add-on whose ServiceMonitors would have no Prometheus on the cluster", async () => {
        const problems = await rejects(withClusters((c) => (c[0].addons = ["ingress-nginx"])));
        assert.ok(
            problems.some((p) =>
                p.startsWith("workloadClusters[0].addons: expected kube-prometheus-stack as well"),
            ),
            problems.join("\n"),
        );
    });

    it("needs the kubeconfig secret for a real deploy, naming the command", async () => {
        let problems: string[] = [];
        try {
            await runPlatform("prod", stackConfig("prod"), {
                fillMissingSecrets: false,
                env: { GITHUB_TOKEN: "t" },
            });
        } catch (err) {
            assert.ok(ConfigError.isConfigError(err));
            problems = err.problems;
        }
        assert.ok(
            problems.some(
                (p) =>
                    p.startsWith("prodEuKubeconfig: expected the kubeconfig of a workload cluster") &&
                    p.includes("pulumi config set --secret --stack prod prodEuKubeconfig"),
            ),
            problems.join("\n"),
        );
    });
});

describe("addonFanOutObject", () => {
    const child = {
        name: "ingress-nginx",
        syncWave: 30,
        project: "platform",
        source: {
            repoURL: "https://kubernetes.github.io/ingress-nginx",
            chart: "ingress-nginx",
            targetRevision: "4.12.2",
            helmValues: { controller: { replicaCount: 2 } },
        },
        destination: { namespace: "ingress-nginx" },
        sync: {
            automated: true,
            prune: true,
            selfHeal: true,
            cascadeDelete: false,
            retry: { limit: 3, backoff: { duration: "5s", factor: 2, maxDuration: "1m" } },
        },
    };

    it("merges per-cluster values from the cluster's annotation over the add-on's", () => {
        assert.equal(
            perClusterValuesPatch("ingress-nginx"),
            [
                '{{- with index .metadata.annotations "gitops-platform/values.ingress-nginx" }}',
                "spec:",
                "  source:",
                "    helm:",
                "      valuesObject: {{ . }}",
                "{{- end }}",
            ].join("\n"),
        );
    });

    it("skips dry runs for CRDs another add-on brings, and validates", async () => {
        const object = addonFanOutObject(child);
        const options = (object.spec as { template: { spec: { syncPolicy: { syncOptions: string[] } } } })
            .template.spec.syncPolicy.syncOptions;
        assert.ok(options.includes("SkipDryRunOnMissingResource=true"));
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...object }), []);
    });
});
