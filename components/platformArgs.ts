import * as pulumi from "@pulumi/pulumi";
import type { GroupKind, SyncSettings } from "./applications";
import type { MonitoringSettings, PlatformAddonsConfig } from "./addons";
import {
    reconciliationTimeout,
    type ArgoCdInstallMode,
    type ArgoCdValuesArgs,
    type OidcArgs,
    type RepositoryAuth,
    type WebhookProvider,
} from "./argocd";
import type {
    EmailSettings,
    GitHubFeedbackSettings,
    NotificationSecrets,
    ProjectSubscription,
    SlackSettings,
} from "./notifications";
import {
    gitHubWarnings,
    type AppPipelineSettings,
    type AppRepositorySource,
    type GitHubSettings,
} from "./github";
import type { SpokeCluster } from "./clusters";
import type { CanaryConfig } from "./addons/rollouts/canary";
import type { SecretStoreSettings } from "./addons/types";
import type { AppDefaults, AppTemplateSettings } from "./apps/settings";
import type { AlertRoutingSettings } from "./monitoring/alertmanager";

/** A team: one AppProject, its namespaces, and an ApplicationSet per environment. */
export interface PlatformTeam {
    name: string;
    /** SSO group bound to the team's roles. */
    group: string;
    /** Default: one namespace named after the team. */
    namespaces?: string[];
    /** Cluster-scoped kinds the team may manage. Default: none. */
    clusterResources?: GroupKind[];
    /** GitHub team slug in the owner organisation. Default: the team name. */
    githubTeam?: string;
}

/** An app onboarded onto the platform, with its standard template's settings (see docs/apps.md). */
export interface PlatformApp extends AppTemplateSettings {
    name: string;
    team: string;
    /** Default: the team's first namespace. */
    namespace?: string;
    /** Container port of the standard workload. Default: 8080. */
    port?: number;
    /** Deliver as an Argo Rollouts canary instead of a Deployment. Default: none. */
    canary?: CanaryConfig;
    /** GitHub mode: the app's repository (its name; adopt an existing one). Default: created, named after the app. */
    repository?: AppRepositorySource;
    /** GitHub mode: the app's pipeline inputs and pinned version. Default: the platform's. */
    pipeline?: AppPipelineSettings;
}

/** Everything the platform is built from: the validated stack config, plus secrets. */
export interface PlatformArgs {
    environment: string;
    cluster: { name: string };
    argocd: Pick<
        ArgoCdValuesArgs,
        | "hostname"
        | "ingressClassName"
        | "clusterIssuer"
        | "adminEnabled"
        | "ha"
        | "replicas"
        | "revisionHistoryLimit"
        | "size"
    > & {
        namespace: string;
        /** `helm` installs Argo CD; `external` configures one already running in `namespace`. Default: `helm`. */
        install?: ArgoCdInstallMode;
        chartVersion: string;
        /** Helm repository or `oci://` registry of the argo-cd chart. Default: argo-helm. */
        chartRepository?: string;
        reconciliationTimeout?: string;
        adminGroups: string[];
        oidc?: Omit<OidcArgs, "clientSecret">;
        /**
         * IAM role (IRSA) of the application controller and the server, through which Argo CD reaches EKS
         * workload clusters (`awsAuthConfig`). Default: none.
         */
        awsRoleArn?: string;
    };
    sync: SyncSettings;
    /** GitHub mode: the platform creates the GitOps repository, keys, webhook and CI. Absent with `gitops.repoURL`. */
    github?: GitHubSettings;
    gitops: {
        /** Repository name in the GitHub owner (GitHub mode). */
        repository: string;
        branch: string;
        /** Bring your own Git: the GitOps repository's URL; set instead of `github`. */
        repoURL?: string;
        /** Bring your own Git: the Git server whose push webhook Argo CD verifies. Default: none (polling). */
        webhook?: { provider: WebhookProvider };
    };
    teams: PlatformTeam[];
    apps: PlatformApp[];
    /** Per-environment defaults of every app's template. Default: the template's own. */
    appDefaults?: AppDefaults;
    /** The ClusterSecretStore app secrets come from, in every cluster. Default: none. */
    secretStore?: SecretStoreSettings;
    /**
     * Where Alertmanager sends alerts: the platform's Slack channel (default `notifications.slack.channel`,
     * webhook `secrets.alertmanagerSlackWebhookUrl`), each team's (its `notifications.projects` channel),
     * critical ones by e-mail through `notifications.email`. Default: nowhere.
     */
    alerts?: {
        enabled?: boolean;
        slack?: { channel?: string };
        /** `username`: the SMTP login, plain (Alertmanager reads it only from its configuration); the password is `smtpPassword`. */
        email?: { to: string[]; username?: string };
        repeatInterval?: string;
    };
    /** Cluster add-ons per environment. Default: none, in GitOps mode. */
    addons?: PlatformAddonsConfig;
    /** Argo CD notifications: services, default triggers and per-project subscriptions. Default: none. */
    notifications?: {
        slack?: SlackSettings;
        email?: EmailSettings;
        triggers: string[];
        projects: ProjectSubscription[];
        /**
         * Deployment feedback on GitHub (needs `secrets.gitHubPrivateKey`); links point at
         * `https://<argocd.hostname>` when set. Default: none.
         */
        github?: Omit<GitHubFeedbackSettings, "linkUrl">;
    };
    /** Prometheus retention and Argo CD alert thresholds (with kube-prometheus-stack). Default: see addons. */
    monitoring?: Omit<MonitoringSettings, "enabled">;
    /** Spoke clusters this hub registers; team apps move to those with workloads. Default: none. */
    workloadClusters?: SpokeCluster[];
    /** Secrets from secret config. */
    secrets?: {
        oidcClientSecret?: pulumi.Input<string>;
        /** Bring your own Git: how Argo CD authenticates to `gitops.repoURL`. Default: none (public). */
        gitopsAuth?: RepositoryAuth;
        /** Bring your own Git: the webhook secret also set on the Git server (`gitops.webhook`). */
        gitopsWebhookSecret?: pulumi.Input<string>;
        /** The Slack incoming webhook URL Alertmanager posts to (`alerts.slack`). */
        alertmanagerSlackWebhookUrl?: pulumi.Input<string>;
    } & NotificationSecrets;
}

/** Name of the AppProject that holds platform-level Applications. */
export const platformProjectName = "platform";

/** SSH clone URL of a GitHub repository. */
export function gitHubSshUrl(owner: string, repository: string): string {
    return `git@github.com:${owner}/${repository}.git`;
}

/** Namespaces a team deploys to. */
export function teamNamespaces(team: PlatformTeam): string[] {
    return team.namespaces ?? [team.name];
}

/**
 * The URL Argo CD reads the GitOps repository from: `gitops.repoURL` (bring your own Git), or the SSH URL
 * of the repository the platform creates in the GitHub owner. Throws when neither is configured. Pure.
 */
export function gitopsRepoUrl(args: Pick<PlatformArgs, "github" | "gitops">): string {
    if (args.gitops.repoURL !== undefined) return args.gitops.repoURL;
    if (args.github === undefined) {
        throw new Error(
            "gitops.repoURL: expected the GitOps repository URL when github is not set, got nothing",
        );
    }
    return gitHubSshUrl(args.github.owner, args.gitops.repository);
}

/** What the render summary and `pulumi up` should warn about for this config. Pure. */
export function platformWarnings(
    args: Pick<PlatformArgs, "argocd" | "environment" | "github"> & {
        gitops?: Pick<PlatformArgs["gitops"], "webhook">;
    },
): string[] {
    const warnings: string[] = [];
    const polling = reconciliationTimeout(false, args.argocd.reconciliationTimeout);
    if (args.github === undefined) {
        if (args.gitops?.webhook === undefined) {
            warnings.push(
                `gitops.webhook is not set: your Git server does not notify Argo CD in ${args.environment}; Argo CD polls the GitOps repository every ${polling} instead`,
            );
        }
        return warnings;
    }
    if (!args.argocd.hostname) {
        warnings.push(
            `argocd.hostname is not set: no GitHub webhook for ${args.environment}; Argo CD polls the GitOps repository every ${polling} instead`,
        );
    }
    return [...warnings, ...gitHubWarnings({ settings: args.github, environment: args.environment })];
}

/** Application actions a team role gets: everything outside prod, get/sync/actions in prod. */
export function teamActions(environment: string): string[] {
    return environment === "prod" ? ["get", "sync", "action/*"] : ["*"];
}

/**
 * Alertmanager's routing for this platform, or undefined when alerts are off: the platform's Slack channel,
 * each team's channel from `notifications.projects` with the team's namespaces, and e-mail through
 * `notifications.email`'s SMTP server. Pure.
 */
export function platformAlertRouting(
    args: Pick<PlatformArgs, "environment" | "alerts" | "notifications" | "teams">,
): AlertRoutingSettings | undefined {
    const alerts = args.alerts;
    if (!alerts || alerts.enabled === false) return undefined;
    const channels = new Map(
        (args.notifications?.projects ?? [])
            .filter((subscription) => subscription.slackChannel)
            .map((subscription) => [subscription.project, subscription.slackChannel!]),
    );
    const smtp = args.notifications?.email;
    const slackChannel = alerts.slack
        ? (alerts.slack.channel ?? args.notifications?.slack?.channel)
        : undefined;
    return {
        environment: args.environment,
        ...(slackChannel ? { slackChannel } : {}),
        teams: args.teams.map((team) => ({
            name: team.name,
            namespaces: teamNamespaces(team),
            ...(alerts.slack && channels.has(team.name) ? { slackChannel: channels.get(team.name)! } : {}),
        })),
        ...(alerts.email && smtp
            ? {
                  email: {
                      to: alerts.email.to,
                      from: smtp.from,
                      host: smtp.host,
                      port: smtp.port,
                      ...(alerts.email.username ? { username: alerts.email.username } : {}),
                  },
              }
            : {}),
        ...(alerts.repeatInterval ? { repeatInterval: alerts.repeatInterval } : {}),
    };
}
