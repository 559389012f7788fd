import { z } from "zod";

/**
 * The stack configuration schema: one typed model for the whole platform. Every object is strict, so a
 * misspelt key is an error rather than a silently ignored setting.
 */

/** Environments this platform knows; each has its own defaults in `defaults.ts`. */
export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lowercase letters, digits and '-')");
const hostname = z
    .string()
    .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/,
        "a fully qualified hostname such as argocd.example.com",
    );
/** An exact semantic version: no ranges, no `*`, no `latest`. */
export const exactVersion = z
    .string()
    .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "an exact version such as 1.2.3 (no ranges)");
const githubName = z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, "a GitHub login (letters, digits and '-')");
const repoName = z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, '.', '_', '-')");
const duration = z.string().regex(/^\d+(s|m|h)$/, "a duration such as 30s, 5m or 1h");
const positiveInt = z.number().int().min(1);

const clusterSchema = z.strictObject({
    /** Short cluster name, used in labels and resource names. */
    name: dnsLabel,
    /** kubeconfig context to use; the current context when unset. */
    context: z.string().min(1).optional(),
    /** Path to a kubeconfig file; the ambient kubeconfig (KUBECONFIG or ~/.kube/config) when unset. */
    kubeconfig: z.string().min(1).optional(),
});

const replicasSchema = z.strictObject({
    server: positiveInt,
    repoServer: positiveInt,
    applicationSet: positiveInt,
    /** Application controller replicas; more than one shards clusters across them. */
    controller: positiveInt,
});

const argocdSchema = z.strictObject({
    namespace: dnsLabel,
    /** Exact version of the argo-cd Helm chart. */
    chartVersion: exactVersion,
    /** Public hostname of the Argo CD server; enables ingress, TLS and the GitHub webhook. */
    hostname: hostname.optional(),
    ingressClassName: dnsLabel,
    /** cert-manager ClusterIssuer that signs the server certificate. */
    clusterIssuer: dnsLabel.optional(),
    /** Keep the local `admin` account; prod turns it off in favour of SSO groups. */
    adminEnabled: z.boolean(),
    /** Redis HA and multi-replica components. */
    ha: z.boolean(),
    replicas: replicasSchema,
    /** How often Argo CD polls Git; derived from whether a webhook can reach Argo CD when unset. */
    reconciliationTimeout: duration.optional(),
    /** Synced revisions kept per Application and ReplicaSets kept per Deployment. */
    revisionHistoryLimit: z.number().int().min(0).max(100),
    /** Resource request profile for Argo CD's components. */
    size: z.enum(["small", "medium", "large"]),
    /** SSO groups that get `role:admin`. */
    adminGroups: z.array(z.string().min(1)),
    /** OpenID Connect single sign-on; the client secret is the secret config key `argocdOidcClientSecret`. */
    oidc: z
        .strictObject({
            name: z.string().min(1),
            issuer: z.url({ protocol: /^https$/, error: "an https URL" }),
            clientId: z.string().min(1),
        })
        .optional(),
});

const backoffSchema = z.strictObject({
    duration: duration,
    factor: positiveInt,
    maxDuration: duration,
});

const syncSchema = z.strictObject({
    /** Sync automatically when Git changes. */
    automated: z.boolean(),
    /** Delete resources that were removed from Git. */
    prune: z.boolean(),
    /** Revert changes made in the cluster outside Git. */
    selfHeal: z.boolean(),
    retry: z.strictObject({ limit: positiveInt, backoff: backoffSchema }),
    /** Add the resources finalizer, so deleting an Application deletes what it deployed. */
    cascadeDelete: z.boolean(),
});

const clusterResourceSchema = z.strictObject({ group: z.string(), kind: z.string().min(1) });

const teamSchema = z.strictObject({
    name: dnsLabel,
    /** SSO group whose members get the team's project role. */
    group: z.string().min(1),
    /** Namespaces the team may deploy to; defaults to one namespace named after the team. */
    namespaces: z.array(dnsLabel).min(1).optional(),
    /** Cluster-scoped kinds the team may manage; none by default. */
    clusterResources: z.array(clusterResourceSchema).optional(),
});

const appSchema = z.strictObject({
    name: dnsLabel,
    /** Owning team; must be one of `teams`. */
    team: dnsLabel,
    /** Container port the app listens on. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Namespace the app runs in; the team's first namespace by default. */
    namespace: dnsLabel.optional(),
});

const gitopsSchema = z.strictObject({
    /** Name of the GitOps repository in the GitHub owner. */
    repository: repoName,
    /** Branch Argo CD follows. */
    branch: z.string().min(1),
});

const githubSchema = z.strictObject({
    /** GitHub organisation (or user) that owns every repository. */
    owner: githubName,
});

/** The whole platform configuration, after per-environment defaults are applied. */
export const platformConfigSchema = z
    .strictObject({
        environment: z.enum(environments),
        cluster: clusterSchema,
        argocd: argocdSchema,
        sync: syncSchema,
        github: githubSchema,
        gitops: gitopsSchema,
        teams: z.array(teamSchema),
        apps: z.array(appSchema),
    })
    .superRefine((config, ctx) => {
        uniqueNames(config.teams, ["teams"], ctx);
        uniqueNames(config.apps, ["apps"], ctx);
        const teams = new Set(config.teams.map((team) => team.name));
        config.apps.forEach((app, index) => {
            if (!teams.has(app.team)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, "team"],
                    message: `expected one of the configured teams (${[...teams].join(", ") || "none"}), got "${app.team}"`,
                });
            }
        });
    });

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type TeamConfig = PlatformConfig["teams"][number];
export type AppConfig = PlatformConfig["apps"][number];
export type SyncConfig = PlatformConfig["sync"];
export type ArgoCdConfig = PlatformConfig["argocd"];

function uniqueNames(items: { name: string }[], path: (string | number)[], ctx: z.RefinementCtx): void {
    const seen = new Set<string>();
    items.forEach((item, index) => {
        if (seen.has(item.name)) {
            ctx.addIssue({
                code: "custom",
                path: [...path, index, "name"],
                message: `expected a unique name, got "${item.name}" a second time`,
            });
        }
        seen.add(item.name);
    });
}
