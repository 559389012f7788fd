import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    AppProject,
    ApplicationSet,
    namespaceCreationEntries,
    type GroupKind,
    type SyncSettings,
} from "./applications";
import type { ArgoCdRef } from "./common/argocdRef";
import { ownershipLabels } from "./common/labels";
import { workloadClusterSelector } from "./clusters";
import { appRepositoryName } from "./github/appRepository";
import { notificationTriggerNames, subscriptionAnnotationKeys } from "./notifications";
import {
    gitHubSshUrl,
    teamActions,
    teamNamespaces,
    type PlatformApp,
    type PlatformTeam,
} from "./platformArgs";

/** What every team of one platform shares: the environment, Argo CD, the GitOps repo and the clusters. */
export interface TeamDeliveryArgs {
    environment: string;
    argoCd: ArgoCdRef;
    /** SSH URL of the GitOps repository. */
    repoUrl: string;
    /** Branch of the GitOps repository Argo CD follows. */
    branch: string;
    /** GitHub owner of the app repositories. Default: none (your own Git): apps come from the GitOps repo only. */
    githubOwner?: string;
    /** Every app on the platform; the team's are those whose `team` is its name. */
    apps: PlatformApp[];
    sync: SyncSettings;
    /** Clusters the team's apps may be deployed to. */
    servers: string[];
    /** Whether apps go to the workload spoke clusters (selected by label) instead of the hub. */
    toWorkloadClusters: boolean;
    /**
     * Cluster Secrets of the spokes the apps go to: the team's ApplicationSet waits for them, so destroy
     * deletes it while Argo CD can still reach those clusters (see `SpokeClusters.clusterSecrets`). Default: none.
     */
    clusterSecrets?: pulumi.Resource[];
    /**
     * Notification services configured (`slack`, `email`): their subscription annotations on the team's
     * generated Applications survive the ApplicationSet's reconcile. Default: none.
     */
    notificationServices?: string[];
}

/**
 * The cluster-scoped kinds a team's project permits: the team's own `clusterResources`, plus, when its apps
 * go to workload clusters, its own namespaces by name. There the sync's `CreateNamespace=true` creates them,
 * and Argo CD checks that Namespace against the project like any object it writes (`isClusterResourcePermitted`);
 * on the hub Pulumi creates them first, so the sync never writes them. Pure.
 */
export function teamClusterResources(team: PlatformTeam, toWorkloadClusters: boolean): GroupKind[] {
    return [
        ...(team.clusterResources ?? []),
        ...(toWorkloadClusters ? namespaceCreationEntries(teamNamespaces(team)) : []),
    ];
}

/**
 * Declares one team's delivery as children of `parent`: its namespaces, its AppProject and, when it has
 * apps, the ApplicationSet that deploys them. Returns the AppProject.
 */
export function declareTeam(
    parent: pulumi.Resource,
    name: string,
    team: PlatformTeam,
    args: TeamDeliveryArgs,
): AppProject {
    const { environment: env, argoCd, repoUrl } = args;
    const isProd = env === "prod";
    const guard = { protect: isProd, retainOnDelete: isProd };
    const namespaces = teamNamespaces(team);
    const labels = ownershipLabels(team.name, env);
    const namespaceResources = namespaces.map(
        (namespace) =>
            new k8s.core.v1.Namespace(
                `${name}-ns-${namespace}`,
                { metadata: { name: namespace, labels } },
                { parent, ...guard },
            ),
    );
    const apps = args.apps.filter((app) => app.team === team.name);
    const project = new AppProject(
        `${name}-${team.name}`,
        {
            argoCd,
            projectName: team.name,
            description: `Apps of team ${team.name}`,
            sourceRepos: [repoUrl, ...appRepositoryUrls(args.githubOwner, apps)],
            namespaces,
            servers: args.servers,
            clusterResources: teamClusterResources(team, args.toWorkloadClusters),
            roles: [
                {
                    name: "developer",
                    description: `Members of ${team.group}`,
                    groups: [team.group],
                    actions: teamActions(env),
                },
            ],
            labels,
        },
        { parent },
    );
    if (apps.length > 0) {
        new ApplicationSet(
            `${team.name}-${env}`,
            {
                argoCd,
                project: team.name,
                environment: env,
                repoURL: repoUrl,
                revision: args.branch,
                apps: apps.map((app) => app.name),
                namespace: namespaces[0],
                appNamespaces: Object.fromEntries(
                    apps
                        .filter((app) => app.namespace !== undefined)
                        .map((app) => [app.name, app.namespace!]),
                ),
                sync: args.sync,
                labels,
                preservedAnnotations: subscriptionAnnotationKeys(
                    args.notificationServices ?? [],
                    notificationTriggerNames,
                ),
                ...(args.toWorkloadClusters ? { clusterSelector: workloadClusterSelector(env) } : {}),
            },
            // On the hub the project permits no Namespace: the namespaces exist before any app syncs.
            { parent, dependsOn: [project, ...namespaceResources, ...(args.clusterSecrets ?? [])] },
        );
    }
    return project;
}

/**
 * The app repositories a team's project may read: one per app on GitHub, under its real name (an adopted
 * repository's may differ from the app's); none with your own Git.
 */
function appRepositoryUrls(githubOwner: string | undefined, apps: PlatformApp[]): string[] {
    return githubOwner === undefined
        ? []
        : apps.map((app) =>
              gitHubSshUrl(githubOwner, appRepositoryName({ app: app.name, repository: app.repository })),
          );
}
