import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { mergeLayers } from "../common/merge";
import { argoCdChart } from "./chart";
import type { RbacArgs } from "./rbac";
import { argoCdSecretData, repositorySecretData, type RepositoryCredentials } from "./secrets";
import { argoCdValues, reconciliationTimeout, type ArgoCdReplicas, type SizeProfile } from "./values";

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
    /** Namespace Argo CD runs in. Default: `argocd`. */
    namespace?: string;
    /** Exact argo-cd chart version. Default: the version pinned in `chart.ts`. */
    chartVersion?: string;
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
    /** GitHub webhook secret, stored in `argocd-secret`. Default: none, and no webhook is expected. */
    webhookSecret?: pulumi.Input<string>;
    /** OIDC single sign-on. Default: none. */
    oidc?: OidcArgs;
    /** Repositories Argo CD reads, each stored as a `secret-type: repository` Secret. Default: none. */
    repositories?: RepositoryCredentials[];
    /** Labels for the namespace. Default: none. */
    namespaceLabels?: Record<string, string>;
    /** Extra `argocd-cm` entries, e.g. health customisations. Default: none. */
    extraConfig?: Record<string, string>;
    /** Extra chart values merged over the built ones, e.g. notifications or metrics. Default: none. */
    extraValues?: Record<string, unknown>[];
    /** Protect the namespace and keep it on delete (prod). Default: `false`. */
    protect?: boolean;
    /** Resources the chart install waits for, e.g. add-ons Pulumi installs directly. Default: none. */
    installAfter?: pulumi.Resource[];
}

/** Installs Argo CD from its Helm chart and configures it for this platform. */
export class ArgoCd extends pulumi.ComponentResource {
    /** Namespace Argo CD runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** URL of the Argo CD server, or an empty string without a hostname. */
    public readonly serverUrl: pulumi.Output<string>;
    /** The Helm release; Argo CD custom resources depend on it for their CRDs. */
    public readonly install: k8s.helm.v3.Release;

    constructor(name: string, args: ArgoCdArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:argocd:ArgoCd", name, {}, opts);

        const namespaceName = args.namespace ?? "argocd";
        const guard = { protect: args.protect ?? false, retainOnDelete: args.protect ?? false };
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: namespaceName, labels: args.namespaceLabels } },
            { parent: this, ...guard },
        );
        const inNamespace = { parent: this, dependsOn: [namespace] };

        const argoCdSecret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: "argocd-secret",
                    namespace: namespaceName,
                    labels: {
                        "app.kubernetes.io/name": "argocd-secret",
                        "app.kubernetes.io/part-of": "argocd",
                    },
                },
                stringData: argoCdSecretData({
                    webhookSecret: args.webhookSecret,
                    oidcClientSecret: args.oidc?.clientSecret,
                }),
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

        const values = mergeLayers(
            argoCdValues({
                hostname: args.hostname,
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

        this.install = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: "argocd",
                chart: argoCdChart.chart,
                version: args.chartVersion ?? argoCdChart.version,
                repositoryOpts: { repo: argoCdChart.repository },
                namespace: namespaceName,
                createNamespace: false,
                maxHistory: 10,
                values,
            },
            {
                parent: this,
                dependsOn: [namespace, argoCdSecret, ...repositorySecrets, ...(args.installAfter ?? [])],
            },
        );

        this.namespace = namespace.metadata.name;
        this.releaseName = this.install.status.name;
        this.serverUrl = pulumi.output(args.hostname ? `https://${args.hostname}` : "");
        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            serverUrl: this.serverUrl,
        });
    }
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
