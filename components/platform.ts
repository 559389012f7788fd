import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { AppOfApps, AppProject, inClusterServer, platformChartPath } from "./applications";
import { ClusterAddons, applicationHealthConfig, clusterAddonsArgs } from "./addons";
import { ArgoCd, argoCdInClusterUrl, irsaValues } from "./argocd";
import { AlertReceivers, argoCdMetricsValues } from "./monitoring";
import { addonNamespace } from "./addons/types";
import { kubePrometheusStack } from "./addons/catalog";
import { appPlatformFiles, appTemplateWarnings } from "./apps/files";
import { clusterKubeconfig } from "./clusters/credentials";
import { ArgoCdNotifications, notificationsChartValues } from "./notifications";
import { ownershipLabels } from "./common/labels";
import { PlatformGitHub } from "./github";
import type { PlatformOutputs } from "./outputs";
import { SpokeClusters, spokeMetadata } from "./clusters";
import {
    gitopsRepoUrl,
    platformAlertRouting,
    platformProjectName,
    platformWarnings,
    teamActions,
    type PlatformArgs,
} from "./platformArgs";
import { declareTeam } from "./platformTeam";

export {
    gitHubSshUrl,
    gitopsRepoUrl,
    platformProjectName,
    platformWarnings,
    teamActions,
    teamNamespaces,
    type PlatformApp,
    type PlatformArgs,
    type PlatformTeam,
} from "./platformArgs";
/** The whole GitOps platform for one environment, composed from one typed `PlatformArgs`. */
export class GitOpsPlatform extends pulumi.ComponentResource {
    public readonly argoCd: ArgoCd;
    /** Argo CD's namespace and URL. */
    public readonly argocdNamespace: pulumi.Output<string>;
    public readonly argocdUrl: pulumi.Output<string>;
    /** AppProject names: the platform project first, then one per team. */
    public readonly projects: pulumi.Output<string[]>;
    /** URL of the GitOps repository Argo CD follows: the GitHub SSH URL, or `gitops.repoURL`. */
    public readonly gitopsRepoUrl: pulumi.Output<string>;
    /** Public half of Argo CD's read-only deploy key on the GitOps repository; undefined with your own Git. */
    public readonly argocdDeployPublicKey?: pulumi.Output<string>;
    /**
     * The webhook secret Argo CD verifies pushes with: generated and shared with the GitHub webhook (none
     * without a hostname), or your own Git server's (`gitops.webhook`, secret `gitopsWebhookSecret`).
     */
    public readonly webhookSecret?: pulumi.Output<string>;
    /** Everything other stacks need, as one typed object: export it as the stack's `platform` output. */
    public readonly outputs: pulumi.Output<PlatformOutputs>;
    /** Repositories, keys, webhook and workflows on GitHub (shared objects in one stack only); undefined with your own Git. */
    public readonly gitHub?: PlatformGitHub;
    /** Problems worth a warning (e.g. no webhook), as plain text; the render summary prints them. */
    public readonly warnings: string[];

    constructor(name: string, args: PlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:platform:GitOpsPlatform", name, {}, opts);
        const env = args.environment;
        const isProd = env === "prod";
        const repoUrl = gitopsRepoUrl(args);
        const gitHubSettings = args.github;

        // GitHub mode: Argo CD reads the GitOps repo with its own key per environment, so access is revocable
        // per env. With your own Git, the key (or token) comes from secret config, and nothing of
        // @pulumi/tls, @pulumi/random or @pulumi/github is registered.
        const deployKey = gitHubSettings
            ? new tls.PrivateKey(`${name}-argocd-deploy-key`, { algorithm: "ED25519" }, { parent: this })
            : undefined;
        // A GitHub webhook needs a public hostname; without one Argo CD falls back to polling. Your own Git
        // server's webhook secret is the one you set on it (`gitops.webhook`).
        const webhookSecret: pulumi.Output<string> | undefined = gitHubSettings
            ? args.argocd.hostname
                ? new random.RandomPassword(
                      `${name}-webhook-secret`,
                      { length: 40, special: false },
                      { parent: this },
                  ).result
                : undefined
            : args.gitops.webhook && args.secrets?.gitopsWebhookSecret !== undefined
              ? pulumi.secret(args.secrets.gitopsWebhookSecret)
              : undefined;
        const gitopsRepository = deployKey
            ? { url: repoUrl, auth: { type: "ssh" as const, sshPrivateKey: deployKey.privateKeyOpenssh } }
            : { url: repoUrl, ...(args.secrets?.gitopsAuth ? { auth: args.secrets.gitopsAuth } : {}) };
        const externalArgoCd = args.argocd.install === "external";

        // Add-ons first: direct ones (Pulumi Helm releases) must exist before Argo CD; GitOps ones become
        // children of the app-of-apps root below.
        const alerts = platformAlertRouting(args);
        const addons = new ClusterAddons(
            `${name}-addons`,
            clusterAddonsArgs(args.addons, {
                environment: env,
                clusterName: args.cluster.name,
                argocdNamespace: args.argocd.namespace,
                ingressClassName: args.argocd.ingressClassName,
                clusterIssuer: args.argocd.clusterIssuer,
                highAvailability: args.argocd.ha,
                project: platformProjectName,
                sync: args.sync,
                labels: ownershipLabels("platform", env),
                monitoring: args.monitoring,
                secretStore: args.secretStore,
                alerts,
            }),
            { parent: this },
        );
        const monitoringEnabled = args.addons?.["kube-prometheus-stack"]?.enabled === true;
        if (alerts && monitoringEnabled) this.declareAlertReceivers(name, args);

        this.argoCd = new ArgoCd(
            `${name}-argocd`,
            {
                ...args.argocd,
                // Waves of the app-of-apps root wait for each child Application to be healthy.
                extraConfig: applicationHealthConfig(),
                extraValues: [
                    ...(args.notifications ? [notificationsChartValues()] : []),
                    ...(args.argocd.awsRoleArn ? [irsaValues(args.argocd.awsRoleArn)] : []),
                    argoCdMetricsValues({ enabled: monitoringEnabled }),
                ],
                installAfter: addons.releases,
                oidc:
                    args.argocd.oidc && args.secrets?.oidcClientSecret !== undefined
                        ? { ...args.argocd.oidc, clientSecret: args.secrets.oidcClientSecret }
                        : undefined,
                rbac: {
                    teams: args.teams,
                    adminGroups: args.argocd.adminGroups,
                    teamActions: teamActions(env),
                },
                webhookSecret,
                webhookProvider: gitHubSettings ? "github" : args.gitops.webhook?.provider,
                repositories: [gitopsRepository],
                namespaceLabels: ownershipLabels("platform", env),
                protect: isProd,
            },
            { parent: this },
        );
        const argoCd = this.argoCd;

        if (args.notifications) {
            new ArgoCdNotifications(
                `${name}-notifications`,
                {
                    argoCd,
                    environment: env,
                    argocdUrl: args.argocd.hostname
                        ? `https://${args.argocd.hostname}`
                        : argoCdInClusterUrl(args.argocd.namespace),
                    ...args.notifications,
                    github: args.notifications.github
                        ? {
                              ...args.notifications.github,
                              ...(args.argocd.hostname ? { linkUrl: `https://${args.argocd.hostname}` } : {}),
                          }
                        : undefined,
                    slackToken: args.secrets?.slackToken,
                    smtpUsername: args.secrets?.smtpUsername,
                    smtpPassword: args.secrets?.smtpPassword,
                    gitHubPrivateKey: args.secrets?.gitHubPrivateKey,
                    labels: ownershipLabels("platform", env),
                    patchExisting: externalArgoCd,
                },
                { parent: this },
            );
        }

        // The same deploy key and webhook secret Argo CD was given go to the GitOps repository on GitHub.
        this.gitHub =
            gitHubSettings && deployKey
                ? new PlatformGitHub(
                      `${name}-github`,
                      {
                          settings: gitHubSettings,
                          environment: env,
                          gitops: args.gitops,
                          teams: args.teams,
                          apps: args.apps,
                          environmentFiles: appPlatformFiles(args),
                          argocd: {
                              hostname: args.argocd.hostname,
                              deployPublicKey: deployKey.publicKeyOpenssh,
                              webhookSecret,
                          },
                      },
                      { parent: this },
                  )
                : undefined;
        this.warnings = [...platformWarnings(args), ...appTemplateWarnings(args)];

        const platformProject = new AppProject(
            `${name}-platform-project`,
            {
                argoCd,
                projectName: platformProjectName,
                description: "Platform-level applications and cluster add-ons, owned by the platform team",
                // The root renders its children with the platform chart in the GitOps repository itself, so
                // only the add-ons' chart repositories are needed besides it.
                sourceRepos: [...new Set([repoUrl, ...addons.sourceRepos])],
                namespaces: [...new Set([args.argocd.namespace, ...addons.namespaces])],
                servers: [inClusterServer, ...(args.workloadClusters ?? []).map((cluster) => cluster.server)],
                // Only the platform team deploys here, and add-ons bring cluster-scoped objects (CRDs, webhooks).
                clusterResources: [{ group: "*", kind: "*" }],
                deniedNamespaceResources: [],
                roles: [],
                labels: ownershipLabels("platform", env),
            },
            { parent: this },
        );

        const spokes = new SpokeClusters(
            `${name}-spokes`,
            {
                argoCd,
                environment: env,
                clusters: args.workloadClusters ?? [],
                addons: addons.children,
                addonsForCluster: addons.childrenForSpoke,
                addonsDependOn: [platformProject],
            },
            { parent: this },
        );
        const appServers = spokes.workloadServers.length > 0 ? spokes.workloadServers : [inClusterServer];

        const teamProjects = args.teams.map((team) =>
            declareTeam(this, name, team, {
                environment: env,
                argoCd,
                repoUrl,
                branch: args.gitops.branch,
                githubOwner: gitHubSettings?.owner,
                apps: args.apps,
                sync: args.sync,
                servers: appServers,
                toWorkloadClusters: spokes.workloadServers.length > 0,
                clusterSecrets: spokes.clusterSecrets,
                notificationServices: [
                    ...(args.notifications?.slack ? ["slack"] : []),
                    ...(args.notifications?.email ? ["email"] : []),
                ],
            }),
        );

        new AppOfApps(
            `${name}-root`,
            {
                argoCd,
                applicationName: "platform-root",
                project: platformProjectName,
                applicationNamespace: args.argocd.namespace,
                sync: args.sync,
                chartSource: {
                    repoURL: repoUrl,
                    targetRevision: args.gitops.branch,
                    path: platformChartPath,
                },
                children: [
                    {
                        name: "platform-manifests",
                        syncWave: 0,
                        project: platformProjectName,
                        source: {
                            repoURL: repoUrl,
                            targetRevision: args.gitops.branch,
                            path: `platform/${env}`,
                            recurse: true,
                        },
                        destination: { namespace: args.argocd.namespace },
                        sync: args.sync,
                    },
                    ...addons.children,
                ],
            },
            { parent: this, dependsOn: [platformProject] },
        );

        this.argocdNamespace = argoCd.namespace;
        this.argocdUrl = argoCd.serverUrl;
        this.projects = pulumi.all([platformProject.projectName, ...teamProjects.map((p) => p.projectName)]);
        this.gitopsRepoUrl = pulumi.output(repoUrl);
        this.argocdDeployPublicKey = deployKey?.publicKeyOpenssh;
        this.webhookSecret = webhookSecret;
        this.outputs = pulumi.output({
            environment: env,
            argocd: { namespace: this.argocdNamespace, url: this.argocdUrl },
            projects: this.projects,
            gitops: {
                repository: args.gitops.repository,
                url: repoUrl,
                branch: args.gitops.branch,
                ...(gitHubSettings ? { owner: gitHubSettings.owner } : {}),
            },
            clusters: [
                { name: args.cluster.name, server: inClusterServer, labels: { environment: env } },
                ...(args.workloadClusters ?? []).map((cluster) => ({
                    name: cluster.name,
                    server: cluster.server,
                    labels: spokeMetadata(cluster, env).labels,
                })),
            ],
            ...(this.gitHub ? { pipeline: this.gitHub.pipeline } : {}),
            notifications: {
                ...(args.notifications?.slack ? { slackChannel: args.notifications.slack.channel } : {}),
                ...(args.notifications?.email
                    ? { emailRecipients: args.notifications.email.recipients }
                    : {}),
            },
        });
        this.registerOutputs({
            outputs: this.outputs,
            argocdNamespace: this.argocdNamespace,
            argocdUrl: this.argocdUrl,
            projects: this.projects,
            gitopsRepoUrl: this.gitopsRepoUrl,
        });
    }

    /**
     * Alertmanager's receivers Secret on every cluster that runs kube-prometheus-stack: the hub, through the
     * platform's Kubernetes provider, and each spoke that lists the add-on, through a provider of its own
     * built from the credentials the hub's Argo CD uses for it.
     */
    private declareAlertReceivers(name: string, args: PlatformArgs): void {
        const receiverArgs = {
            namespace: addonNamespace(kubePrometheusStack, args.argocd.namespace),
            slackWebhookUrl: args.alerts?.slack ? args.secrets?.alertmanagerSlackWebhookUrl : undefined,
            smtpPassword: args.alerts?.email?.username ? args.secrets?.smtpPassword : undefined,
            labels: ownershipLabels("platform", args.environment),
            protect: args.environment === "prod",
        };
        new AlertReceivers(`${name}-alert-receivers`, receiverArgs, { parent: this });
        for (const cluster of args.workloadClusters ?? []) {
            if (!(cluster.addons ?? []).includes(kubePrometheusStack.name)) continue;
            const provider = new k8s.Provider(
                `${name}-${cluster.name}-k8s`,
                {
                    kubeconfig: pulumi.secret(
                        pulumi.output(cluster.credentials).apply((credentials) =>
                            clusterKubeconfig({
                                name: cluster.name,
                                server: cluster.server,
                                credentials,
                            }),
                        ),
                    ),
                    enableServerSideApply: true,
                },
                { parent: this },
            );
            new AlertReceivers(`${name}-${cluster.name}-alert-receivers`, receiverArgs, {
                parent: this,
                provider,
            });
        }
    }
}
