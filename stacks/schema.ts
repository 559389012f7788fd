import { z } from "zod";
import { addonCatalog, addonNames } from "../components/addons/catalog";
import { ownsCrd } from "../components/addons/plan";
import { workloadClusterSchema } from "./clustersSchema";
import { addonProblems } from "../components/addons/plan";
import { notificationTriggerNames } from "../components/notifications/catalog";

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
    /** GitHub team slug in `github.owner` (push access, CODEOWNERS); the team name by default. */
    githubTeam: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, "a GitHub team slug (lowercase letters, digits, '-', '_')")
        .optional(),
});

const appSchema = z.strictObject({
    name: dnsLabel,
    /** Owning team; must be one of `teams`. */
    team: dnsLabel,
    /** Container port the app listens on. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Namespace the app runs in; the team's first namespace by default. */
    namespace: dnsLabel.optional(),
    /** Deliver the app as an Argo Rollouts canary (needs the argo-rollouts add-on); a Deployment when unset. */
    canary: z
        .strictObject({
            /** Exactly one of setWeight or pause each; 10% → 30% → 60% with pauses when unset. */
            steps: z
                .array(
                    z.strictObject({
                        setWeight: z.number().int().min(1).max(100).optional(),
                        pause: z.strictObject({ duration: duration.optional() }).optional(),
                    }),
                )
                .min(1)
                .optional(),
            /** Prometheus success-rate analysis; a failure aborts and rolls back. On by default. */
            analysis: z
                .strictObject({
                    enabled: z.boolean().optional(),
                    successRate: z.number().gt(0).max(1).optional(),
                    interval: duration.optional(),
                    failureLimit: z.number().int().min(0).optional(),
                    startingStep: z.number().int().min(0).optional(),
                    prometheusAddress: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
                })
                .optional(),
            progressDeadlineSeconds: positiveInt.optional(),
        })
        .optional(),
});

const gitopsSchema = z.strictObject({
    /** Name of the GitOps repository in the GitHub owner. */
    repository: repoName,
    /** Branch Argo CD follows. */
    branch: z.string().min(1),
});

const githubIds = z.array(positiveInt).max(6);

const githubSchema = z.strictObject({
    /** GitHub organisation that owns every repository (rulesets, teams and org variables need one). */
    owner: githubName,
    /**
     * The environment whose stack declares the GitHub objects all environments share (repositories,
     * rulesets, files, team access, app deploy keys, organisation variables). Every stack must name the
     * same one; the others declare only their own deploy keys, webhook and GitHub environment.
     */
    sharedStack: z.enum(environments),
    /** Authenticate as a GitHub App (private key: secret config `githubAppPrivateKey`) instead of a token. */
    app: z.strictObject({ id: positiveInt, installationId: positiveInt }).optional(),
    /** Container registry host the standard pipeline pushes images to. */
    registry: z
        .string()
        .regex(
            /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._-]+)*$/,
            "a registry host such as ghcr.io or registry.example.com:5000",
        ),
    /** Approving reviews pull requests need on the GitOps and app repositories. */
    requiredApprovals: z.number().int().min(0).max(10),
    /** Who approves jobs (rollbacks) in this environment's GitHub environment, and how long they wait. */
    environmentProtection: z.strictObject({
        /** Numeric team IDs: `gh api orgs/<owner>/teams/<slug> --jq .id`. */
        reviewerTeamIds: githubIds,
        /** Numeric user IDs: `gh api users/<login> --jq .id`. */
        reviewerUserIds: githubIds,
        /** Minutes a job waits before it runs. */
        waitTimer: z.number().int().min(0).max(43200),
        /** Whoever started a run may not approve it. */
        preventSelfReview: z.boolean(),
    }),
});

const addonMode = z.enum(["gitops", "direct"]);

/** One add-on in one environment; every field but `enabled` falls back to the catalog. */
const addonSettingsSchema = z.strictObject({
    /** Install the add-on in this environment. */
    enabled: z.boolean().optional(),
    /** Exact chart version; the catalog's pin when unset. Set it in one stack first to promote a version. */
    version: exactVersion.optional(),
    /** Argo CD sync wave in the app-of-apps root; the catalog's when unset. CRD owners come first. */
    syncWave: z.number().int().optional(),
    /** `gitops` (an Argo CD Application) or `direct` (a Pulumi Helm release); `addons.mode` when unset. */
    mode: addonMode.optional(),
    /** Helm values merged over the built ones. */
    values: z.record(z.string(), z.unknown()).optional(),
});

const addonEntries = Object.fromEntries(
    addonNames.map((name) => [name, addonSettingsSchema.optional()]),
) as Record<(typeof addonNames)[number], z.ZodOptional<typeof addonSettingsSchema>>;

const addonsSchema = z
    .object({
        /** How add-ons are installed unless an add-on says otherwise. */
        mode: addonMode,
        /** cert-manager's ACME ClusterIssuer, created when set. */
        acme: z
            .strictObject({
                /** Registration email; expiry warnings go here. */
                email: z.email({ error: "an email address" }),
                /** ACME directory; Let's Encrypt production when unset. */
                server: z.url({ protocol: /^https$/, error: "an https URL" }).optional(),
                /** ClusterIssuer name; `argocd.clusterIssuer` (or `letsencrypt`) when unset. */
                issuerName: dnsLabel.optional(),
            })
            .optional(),
        /** external-dns settings; provider and domainFilters are required when it is enabled. */
        dns: z
            .strictObject({
                /** external-dns provider, e.g. aws, google, azure, cloudflare. */
                provider: z
                    .string()
                    .regex(/^[a-z0-9-]+$/, "an external-dns provider name such as aws")
                    .optional(),
                /** Zones external-dns may change. */
                domainFilters: z.array(hostname).optional(),
                /** `sync` deletes records it no longer needs; `upsert-only` never deletes. */
                policy: z.enum(["sync", "upsert-only"]).optional(),
                /** TXT owner id; the cluster name when unset. */
                txtOwnerId: z.string().min(1).optional(),
            })
            .optional(),
        ...addonEntries,
    })
    .catchall(
        z.custom<unknown>(() => false, {
            error: `expected an add-on of the catalog (${addonNames.join(", ")}) or mode, acme, dns; got an unknown key`,
        }),
    )
    // Every other key was rejected above, so the parsed value has exactly the declared keys.
    .transform((addons) => addons as KnownKeys<typeof addons>);

/** A type without its string index signature. */
type KnownKeys<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

const slackChannel = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, "a Slack channel name or ID, without '#'");
const emailAddress = z.email({ error: "an email address" });
const triggerName = z.enum(notificationTriggerNames as [string, ...string[]]);

const notificationsSchema = z.strictObject({
    /** Slack service; the bot token is the secret config key `slackToken`. */
    slack: z
        .strictObject({
            /** Channel of the environment's default subscription. */
            channel: slackChannel,
            username: z.string().min(1).optional(),
            icon: z.string().min(1).optional(),
        })
        .optional(),
    /** Email service over SMTP; credentials are the secret config keys `smtpUsername` and `smtpPassword`. */
    email: z
        .strictObject({
            host: hostname,
            port: z.number().int().min(1).max(65535),
            from: emailAddress,
            /** Recipients of the environment's default subscription. */
            recipients: z.array(emailAddress).min(1),
        })
        .optional(),
    /** Triggers of the environment's default subscription (and of annotations that name no trigger). */
    triggers: z.array(triggerName),
    /** Extra subscriptions per project (team, or `platform` for the add-ons). */
    projects: z.array(
        z.strictObject({
            project: dnsLabel,
            slackChannel: slackChannel.optional(),
            emails: z.array(emailAddress).min(1).optional(),
            /** The environment's triggers when unset. */
            triggers: z.array(triggerName).optional(),
        }),
    ),
});

const monitoringSchema = z.strictObject({
    /** How long Prometheus keeps samples (kube-prometheus-stack). */
    prometheusRetention: z.string().regex(/^\d+(ms|s|m|h|d|w|y)$/, "a Prometheus duration such as 7d"),
    /** Cap on Prometheus storage, e.g. 50GB. */
    prometheusRetentionSize: z
        .string()
        .regex(/^\d+(B|KB|MB|GB|TB|PB|EB)$/, "a size such as 50GB")
        .optional(),
    /** Alert when an Application stays OutOfSync longer than this. */
    outOfSyncMinutes: positiveInt,
    /** Alert when an Application stays Degraded longer than this. */
    degradedMinutes: positiveInt,
    /** Alert when an Application's failed syncs in one hour reach this. */
    syncFailuresPerHour: positiveInt,
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
        addons: addonsSchema,
        notifications: notificationsSchema,
        monitoring: monitoringSchema,
        /** Spoke clusters the hub's Argo CD registers and deploys to. Default: none. */
        workloadClusters: z.array(workloadClusterSchema),
    })
    .superRefine((config, ctx) => {
        workloadClusterIssues(config, ctx);
        addonsAndNotificationsIssues(config, ctx);
        uniqueNames(config.teams, ["teams"], ctx);
        uniqueNames(config.apps, ["apps"], ctx);
        config.apps.forEach((app, index) => {
            // Each app gets a repository named after it, next to the GitOps repository.
            if (app.name === config.gitops.repository.toLowerCase()) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, "name"],
                    message: `expected a name other than the GitOps repository's, got "${app.name}"`,
                });
            }
        });
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
export type AddonsConfig = PlatformConfig["addons"];
export type NotificationsConfig = PlatformConfig["notifications"];
export type MonitoringConfig = PlatformConfig["monitoring"];

/** Cross-field checks of add-ons, canaries and notifications; every issue names its key path. */
function addonsAndNotificationsIssues(
    config: Pick<PlatformConfig, "addons" | "apps" | "teams" | "notifications">,
    ctx: z.RefinementCtx,
): void {
    const { mode, dns } = config.addons;
    const addons = Object.fromEntries(addonNames.map((name) => [name, config.addons[name]]));
    for (const problem of addonProblems(addons, mode)) {
        ctx.addIssue({
            code: "custom",
            path: ["addons", problem.addon, problem.field],
            message: problem.message,
        });
    }
    const enabled = (name: (typeof addonNames)[number]) => addons[name]?.enabled === true;
    if (enabled("external-dns")) {
        if (!dns?.provider) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "dns", "provider"],
                message:
                    "expected an external-dns provider such as aws (external-dns is enabled), got nothing",
            });
        }
        if (!dns?.domainFilters?.length) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "dns", "domainFilters"],
                message:
                    "expected at least one domain (external-dns is enabled and would otherwise manage every zone it can reach), got nothing",
            });
        }
    }
    config.apps.forEach((app, index) => {
        if (!app.canary) return;
        if (!enabled("argo-rollouts")) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "canary"],
                message:
                    "expected the argo-rollouts add-on to be enabled (addons.argo-rollouts.enabled), got it disabled",
            });
        }
        const analysis = app.canary.analysis;
        if (
            analysis?.enabled !== false &&
            !analysis?.prometheusAddress &&
            !enabled("kube-prometheus-stack")
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "canary", "analysis"],
                message:
                    "expected kube-prometheus-stack to be enabled or analysis.prometheusAddress to be set (the analysis queries Prometheus), got neither",
            });
        }
        (app.canary.steps ?? []).forEach((step, stepIndex) => {
            if ((step.setWeight === undefined) === (step.pause === undefined)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, "canary", "steps", stepIndex],
                    message: "expected exactly one of setWeight or pause",
                });
            }
        });
    });
    const projects = new Set(["platform", ...config.teams.map((team) => team.name)]);
    config.notifications.projects.forEach((subscription, index) => {
        const path = ["notifications", "projects", index];
        if (!projects.has(subscription.project)) {
            ctx.addIssue({
                code: "custom",
                path: [...path, "project"],
                message: `expected platform or a configured team (${[...projects].join(", ")}), got "${subscription.project}"`,
            });
        }
        if (subscription.slackChannel && !config.notifications.slack) {
            ctx.addIssue({
                code: "custom",
                path: [...path, "slackChannel"],
                message:
                    "expected notifications.slack to be configured first, got a channel without a Slack service",
            });
        }
        if (subscription.emails && !config.notifications.email) {
            ctx.addIssue({
                code: "custom",
                path: [...path, "emails"],
                message:
                    "expected notifications.email to be configured first, got recipients without an email service",
            });
        }
    });
}

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

/** Workload clusters: unique names and servers, and add-ons that are enabled for GitOps fan-out. */
function workloadClusterIssues(config: z.infer<typeof platformConfigSchema>, ctx: z.RefinementCtx): void {
    uniqueNames(config.workloadClusters, ["workloadClusters"], ctx);
    const servers = new Set<string>();
    const mode = config.addons.mode ?? "gitops";
    config.workloadClusters.forEach((cluster, index) => {
        if (servers.has(cluster.server)) {
            ctx.addIssue({
                code: "custom",
                path: ["workloadClusters", index, "server"],
                message: `expected each cluster registered once, got "${cluster.server}" a second time`,
            });
        }
        servers.add(cluster.server);
        for (const missing of missingCrdOwners(cluster.addons, config)) {
            ctx.addIssue({
                code: "custom",
                path: ["workloadClusters", index, "addons"],
                message: `expected ${missing.owner} as well (${missing.user} creates ${missing.group} objects there), got no ${missing.owner}`,
            });
        }
        cluster.addons.forEach((addon, addonIndex) => {
            const settings = config.addons[addon];
            if (!settings?.enabled || (settings.mode ?? mode) !== "gitops") {
                ctx.addIssue({
                    code: "custom",
                    path: ["workloadClusters", index, "addons", addonIndex],
                    message: `expected an add-on enabled in gitops mode for ${config.environment}, got "${addon}"`,
                });
            }
        });
    });
}

/**
 * Add-ons a cluster needs because others create objects of their CRDs there (e.g. ServiceMonitors of
 * kube-prometheus-stack): when the hub runs the CRD owner, fanned-out values include those objects.
 */
function missingCrdOwners(
    clusterAddons: readonly string[],
    config: z.infer<typeof platformConfigSchema>,
): { user: string; owner: string; group: string }[] {
    const missing: { user: string; owner: string; group: string }[] = [];
    for (const user of addonCatalog.filter((addon) => clusterAddons.includes(addon.name))) {
        for (const group of user.usesCrds ?? []) {
            const owner = addonCatalog.find((addon) => ownsCrd(addon.ownsCrds, group));
            if (owner && config.addons[owner.name]?.enabled && !clusterAddons.includes(owner.name)) {
                missing.push({ user: user.name, owner: owner.name, group });
            }
        }
    }
    return missing;
}
