import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { mergeLayers } from "../common/merge";
import { argoCdChart } from "./chart";
import type { RbacArgs } from "./rbac";
import { argoCdConfigMapData, type ArgoCdInstallMode } from "./config";
import { configMapPatch, secretPatch } from "./patches";
import {
    argoCdSecretData,
    repositorySecretData,
    type RepositoryCredentials,
    type WebhookProvider,
} from "./secrets";
import {
    argoCdReleaseName,
    argoCdValues,
    reconciliationTimeout,
    type ArgoCdReplicas,
    type SizeProfile,
} from "./values";

/** OpenID Connect single sign-on; groups from the token map to roles in `policy.csv`. */
export interface OidcArgs {
    /** Display name on the login button. */
    name: string;
    issuer: string;
    clientId: string;
    clientSecret: pulumi.Input<string>;
    /** Default: `["openid", "profile", "email", "groups"]`. */
    requestedScopes?: string[];
}

export interface ArgoCdArgs {
    /**
     * `helm` installs Argo CD from its chart; `external` configures an Argo CD already running in
     * `namespace` (no Namespace, no release: server-side apply patches of argocd-cm, argocd-rbac-cm,
     * argocd-cmd-params-cm and argocd-secret). Default: `helm`.
     */
    install?: ArgoCdInstallMode;
    /** Namespace Argo CD runs in. Default: `argocd`. */
    namespace?: string;
    /** Exact argo-cd chart version (`helm`). Default: the version pinned in `chart.ts`. */
    chartVersion?: string;
    /**
     * Helm repository, or OCI registry (`oci://host/path`), of the argo-cd chart, e.g. a mirror (`helm`).
     * Default: the official argo-helm repository in `chart.ts`.
     */
    chartRepository?: string;
    /** Public hostname; enables the ingress with TLS and `configs.cm.url`. Default: none (no ingress). */
    hostname?: string;
    /** Ingress class of the server ingress. Default: `nginx`. */
    ingressClassName?: string;
    /** cert-manager ClusterIssuer for the server certificate. Default: none. */
    clusterIssuer?: string;
    /** Keep the local admin account. Default: `true`. */
    adminEnabled?: boolean;
    /** Redis HA. Default: `false`. */
    ha?: boolean;
    /** Component replicas. Default: one of each. */
    replicas?: ArgoCdReplicas;
    /** Git polling interval. Default: `300s` with a webhook, `60s` without. */
    reconciliationTimeout?: string;
    /** History kept per Application and Deployment. Default: `5`. */
    revisionHistoryLimit?: number;
    /** Resource request profile. Default: `small`. */
    size?: SizeProfile;
    /** RBAC from teams. Default: no teams, no admin groups, read-only for everyone else. */
    rbac?: RbacArgs;
    /** Git webhook secret, stored in `argocd-secret`. Default: none, and no webhook is expected. */
    webhookSecret?: pulumi.Input<string>;
    /** Git server that signs the webhook; picks the argocd-secret key (`webhookSecretKeys`). Default: `github`. */
    webhookProvider?: WebhookProvider;
    /** OIDC single sign-on. Default: none. */
    oidc?: OidcArgs;
    /** Repositories Argo CD reads, each stored as a `secret-type: repository` Secret. Default: none. */
    repositories?: RepositoryCredentials[];
    /** Labels for the namespace (`helm`). Default: none. */
    namespaceLabels?: Record<string, string>;
    /** Extra `argocd-cm` entries, e.g. health customisations. Default: none. */
    extraConfig?: Record<string, string>;
    /** Extra chart values merged over the built ones, e.g. notifications or metrics. Default: none. */
    extraValues?: Record<string, unknown>[];
    /** Protect the namespace and keep it on delete (prod, `helm`). Default: `false`. */
    protect?: boolean;
    /** Resources the chart install waits for, e.g. add-ons Pulumi installs directly (`helm`). Default: none. */
    installAfter?: pulumi.Resource[];
}

/**
 * Argo CD for this platform: installed from its Helm chart (`install: "helm"`), or an Argo CD that is
 * already running (`install: "external"`: OpenShift GitOps, a managed offering, a plain install.yaml),
 * which the platform only configures. One set of builders feeds both: the chart values of the Helm mode
 * are what the external mode writes into the existing ConfigMaps (`argoCdConfigMapData`).
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** Namespace Argo CD runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Helm release name (`argocd`, also for an external install's component names). */
    public readonly releaseName: pulumi.Output<string>;
    /** URL of the Argo CD server, or an empty string without a hostname. */
    public readonly serverUrl: pulumi.Output<string>;
    /**
     * What Argo CD custom resources wait for: the Helm release (its chart brings the CRDs), or, for an
     * external install, this component, so they wait for every configuration patch.
     */
    public readonly install: pulumi.Resource;
    /** The Helm release; undefined for an external install. */
    public readonly release?: k8s.helm.v3.Release;
    /** The server-side apply patches of an external install's ConfigMaps and Secret; empty with Helm. */
    public readonly configPatches: pulumi.CustomResource[];

    constructor(name: string, args: ArgoCdArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:argocd:ArgoCd", name, {}, opts);

        const external = (args.install ?? "helm") === "external";
        const namespaceName = args.namespace ?? "argocd";
        const guard = { protect: args.protect ?? false, retainOnDelete: args.protect ?? false };
        // An external Argo CD brings its namespace; the platform never creates or deletes it.
        const namespace = external
            ? undefined
            : new k8s.core.v1.Namespace(
                  `${name}-ns`,
                  { metadata: { name: namespaceName, labels: args.namespaceLabels } },
                  { parent: this, ...guard },
              );
        const inNamespace = { parent: this, dependsOn: namespace ? [namespace] : [] };

        const secretData = argoCdSecretData({
            webhookSecret: args.webhookSecret,
            webhookProvider: args.webhookProvider,
            oidcClientSecret: args.oidc?.clientSecret,
        });
        const secretLabels = {
            "app.kubernetes.io/name": "argocd-secret",
            "app.kubernetes.io/part-of": "argocd",
        };
        const argoCdSecret = external
            ? Object.keys(secretData).length > 0
                ? secretPatch(
                      `${name}-secret-patch`,
                      { name: "argocd-secret", namespace: namespaceName },
                      secretData,
                      inNamespace,
                  )
                : undefined
            : new k8s.core.v1.Secret(
                  `${name}-secret`,
                  {
                      metadata: { name: "argocd-secret", namespace: namespaceName, labels: secretLabels },
                      stringData: secretData,
                  },
                  inNamespace,
              );

        const repositorySecrets = (args.repositories ?? []).map(
            (repo, index) =>
                new k8s.core.v1.Secret(
                    `${name}-repo-${index}`,
                    {
                        metadata: {
                            name: `repo-${repositorySlug(repo.url)}`,
                            namespace: namespaceName,
                            labels: { "argocd.argoproj.io/secret-type": "repository" },
                        },
                        stringData: repositorySecretData(repo),
                    },
                    inNamespace,
                ),
        );

        const values = argoCdChartValues(args);

        if (external) {
            const patches: pulumi.CustomResource[] = [];
            // argocd-secret first: argocd-server restarts itself when argocd-cm's `url` changes, and a restart
            // that reads its settings before the webhook secret lands keeps none, so it accepts unsigned pushes
            // until the next restart (seen with Argo CD 3.6.1 in the e2e). With the Secret in place, every
            // restart reads it.
            const afterSecret = argoCdSecret ? { dependsOn: [argoCdSecret] } : {};
            for (const [configMap, data] of Object.entries(argoCdConfigMapData(values))) {
                if (Object.keys(data).length === 0) continue;
                patches.push(
                    configMapPatch(
                        `${name}-${configMap}`,
                        { name: configMap, namespace: namespaceName },
                        data,
                        { parent: this, ...afterSecret },
                    ),
                );
            }
            if (argoCdSecret) patches.push(argoCdSecret);
            this.configPatches = patches;
            this.install = this;
            this.releaseName = pulumi.output(argoCdReleaseName);
        } else {
            const repository = args.chartRepository ?? argoCdChart.repository;
            const oci = repository.startsWith("oci://");
            this.release = new k8s.helm.v3.Release(
                `${name}-release`,
                {
                    name: argoCdReleaseName,
                    // An OCI registry names the chart by reference; a classic repository by name.
                    chart: oci ? `${repository.replace(/\/+$/, "")}/${argoCdChart.chart}` : argoCdChart.chart,
                    version: args.chartVersion ?? argoCdChart.version,
                    ...(oci ? {} : { repositoryOpts: { repo: repository } }),
                    namespace: namespaceName,
                    createNamespace: false,
                    maxHistory: 10,
                    values,
                },
                {
                    parent: this,
                    dependsOn: [
                        ...(namespace ? [namespace] : []),
                        ...(argoCdSecret ? [argoCdSecret] : []),
                        ...repositorySecrets,
                        ...(args.installAfter ?? []),
                    ],
                },
            );
            this.configPatches = [];
            this.install = this.release;
            this.releaseName = this.release.status.name;
        }

        this.namespace = namespace ? namespace.metadata.name : pulumi.output(namespaceName);
        this.serverUrl = pulumi.output(args.hostname ? `https://${args.hostname}` : "");
        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            serverUrl: this.serverUrl,
        });
    }
}

/** The argo-cd chart values for these args: the built values with the extra layers merged over. Pure. */
export function argoCdChartValues(args: ArgoCdArgs): Record<string, unknown> {
    return mergeLayers(
        argoCdValues({
            hostname: args.hostname,
            namespace: args.namespace ?? "argocd",
            releaseName: argoCdReleaseName,
            ingressClassName: args.ingressClassName ?? "nginx",
            clusterIssuer: args.clusterIssuer,
            adminEnabled: args.adminEnabled ?? true,
            ha: args.ha ?? false,
            replicas: args.replicas ?? { server: 1, repoServer: 1, applicationSet: 1, controller: 1 },
            reconciliationTimeout: reconciliationTimeout(
                args.webhookSecret !== undefined,
                args.reconciliationTimeout,
            ),
            revisionHistoryLimit: args.revisionHistoryLimit ?? 5,
            size: args.size ?? "small",
            rbac: args.rbac ?? { teams: [], adminGroups: [], teamActions: [] },
            extraConfig: { ...oidcConfig(args.oidc), ...args.extraConfig },
        }),
        ...(args.extraValues ?? []),
    ) as Record<string, unknown>;
}

/** `oidc.config` for argocd-cm; the client secret is referenced from argocd-secret, never inlined. */
function oidcConfig(oidc: OidcArgs | undefined): Record<string, string> {
    if (!oidc) return {};
    const scopes = oidc.requestedScopes ?? ["openid", "profile", "email", "groups"];
    return {
        "oidc.config": stringify({
            name: oidc.name,
            issuer: oidc.issuer,
            clientID: oidc.clientId,
            clientSecret: "$oidc.clientSecret",
            requestedScopes: scopes,
        }),
    };
}

/** A Kubernetes-safe name for a repository URL: `git@github.com:acme/gitops.git` becomes `acme-gitops`. */
export function repositorySlug(url: string): string {
    const path = url
        .replace(/\.git$/, "")
        .split(/[/:]/)
        .slice(-2)
        .join("-");
    return path
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 50);
}
