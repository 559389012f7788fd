import { strict as assert } from "node:assert";
import { inClusterPrometheusUrl, kubePrometheusStackPrometheusUrl } from "../../components/addons";
import { isClusterResourcePermitted } from "../../components/applications";
import {
    addonFanOutObject,
    applyTemplatePatch,
    perClusterValuesPatch,
    rawExtensionFieldsSet,
    renderedValuesPatch,
} from "../../components/clusters";
import { ConfigError } from "../../stacks/errors";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { loadStack, pulumiConfigSource } from "../../stacks/loader";
import { deployPlatform } from "../../stacks/program";
import {
    installMocks,
    mockStackOutputs,
    projectName,
    runPlatform,
    settle,
    toMockConfig,
    validateObject,
    valueOf,
    type ProgramRun,
    type RecordedResource,
    type Recorder,
} from "../harness";
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
        // The whole values of the add-on on this cluster: the hub's, with the cluster's merged over them.
        assert.deepEqual(JSON.parse(metadata.annotations["gitops-platform/values.external-dns"]), {
            provider: "aws",
            domainFilters: ["eu.example.com"],
            policy: "upsert-only",
            txtOwnerId: "prod-eu",
            sources: ["service", "ingress"],
            serviceMonitor: { enabled: true },
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

    it("makes every ApplicationSet that deploys to spokes wait for the cluster Secrets and its AppProject, so destroy deletes it while Argo CD can still finalize its Applications", () => {
        // Argo CD removes resources-finalizer.argocd.argoproj.io only after deleting the app's objects, which
        // needs the cluster's credentials and the app's project (controller/appcontroller.go
        // finalizeApplicationDeletion); Pulumi deletes dependents first.
        const secrets = clusterSecrets(run).map((secret) => `${secret.type}::${secret.name}`);
        assert.equal(secrets.length, 2);
        const spokeAppSets = run.resources.filter(
            (r) =>
                r.inputs.kind === "ApplicationSet" &&
                JSON.stringify((r.inputs.spec as { generators: unknown }).generators).includes('"clusters"'),
        );
        assert.ok(spokeAppSets.length >= 4, `${spokeAppSets.length} ApplicationSets deploy to spokes`);
        const projectOf = (appSet: RecordedResource) =>
            (appSet.inputs.spec as { template: { spec: { project: string } } }).template.spec.project;
        for (const appSet of spokeAppSets) {
            const waitsFor = appSet.opts.dependencies;
            for (const secret of secrets)
                assert.ok(waitsFor.includes(secret), `${appSet.name} does not wait for ${secret}`);
            const project = named(run, "AppProject", projectOf(appSet));
            assert.ok(
                waitsFor.includes(`${project.type}::${project.name}`) ||
                    waitsFor.some((d) => project.parent !== null && d === project.parent),
                `${appSet.name} does not wait for AppProject ${projectOf(appSet)}: ${waitsFor.join(", ")}`,
            );
        }
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

    // argoproj/argo-cd applicationset/utils/templatePatch.go applies the patch as a typed strategic merge;
    // applyTemplatePatch reproduces it (RawExtension contents cannot be merged).
    it("generates every fanned-out Application: the templatePatch applies by Argo CD's typed strategic merge on every selected cluster", () => {
        const fanOuts = run.resources.filter(
            (r) =>
                r.inputs.kind === "ApplicationSet" &&
                (r.inputs.metadata as { name: string }).name.startsWith("addon-"),
        );
        assert.ok(fanOuts.length >= 5, `only ${fanOuts.length} fan-out ApplicationSets`);
        let generatedApps = 0;
        for (const appSet of fanOuts) {
            const spec = appSet.inputs.spec as {
                generators: { clusters: { selector: { matchLabels: Record<string, string> } } }[];
                template: Record<string, unknown>;
            };
            const addon = (appSet.inputs.metadata as { name: string }).name.slice("addon-".length);
            assert.deepEqual(rawExtensionFieldsSet(spec.template), [], addon);
            const selector = spec.generators[0].clusters.selector.matchLabels;
            for (const secret of clusterSecrets(run)) {
                const metadata = secret.inputs.metadata as {
                    labels: Record<string, string>;
                    annotations: Record<string, string>;
                };
                if (!Object.entries(selector).every(([k, v]) => metadata.labels[k] === v)) continue;
                const patch = renderedValuesPatch(addon, metadata.annotations);
                const application = applyTemplatePatch(spec.template, patch) as {
                    spec: { source: { helm: { valuesObject?: unknown; releaseName?: string } } };
                };
                assert.ok(application.spec.source.helm.valuesObject, `${addon} on ${secret.name}: no values`);
                assert.equal(application.spec.source.helm.releaseName, addon);
                generatedApps++;
            }
        }
        assert.equal(generatedApps, 14); // seven add-ons on each of prod-eu and prod-us
    });

    it("names every add-on's Helm release after the add-on on every cluster, so derived Service names match the hub's", () => {
        const template = (
            named(run, "ApplicationSet", "addon-kube-prometheus-stack").inputs.spec as {
                template: { metadata: { name: string }; spec: { source: { helm: { releaseName: string } } } };
            }
        ).template;
        // The Application is kube-prometheus-stack-<cluster>; without releaseName Argo CD would use that, and
        // the chart's fullname (cut at 26 characters) would make its Prometheus kube-prometheus-stack-prod-prometheus.
        assert.equal(template.metadata.name, "kube-prometheus-stack-{{ .name }}");
        assert.equal(template.spec.source.helm.releaseName, "kube-prometheus-stack");
        assert.equal(
            kubePrometheusStackPrometheusUrl("kube-prometheus-stack-prod-eu"),
            "http://kube-prometheus-stack-prod-prometheus.monitoring.svc:9090",
        );
        // The canary analysis of apps on the spokes queries the Service the release really has.
        assert.equal(
            inClusterPrometheusUrl,
            kubePrometheusStackPrometheusUrl(template.spec.source.helm.releaseName),
        );
    });

    it("keeps Argo CD's own alerts and dashboard off the spokes, which get the cluster rule set instead", () => {
        for (const secret of clusterSecrets(run)) {
            const annotations = (secret.inputs.metadata as { annotations: Record<string, string> })
                .annotations;
            const values = JSON.parse(annotations["gitops-platform/values.kube-prometheus-stack"]) as Record<
                string,
                unknown
            >;
            const rules = values.additionalPrometheusRulesMap as Record<
                string,
                { groups: { name: string; rules: { alert: string; labels: Record<string, string> }[] }[] }
            >;
            assert.deepEqual(Object.keys(rules), ["platform-cluster-alerts"], secret.name);
            const cluster = (secret.inputs.stringData as { name: string }).name;
            const groups = rules["platform-cluster-alerts"].groups;
            assert.deepEqual(
                groups.map((group) => group.name),
                ["platform-nodes", "platform-workloads", "platform-certificates"],
            );
            for (const rule of groups.flatMap((group) => group.rules)) {
                assert.equal(rule.labels.cluster, cluster, rule.alert);
            }
            assert.equal(values.extraManifests, undefined, secret.name);
            assert.ok(!JSON.stringify(values).includes("application-controller-metrics"), secret.name);
            assert.ok(!JSON.stringify(values).includes("ArgoCd"), secret.name);
        }
    });

    // argoproj/argo-cd pkg/apis/application/v1alpha1/app_project_types.go IsGroupKindNamePermitted, applied by
    // controller/sync.go validateSyncPermissions to the Namespace that CreateNamespace=true creates.
    it("lets each team's Applications create exactly its own namespaces on the spokes, and no other", () => {
        for (const team of ["payments", "storefront"]) {
            const project = named(run, "AppProject", team).inputs.spec as Parameters<
                typeof isClusterResourcePermitted
            >[0];
            const appSet = named(run, "ApplicationSet", `${team}-prod`).inputs.spec as {
                template: {
                    spec: { destination: { namespace: string }; syncPolicy: Record<string, unknown> };
                };
            };
            const namespace = appSet.template.spec.destination.namespace;
            assert.ok(
                (appSet.template.spec.syncPolicy.syncOptions as string[]).includes("CreateNamespace=true"),
            );
            const ns = (name: string) => ({ group: "", kind: "Namespace", name });
            assert.ok(isClusterResourcePermitted(project, ns(namespace)), `${team}: ${namespace}`);
            for (const other of [
                "kube-system",
                "argocd",
                "default",
                team === "payments" ? "storefront" : "payments",
            ]) {
                assert.ok(!isClusterResourcePermitted(project, ns(other)), `${team} may create ${other}`);
            }
            assert.ok(
                !isClusterResourcePermitted(project, {
                    group: "rbac.authorization.k8s.io",
                    kind: "ClusterRole",
                    name: "x",
                }),
            );
            // Several apps share the namespace, and Argo CD lets one Application only manage its metadata
            // (controller/sync_namespace.go), so none does.
            assert.equal(appSet.template.spec.syncPolicy.managedNamespaceMetadata, undefined);
        }
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
        // On the hub Pulumi creates the team's namespaces, so its project needs no Namespace permission,
        // and the ApplicationSet waits for them: Argo CD never has to create one.
        const project = named(dev, "AppProject", "payments").inputs.spec as {
            clusterResourceWhitelist: unknown[];
        };
        assert.deepEqual(project.clusterResourceWhitelist, []);
        assert.ok(
            appSet.opts.dependsOn.some(
                (ref) => ref.startsWith("kubernetes:core/v1:Namespace::") && ref.endsWith("-ns-payments"),
            ),
            appSet.opts.dependsOn.join(", "),
        );
    });

    it("accepts a team's cluster-scoped kind narrowed to a name, as the policy asks for Namespaces", async () => {
        const config = stackConfig("dev");
        const teams = config["gitops-platform:teams"] as Record<string, unknown>[];
        teams[0].clusterResources = [{ group: "", kind: "Namespace", name: teams[0].name }];
        const project = named(await runPlatform("dev", config), "AppProject", String(teams[0].name)).inputs
            .spec as { clusterResourceWhitelist: unknown[] };
        assert.deepEqual(project.clusterResourceWhitelist, [
            { group: "", kind: "Namespace", name: teams[0].name },
        ]);
    });

    it("gives each spoke's external-dns its own TXT owner id when the cluster sets none", async () => {
        const config = stackConfig("prod");
        for (const cluster of config["gitops-platform:workloadClusters"] as {
            values: Record<string, Record<string, unknown>>;
        }[]) {
            delete cluster.values["external-dns"].txtOwnerId;
        }
        const owners = clusterSecrets(await runPlatform("prod", config)).map((secret) => {
            const annotations = (secret.inputs.metadata as { annotations: Record<string, string> })
                .annotations;
            return (JSON.parse(annotations["gitops-platform/values.external-dns"]) as { txtOwnerId: string })
                .txtOwnerId;
        });
        assert.deepEqual(owners.sort(), ["prod-eu", "prod-us"]);
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
                    "workloadClusters[0].connection: expected exactly one of kubeconfigSecret, stackReference or eks",
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

describe("EKS workload clusters from a kubeconfig in secret config", () => {
    /** An EKS kubeconfig whose user runs `command args…`, as `aws eks update-kubeconfig` writes one. */
    function kubeconfig(command: string, args: string[]): string {
        return stringify({
            apiVersion: "v1",
            kind: "Config",
            "current-context": "prod-eu",
            contexts: [{ name: "prod-eu", context: { cluster: "prod-eu", user: "prod-eu" } }],
            clusters: [
                {
                    name: "prod-eu",
                    cluster: {
                        server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                        "certificate-authority-data": "LS0tLS1CRUdJTiBDRVJU",
                    },
                },
            ],
            users: [
                {
                    name: "prod-eu",
                    user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command, args } },
                },
            ],
        });
    }

    /** Runs prod with prodEuKubeconfig set to a real kubeconfig (the harness would put a placeholder there). */
    async function runWithKubeconfig(text: string): Promise<Recorder> {
        const recorder = await installMocks(projectName, "prod");
        const mock = toMockConfig(stackConfig("prod"), { fillMissingSecrets: true });
        mock.values[`${projectName}:prodEuKubeconfig`] = text;
        pulumi.runtime.setAllConfig(mock.values, mock.secretKeys);
        mockStackOutputs("acme/clusters/prod-us", { argocdToken: "«t»", caData: "«ca»" }, ["argocdToken"]);
        deployPlatform(loadStack({ ...pulumiConfigSource(), env: { GITHUB_TOKEN: "t" } }));
        await settle();
        return recorder;
    }

    it("turns `aws eks get-token --role-arn` into the cluster Secret's awsAuthConfig, kept secret", async () => {
        const recorder = await runWithKubeconfig(
            kubeconfig("aws", [
                "eks",
                "get-token",
                "--cluster-name",
                "prod-eu",
                "--role-arn",
                "arn:aws:iam::123456789012:role/argocd",
            ]),
        );
        const secret = recorder.resources.find(
            (r) =>
                r.type === "kubernetes:core/v1:Secret" &&
                (r.inputs.metadata as { name: string }).name === "cluster-prod-eu",
        );
        assert.ok(secret);
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        assert.deepEqual(JSON.parse((secret.inputs.stringData as { config: string }).config), {
            awsAuthConfig: { clusterName: "prod-eu", roleARN: "arn:aws:iam::123456789012:role/argocd" },
            tlsClientConfig: { insecure: false, caData: "LS0tLS1CRUdJTiBDRVJU" },
        });
    });

    it("refuses another exec plugin before anything registers, naming the secret key and what to give instead", () => {
        const values: Record<string, string> = {};
        for (const [key, value] of Object.entries(stackConfig("prod")))
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        values[`${projectName}:prodEuKubeconfig`] = kubeconfig("kubelogin", [
            "get-token",
            "--server-id",
            "x",
        ]);
        let problems: string[] = [];
        try {
            loadStack({
                project: projectName,
                stack: "prod",
                values,
                isSecret: () => true,
                env: { GITHUB_TOKEN: "t" },
            });
        } catch (err) {
            assert.ok(ConfigError.isConfigError(err), String(err));
            problems = err.problems;
        }
        // (The other secrets this test leaves unset are reported too; the kubeconfig is never quoted.)
        assert.doesNotMatch(problems.join("\n"), /LS0tLS1CRUdJTiBDRVJU|--server-id/);
        assert.deepEqual(
            problems.filter((p) => p.startsWith("prodEuKubeconfig")),
            [
                'prodEuKubeconfig: cluster prod-eu: expected a bearer token or an EKS exec (aws eks get-token, aws-iam-authenticator), got a user that runs "kubelogin", which Argo CD cannot run; give a kubeconfig whose current context has a bearer token (a service account token of the cluster), an EKS kubeconfig as `aws eks update-kubeconfig` writes it, or connection.eks',
            ],
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
