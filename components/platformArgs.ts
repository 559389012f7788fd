import * as pulumi from "@pulumi/pulumi";
import type { GroupKind, SyncSettings } from "./applications";
import type { MonitoringSettings, PlatformAddonsConfig } from "./addons";
import { reconciliationTimeout, type ArgoCdValuesArgs, type OidcArgs } from "./argocd";
import type { EmailSettings, NotificationSecrets, ProjectSubscription, SlackSettings } from "./notifications";
import { gitHubWarnings, type GitHubSettings } from "./github";
import type { SpokeCluster } from "./clusters";
import type { CanaryConfig } from "./addons/rollouts/canary";

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

/** An app onboarded onto the platform. */
export interface PlatformApp {
    name: string;
    team: string;
    /** Default: the team's first namespace. */
    namespace?: string;
    /** Container port of the standard workload. Default: 8080. */
    port?: number;
    /** Deliver as an Argo Rollouts canary instead of a Deployment. Default: none. */
    canary?: CanaryConfig;
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
        chartVersion: string;
        reconciliationTimeout?: string;
        adminGroups: string[];
        oidc?: Omit<OidcArgs, "clientSecret">;
    };
    sync: SyncSettings;
    github: GitHubSettings;
    gitops: { repository: string; branch: string };
    teams: PlatformTeam[];
    apps: PlatformApp[];
    /** Cluster add-ons per environment. Default: none, in GitOps mode. */
    addons?: PlatformAddonsConfig;
    /** Argo CD notifications: services, default triggers and per-project subscriptions. Default: none. */
    notifications?: {
        slack?: SlackSettings;
        email?: EmailSettings;
        triggers: string[];
        projects: ProjectSubscription[];
    };
    /** Prometheus retention and Argo CD alert thresholds (with kube-prometheus-stack). Default: see addons. */
    monitoring?: Omit<MonitoringSettings, "enabled">;
    /** Spoke clusters this hub registers; team apps move to those with workloads. Default: none. */
    workloadClusters?: SpokeCluster[];
    /** Secrets from secret config. */
    secrets?: { oidcClientSecret?: pulumi.Input<string> } & NotificationSecrets;
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

/** What the render summary and `pulumi up` should warn about for this config. Pure. */
export function platformWarnings(args: Pick<PlatformArgs, "argocd" | "environment" | "github">): string[] {
    const warnings: string[] = [];
    if (!args.argocd.hostname) {
        const timeout = reconciliationTimeout(false, args.argocd.reconciliationTimeout);
        warnings.push(
            `argocd.hostname is not set: no GitHub webhook for ${args.environment}; Argo CD polls the GitOps repository every ${timeout} instead`,
        );
    }
    return [...warnings, ...gitHubWarnings({ settings: args.github, environment: args.environment })];
}

/** Application actions a team role gets: everything outside prod, get/sync/actions in prod. */
export function teamActions(environment: string): string[] {
    return environment === "prod" ? ["get", "sync", "action/*"] : ["*"];
}
