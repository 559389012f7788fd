import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformOutputs } from "../components/outputs";
import { GitOpsPlatform } from "../components/platform";
import { ConfigError } from "./errors";
import type { LoadedStack } from "./loader";
import type { WorkloadClusterConfig } from "./sections/clusters";
import { kubeconfigCredentials, type ClusterCredentials } from "../components/clusters";
import { setSecretCommand } from "./secrets";
import { isSshGitUrl } from "./sections/github";
import { deployFeedback } from "./sections/notifications";
import type { RepositoryAuth } from "../components/argocd";
import type { GitHubFeedbackSettings } from "../components/notifications";

/**
 * The github provider's arguments: GitHub App auth when `github.app` is set, otherwise a token from
 * secret config `githubToken` (or, when unset, the provider reads GITHUB_TOKEN).
 */
export function gitHubProviderArgs({ config, secrets }: LoadedStack): github.ProviderArgs {
    if (!config.github) throw new Error("gitHubProviderArgs: the stack has no github section");
    const app = config.github.app;
    if (!app) {
        return { owner: config.github.owner, ...(secrets.githubToken ? { token: secrets.githubToken } : {}) };
    }
    const pemFile = secrets.githubAppPrivateKey;
    if (!pemFile) {
        throw new ConfigError([
            `githubAppPrivateKey: expected the PEM private key of GitHub App ${app.id}, got nothing; set it with \`${setSecretCommand(config.environment, "githubAppPrivateKey")}\``,
        ]);
    }
    return {
        owner: config.github.owner,
        appAuth: { id: String(app.id), installationId: String(app.installationId), pemFile },
        // An explicit empty token: otherwise the provider SDK copies an ambient GITHUB_TOKEN into its
        // inputs, unmarked, where the state and the offline render would show it.
        token: pulumi.secret(""),
    };
}

/**
 * Bring your own Git: how Argo CD authenticates to `gitops.repoURL`, from secret config. An ssh URL takes
 * `gitopsSshPrivateKey`; an http(s) URL takes `gitopsUsername` and `gitopsPassword` together, or neither
 * (a public repository); the keys of the other kind are not read. Undefined in GitHub mode and for a
 * public repository. Throws one ConfigError naming every missing key, before anything is registered.
 */
export function gitopsRepositoryAuth({ config, secrets }: LoadedStack): RepositoryAuth | undefined {
    const url = config.gitops.repoURL;
    if (url === undefined) return undefined;
    const stack = config.environment;
    const { gitopsSshPrivateKey: sshKey, gitopsUsername: username, gitopsPassword: password } = secrets;
    const missing = (key: string, what: string) =>
        `${key}: expected ${what}, got nothing; set it with \`${setSecretCommand(stack, key)}\``;
    if (isSshGitUrl(url)) {
        if (sshKey === undefined)
            throw new ConfigError([
                missing("gitopsSshPrivateKey", `the private key Argo CD reads ${url} with`),
            ]);
        return { type: "ssh", sshPrivateKey: sshKey };
    }
    if (username !== undefined && password === undefined)
        throw new ConfigError([missing("gitopsPassword", "the password or access token of gitopsUsername")]);
    if (password !== undefined && username === undefined)
        throw new ConfigError([missing("gitopsUsername", "the username gitopsPassword belongs to")]);
    return username !== undefined && password !== undefined
        ? { type: "https", username, password }
        : undefined;
}

/**
 * Deployment feedback for the notifications component: the App, API root and what to send, with the App's
 * private key from secret config (`notificationsGithubPrivateKey`, or `githubAppPrivateKey` for
 * `github.app`). Undefined when off. Throws a ConfigError naming the key when it is missing, before
 * anything is registered.
 */
export function deployFeedbackArgs({
    config,
    secrets,
}: LoadedStack):
    { settings: Omit<GitHubFeedbackSettings, "linkUrl">; privateKey: pulumi.Input<string> } | undefined {
    const feedback = deployFeedback(config);
    if (!feedback) return undefined;
    const privateKey = secrets[feedback.privateKeySecret];
    if (privateKey === undefined) {
        throw new ConfigError([
            `${feedback.privateKeySecret}: expected the PEM private key of GitHub App ${feedback.app.id}, which reports deploy feedback, got nothing; set it with \`${setSecretCommand(config.environment, feedback.privateKeySecret)}\``,
        ]);
    }
    return {
        settings: {
            appID: feedback.app.id,
            installationID: feedback.app.installationId,
            ...(feedback.enterpriseBaseURL ? { enterpriseBaseURL: feedback.enterpriseBaseURL } : {}),
            statuses: feedback.statuses,
            deployments: feedback.deployments,
        },
        privateKey,
    };
}

/**
 * Where the hub's Argo CD gets a workload cluster's credentials and CA: `connection.eks` (Argo CD's
 * awsAuthConfig), the kubeconfig in secret config (a token, or an EKS exec turned into awsAuthConfig; the
 * loader has refused any other), or a cluster stack's outputs. Either way the result is secret.
 */
export function clusterCredentials(
    cluster: WorkloadClusterConfig,
    secrets: LoadedStack["secrets"],
): pulumi.Output<ClusterCredentials> {
    const { kubeconfigSecret, stackReference, eks } = cluster.connection;
    if (eks) {
        const awsAuth = {
            clusterName: eks.clusterName,
            ...(eks.roleArn ? { roleARN: eks.roleArn } : {}),
            ...(eks.profile ? { profile: eks.profile } : {}),
        };
        return pulumi.secret({ awsAuth, caData: eks.caData });
    }
    if (kubeconfigSecret) {
        const kubeconfig = secrets[kubeconfigSecret];
        if (!kubeconfig)
            throw new Error(`workload cluster ${cluster.name}: secret ${kubeconfigSecret} was not loaded`);
        return pulumi.secret(kubeconfig.apply((text) => kubeconfigCredentials(text, cluster.name)));
    }
    const ref = new pulumi.StackReference(`${cluster.name}-cluster-stack`, { name: stackReference!.stack });
    return pulumi.secret(
        pulumi
            .all([
                ref.requireOutput(stackReference!.tokenOutput),
                ref.requireOutput(stackReference!.caDataOutput),
            ])
            .apply(([token, caData]) => ({ bearerToken: String(token), caData: String(caData) })),
    );
}

/**
 * The program: build the platform from a validated stack (see `loadStack`, which registers nothing and
 * throws on any config problem). `index.ts` runs it under `pulumi up`; the offline render under mocks.
 */
export function deployPlatform(stack: LoadedStack): pulumi.Output<PlatformOutputs> {
    const { config, secrets } = stack;
    // All three may throw a ConfigError: before anything is registered.
    const gitHubArgs = config.github ? gitHubProviderArgs(stack) : undefined;
    const gitopsAuth = gitopsRepositoryAuth(stack);
    const feedback = deployFeedbackArgs(stack);
    const kubernetes = new k8s.Provider(`${config.cluster.name}-k8s`, {
        ...(config.cluster.kubeconfig ? { kubeconfig: config.cluster.kubeconfig } : {}),
        ...(config.cluster.context ? { context: config.cluster.context } : {}),
        enableServerSideApply: true,
    });
    // Bring your own Git: no GitHub provider at all (it would look the owner up when configured).
    const gitHub = gitHubArgs ? new github.Provider("github", gitHubArgs) : undefined;

    const workloadClusters = config.workloadClusters.map((cluster) => ({
        ...cluster,
        credentials: clusterCredentials(cluster, secrets),
    }));

    const platform = new GitOpsPlatform(
        config.environment,
        {
            ...config,
            workloadClusters,
            notifications: { ...config.notifications, github: feedback?.settings },
            secrets: {
                oidcClientSecret: secrets.argocdOidcClientSecret,
                slackToken: secrets.slackToken,
                smtpUsername: secrets.smtpUsername,
                smtpPassword: secrets.smtpPassword,
                gitHubPrivateKey: feedback?.privateKey,
                gitopsAuth,
                gitopsWebhookSecret: secrets.gitopsWebhookSecret,
                alertmanagerSlackWebhookUrl: secrets.alertmanagerSlackWebhookUrl,
            },
        },
        { providers: { kubernetes, ...(gitHub ? { github: gitHub } : {}) } },
    );

    return platform.outputs;
}
