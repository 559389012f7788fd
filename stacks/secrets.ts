import { kubeconfigSecretKeys } from "./sections/clusters";
import { isSshGitUrl } from "./sections/github";
import { deployFeedback, notificationsGithubPrivateKey } from "./sections/notifications";
import type { PlatformConfig } from "./schema";
import { alertsEnabled } from "./sections/alerts";

/** A secret the stack reads from secret config. The program generates every other secret it needs. */
export interface SecretSpec {
    /** Config key, in the project namespace. */
    key: string;
    /** What it is, for error messages and the README. */
    description: string;
    /** Whether a real deployment with this config cannot do without it. */
    required(config: PlatformConfig, env: NodeJS.ProcessEnv): boolean;
}

/** Every secret config key the platform reads. The offline render fills each with a placeholder. */
export const secretSpecs: SecretSpec[] = [
    {
        key: "githubToken",
        description: "GitHub token for the github provider (or set GITHUB_TOKEN, or configure github.app)",
        required: (config, env) =>
            config.github !== undefined && !env.GITHUB_TOKEN && config.github.app === undefined,
    },
    {
        key: "githubAppPrivateKey",
        description: "the PEM private key of the GitHub App in github.app",
        required: (config) => config.github?.app !== undefined,
    },
    {
        key: "gitopsSshPrivateKey",
        description:
            "the private key (OpenSSH PEM) Argo CD reads the GitOps repository with (gitops.repoURL is an ssh URL); its public half is a read-only deploy key on your Git server",
        required: (config) => config.gitops.repoURL !== undefined && isSshGitUrl(config.gitops.repoURL),
    },
    {
        key: "gitopsUsername",
        description:
            "the username Argo CD reads the GitOps repository with over http(s) (with gitopsPassword; neither for a public repository)",
        required: () => false,
    },
    {
        key: "gitopsPassword",
        description:
            "the password or access token Argo CD reads the GitOps repository with over http(s) (with gitopsUsername)",
        required: () => false,
    },
    {
        key: "gitopsWebhookSecret",
        description:
            "the shared secret of your Git server's push webhook to Argo CD (gitops.webhook is set); set the same value on the Git server",
        required: (config) => config.gitops.webhook !== undefined,
    },
    {
        key: "argocdOidcClientSecret",
        description: "the OIDC client secret for Argo CD single sign-on (argocd.oidc is set)",
        required: (config) => config.argocd.oidc !== undefined,
    },
    {
        key: "slackToken",
        description: "the Slack bot token (xoxb-…) for Argo CD notifications (notifications.slack is set)",
        required: (config) => config.notifications.slack !== undefined,
    },
    {
        key: "smtpUsername",
        description: "the SMTP username for Argo CD email notifications (notifications.email is set)",
        required: (config) => config.notifications.email !== undefined,
    },
    {
        key: "smtpPassword",
        description: "the SMTP password for Argo CD email notifications (notifications.email is set)",
        required: (config) => config.notifications.email !== undefined,
    },
    {
        key: "alertmanagerSlackWebhookUrl",
        description:
            "the Slack incoming webhook URL Alertmanager posts alerts to (alerts.slack is set); it stays in a Kubernetes Secret, never in Git or an Application",
        required: (config) => alertsEnabled(config) && config.alerts?.slack !== undefined,
    },
    {
        key: notificationsGithubPrivateKey,
        description:
            "the PEM private key of the GitHub App in notifications.github.app, which reports deploy feedback (commit statuses and deployments)",
        required: (config) => deployFeedback(config)?.privateKeySecret === notificationsGithubPrivateKey,
    },
];

/** The placeholder the offline render puts where a secret value would be. */
export function secretPlaceholder(name: string): string {
    return `«secret:${name}»`;
}

/** The command that fixes a missing or plain-text secret. */
export function setSecretCommand(stack: string, key: string): string {
    return `pulumi config set --secret --stack ${stack} ${key} <value>`;
}

/** Secret keys this config needs for a real deployment that `isSet` says are missing. */
export function missingRequiredSecrets(
    config: PlatformConfig,
    env: NodeJS.ProcessEnv,
    isSet: (key: string) => boolean,
): SecretSpec[] {
    return stackSecretSpecs(config.workloadClusters).filter(
        (spec) => !isSet(spec.key) && spec.required(config, env),
    );
}

/**
 * Every secret a stack reads: the fixed ones, plus the kubeconfig secret each workload cluster names
 * (`workloadClusters[].connection.kubeconfigSecret`), given the raw `workloadClusters` value.
 */
export function stackSecretSpecs(rawWorkloadClusters: unknown): SecretSpec[] {
    return [
        ...secretSpecs,
        ...kubeconfigSecretKeys(rawWorkloadClusters).map((key) => ({
            key,
            description:
                "the kubeconfig of a workload cluster (workloadClusters[].connection.kubeconfigSecret)",
            required: () => true,
        })),
    ];
}
