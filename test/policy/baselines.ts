/**
 * Compliant baselines: one factory per resource type, each returning a fresh resource (shaped like what
 * the platform registers) that passes every policy under the prod config. A test takes a baseline,
 * breaks one thing with `set`/`unset`, and expects exactly that to be reported.
 */
import type { TestResource } from "../harness/recorder";

export { recorded, type TestResource } from "../harness/recorder";

type Path = string | (string | number)[];

function steps(path: Path): (string | number)[] {
    return typeof path === "string" ? path.split(".") : path;
}

/** Sets a value at a path (`"spec.project"` or `["values", "configs", "cm", "admin.enabled"]`), creating objects on the way. */
export function set<T extends TestResource>(resource: T, path: Path, value: unknown): T {
    const keys = steps(path);
    let current = resource.inputs as Record<string | number, unknown>;
    for (const key of keys.slice(0, -1)) {
        if (typeof current[key] !== "object" || current[key] === null) current[key] = {};
        current = current[key] as Record<string | number, unknown>;
    }
    current[keys[keys.length - 1]] = value;
    return resource;
}

/** Removes the value at a path. */
export function unset<T extends TestResource>(resource: T, path: Path): T {
    const keys = steps(path);
    let current = resource.inputs as Record<string | number, unknown> | undefined;
    for (const key of keys.slice(0, -1))
        current = current?.[key] as Record<string | number, unknown> | undefined;
    if (current) delete current[keys[keys.length - 1]];
    return resource;
}

export const types = {
    application: "kubernetes:argoproj.io/v1alpha1:Application",
    appProject: "kubernetes:argoproj.io/v1alpha1:AppProject",
    applicationSet: "kubernetes:argoproj.io/v1alpha1:ApplicationSet",
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    crd: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
    repository: "github:index/repository:Repository",
    repositoryFile: "github:index/repositoryFile:RepositoryFile",
    ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
    orgRuleset: "github:index/organizationRuleset:OrganizationRuleset",
    deployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
    webhook: "github:index/repositoryWebhook:RepositoryWebhook",
    vulnerabilityAlerts: "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts",
    branchDefault: "github:index/branchDefault:BranchDefault",
} as const;

const gitopsRepo = "git@github.com:acme/gitops.git";
const inCluster = "https://kubernetes.default.svc";

function ownership(team: string, environment = "prod"): Record<string, string> {
    return {
        "gitops-platform/team": team,
        "gitops-platform/environment": environment,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

function syncPolicy(): Record<string, unknown> {
    return {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["CreateNamespace=true", "ServerSideApply=true", "PruneLast=true"],
        retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "10m" } },
    };
}

/** A Git-sourced Application in a team project, as `GitOpsApplication` builds it for prod. */
export function application(name = "checkout-prod"): TestResource {
    return {
        type: types.application,
        name: `${name}-app`,
        inputs: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name, namespace: "argocd", labels: ownership("payments") },
            spec: {
                project: "payments",
                source: { repoURL: gitopsRepo, targetRevision: "main", path: "apps/checkout/overlays/prod" },
                destination: { server: inCluster, namespace: "payments" },
                syncPolicy: syncPolicy(),
            },
        },
    };
}

/** The app-of-apps root: an argocd-apps chart Application whose values declare one child. */
/** The path of a field of the root's `platform-manifests` child, for `set`/`unset`. */
export function rootChildPath(...field: string[]): string[] {
    return ["spec", "source", "helm", "valuesObject", "applications", "platform-manifests", ...field];
}

export function appOfApps(): TestResource {
    return {
        type: types.application,
        name: "prod-root-root",
        inputs: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            metadata: { name: "platform-root", namespace: "argocd" },
            spec: {
                project: "platform",
                source: {
                    repoURL: "https://argoproj.github.io/argo-helm",
                    chart: "argocd-apps",
                    targetRevision: "2.0.0",
                    helm: {
                        valuesObject: {
                            applications: {
                                "platform-manifests": {
                                    namespace: "argocd",
                                    additionalLabels: {},
                                    additionalAnnotations: { "argocd.argoproj.io/sync-wave": "0" },
                                    finalizers: [],
                                    project: "platform",
                                    source: {
                                        repoURL: gitopsRepo,
                                        targetRevision: "main",
                                        path: "platform/prod",
                                        directory: { recurse: true },
                                    },
                                    destination: { server: inCluster, namespace: "argocd" },
                                    syncPolicy: syncPolicy(),
                                },
                            },
                        },
                    },
                },
                destination: { server: inCluster, namespace: "argocd" },
                syncPolicy: syncPolicy(),
            },
        },
    };
}

/** A team's git-directory ApplicationSet, as `ApplicationSet` builds it for prod. */
export function applicationSet(team = "payments"): TestResource {
    return {
        type: types.applicationSet,
        name: `${team}-prod-appset`,
        inputs: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "ApplicationSet",
            metadata: { name: `${team}-prod`, namespace: "argocd", labels: ownership(team) },
            spec: {
                goTemplate: true,
                goTemplateOptions: ["missingkey=error"],
                generators: [
                    {
                        git: {
                            repoURL: gitopsRepo,
                            revision: "main",
                            directories: [{ path: "apps/checkout/overlays/prod" }],
                        },
                    },
                ],
                template: {
                    metadata: { name: "{{ index .path.segments 1 }}-prod", labels: ownership(team) },
                    spec: {
                        project: team,
                        source: { repoURL: gitopsRepo, targetRevision: "main", path: "{{ .path.path }}" },
                        destination: { server: inCluster, namespace: team },
                        syncPolicy: syncPolicy(),
                    },
                },
                syncPolicy: { preserveResourcesOnDeletion: true },
            },
        },
    };
}

/** A team AppProject, as `AppProject` builds it. */
export function appProject(team = "payments"): TestResource {
    return {
        type: types.appProject,
        name: `prod-${team}-project`,
        inputs: {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "AppProject",
            metadata: { name: team, namespace: "argocd", labels: ownership(team) },
            spec: {
                description: `Apps of team ${team}`,
                sourceRepos: [gitopsRepo, "git@github.com:acme/checkout.git"],
                destinations: [{ server: inCluster, namespace: team }],
                clusterResourceWhitelist: [],
                namespaceResourceBlacklist: [
                    { group: "", kind: "ResourceQuota" },
                    { group: "", kind: "LimitRange" },
                ],
                orphanedResources: { warn: true },
                roles: [],
            },
        },
    };
}

/** The prod Argo CD install: pinned official chart, HA, no local admin, read-only default role. */
export function argoCdRelease(): TestResource {
    return {
        type: types.release,
        name: "prod-argocd-release",
        inputs: {
            name: "argocd",
            chart: "argo-cd",
            version: "9.6.1",
            repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
            namespace: "argocd",
            createNamespace: false,
            maxHistory: 10,
            values: {
                crds: { keep: true },
                configs: {
                    cm: {
                        url: "https://argocd.example.com",
                        "admin.enabled": false,
                        "timeout.reconciliation": "300s",
                        "oidc.config":
                            "name: Acme SSO\nissuer: https://sso.example.com\nclientID: argocd\nclientSecret: $oidc.clientSecret\n",
                    },
                    params: { "server.insecure": true },
                    rbac: {
                        "policy.default": "role:readonly",
                        "policy.csv": "g, acme:platform-team, role:admin\n",
                        scopes: "[groups]",
                    },
                    secret: { createSecret: false },
                },
                controller: { replicas: 2 },
                server: { replicas: 3 },
                repoServer: { replicas: 3 },
                applicationSet: { replicas: 2 },
                redis: { enabled: false },
                "redis-ha": { enabled: true },
            },
        },
    };
}

/** Some other Helm release, pinned. */
export function helmRelease(): TestResource {
    return {
        type: types.release,
        name: "cert-manager",
        inputs: {
            chart: "cert-manager",
            version: "v1.16.2",
            repositoryOpts: { repo: "https://charts.jetstack.io" },
            namespace: "cert-manager",
            values: { crds: { enabled: true } },
        },
    };
}

/** A team namespace, labelled and protected as prod's are. */
export function namespace(name = "payments", team = "payments"): TestResource {
    return {
        type: types.namespace,
        name: `prod-ns-${name}`,
        inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: ownership(team) } },
        opts: { protect: true, retainOnDelete: true },
    };
}

/** A ConfigMap with plain settings and a reference to a secret kept elsewhere. */
export function configMap(): TestResource {
    return {
        type: types.configMap,
        name: "web-config",
        inputs: {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "web-config", namespace: "storefront" },
            data: {
                LOG_LEVEL: "info",
                "session.ttl": "1h",
                "service.slack": "token: $slack-token\nusername: argocd\n",
                DATABASE_HOST: "db.storefront.svc",
            },
        },
    };
}

/** An Argo CD cluster Secret, as WorkloadCluster registers it. */
export function clusterSecret(name = "prod-eu", server = "https://prod-eu.k8s.example.com"): TestResource {
    return {
        type: types.secret,
        name: `spokes-${name}-cluster`,
        inputs: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
                name: `cluster-${name}`,
                namespace: "argocd",
                labels: { "argocd.argoproj.io/secret-type": "cluster", "enable_cert-manager": "true" },
                annotations: { "gitops-platform/values.external-dns": '{"txtOwnerId":"prod-eu"}' },
            },
            stringData: {
                name,
                server,
                config: JSON.stringify({
                    bearerToken: "«secret:t»",
                    tlsClientConfig: { insecure: false, caData: "Q0E=" },
                }),
            },
        },
    };
}

/** A seeded `apps/<app>/base/manifests.yaml`: a canary Rollout with resources and probes, and a Service. */
export function seededManifest(): TestResource {
    const container = {
        name: "checkout",
        image: "checkout",
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
    };
    const rollout = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: { name: "checkout" },
        spec: { template: { spec: { containers: [container] } } },
    };
    const service = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "checkout" },
        spec: { ports: [{ port: 80 }] },
    };
    return {
        type: types.repositoryFile,
        name: "gitops-apps-checkout-base-manifests",
        inputs: {
            repository: "gitops",
            file: "apps/checkout/base/manifests.yaml",
            content: [JSON.stringify(rollout), JSON.stringify(service)].join("\n---\n"),
        },
    };
}

/** A Deployment with a versioned image, resources and probes. */
export function deployment(): TestResource {
    return {
        type: types.deployment,
        name: "web",
        inputs: {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "web", namespace: "storefront" },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "web" } },
                template: {
                    metadata: { labels: { app: "web" } },
                    spec: {
                        initContainers: [
                            {
                                name: "migrate",
                                image: "ghcr.io/acme/web-migrate:1.4.2",
                                resources: {
                                    requests: { cpu: "50m", memory: "64Mi" },
                                    limits: { memory: "128Mi" },
                                },
                            },
                        ],
                        containers: [
                            {
                                name: "web",
                                image: "ghcr.io/acme/web:1.4.2",
                                ports: [{ containerPort: 3000 }],
                                resources: {
                                    requests: { cpu: "100m", memory: "128Mi" },
                                    limits: { memory: "256Mi" },
                                },
                                readinessProbe: { httpGet: { path: "/healthz", port: 3000 } },
                                livenessProbe: { httpGet: { path: "/healthz", port: 3000 } },
                            },
                        ],
                    },
                },
            },
        },
    };
}

/** A private repository with alerts, archived rather than deleted on destroy. */
export function repository(name = "checkout"): TestResource {
    return {
        type: types.repository,
        name: `repo-${name}`,
        inputs: {
            name,
            visibility: "private",
            vulnerabilityAlerts: true,
            archiveOnDestroy: true,
            hasIssues: true,
        },
        opts: { protect: true },
    };
}

/** The default-branch ruleset of a repository: PRs required, no force pushes, no deletion. */
export function ruleset(repo = "checkout"): TestResource {
    return {
        type: types.ruleset,
        name: `repo-${repo}-ruleset`,
        inputs: {
            name: "default-branch",
            repository: repo,
            target: "branch",
            enforcement: "active",
            conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
            rules: {
                pullRequest: { requiredApprovingReviewCount: 1, dismissStaleReviewsOnPush: true },
                nonFastForward: true,
                deletion: true,
            },
            bypassActors: [],
        },
        opts: { dependsOn: [`${types.repository}::repo-${repo}`] },
    };
}

/** Argo CD's read-only deploy key on the GitOps repository. */
export function deployKey(environment = "prod"): TestResource {
    return {
        type: types.deployKey,
        name: `gitops-argocd-${environment}-key`,
        inputs: {
            repository: "gitops",
            title: `argocd-${environment}`,
            key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIprod prod",
            readOnly: true,
        },
    };
}

/** The GitOps repository's webhook to Argo CD: HTTPS, verified, signed. */
export function webhook(): TestResource {
    return {
        type: types.webhook,
        name: "gitops-argocd-webhook",
        inputs: {
            repository: "gitops",
            active: true,
            events: ["push"],
            configuration: {
                url: "https://argocd.example.com/api/webhook",
                contentType: "json",
                insecureSsl: false,
                secret: "«secret:prod-webhook-secret»",
            },
        },
    };
}
