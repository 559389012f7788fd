import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { labelKeys } from "../common/labels";
import {
    gitHubTemplates,
    gitHubTriggerNames,
    gitHubTriggers,
    notificationTemplates,
    notificationTriggers,
    type GitHubNotificationTemplate,
    type NotificationTemplate,
    type NotificationTrigger,
} from "./catalog";
import {
    gitHubPrivateKeySecretKey,
    gitHubServiceConfig,
    gitHubSubscription,
    renderGitHubTemplate,
    type GitHubFeedbackSettings,
} from "./github";
import { renderTemplate } from "./templates";

/** Name of the ConfigMap Argo CD's notifications controller reads. */
export const notificationsConfigMapName = "argocd-notifications-cm";
/** Name of the Secret whose keys `$name` references in service config resolve against. */
export const notificationsSecretName = "argocd-notifications-secret";

/** Keys of argocd-notifications-secret. */
export const notificationSecretKeys = {
    slackToken: "slack-token",
    emailUsername: "email-username",
    emailPassword: "email-password",
    gitHubPrivateKey: gitHubPrivateKeySecretKey,
} as const;

/** Slack: the bot token is a secret; the channel receives the environment's default subscription. */
export interface SlackSettings {
    /** Default channel, without `#`. */
    channel: string;
    /** Display name of the bot (needs the chat:write.customize scope). Default: the app's name. */
    username?: string;
    /** Emoji or image URL of the bot. Default: the app's icon. */
    icon?: string;
    /**
     * Base URL of the Slack Web API (notifications-engine `service.slack` `apiURL`; slack-go appends the
     * method, e.g. `chat.postMessage`): an egress gateway or a Slack-compatible server. Default: Slack's.
     */
    apiURL?: string;
}

/** Email over SMTP: username and password are secrets. */
export interface EmailSettings {
    /** SMTP server: a hostname or an IPv4 address. */
    host: string;
    port: number;
    from: string;
    /** Receive the environment's default subscription. */
    recipients: string[];
}

/** Subscriptions for one project (its Applications carry the project's team label). */
export interface ProjectSubscription {
    /** AppProject (team) name, or `platform` for the add-ons. */
    project: string;
    /** Slack channel, without `#`. Default: none. */
    slackChannel?: string;
    /** Email recipients. Default: none. */
    emails?: string[];
    /** Default: the environment's triggers. */
    triggers?: string[];
}

export interface NotificationsConfigArgs {
    environment: string;
    /** Argo CD's URL, for links in messages. */
    argocdUrl: string;
    /** Default: no Slack service. */
    slack?: SlackSettings;
    /** Default: no email service. */
    email?: EmailSettings;
    /** Triggers of the environment-wide default subscription, and the app annotations' default triggers. */
    triggers: string[];
    /** Per-project subscriptions. Default: none. */
    projects?: ProjectSubscription[];
    /**
     * Deployment feedback on GitHub (commit statuses and deployments on the app repositories), sent by
     * the `github` service to every team Application. Default: none.
     */
    github?: GitHubFeedbackSettings;
    /** Default: the platform's catalog. */
    catalog?: {
        triggers: NotificationTrigger[];
        templates: NotificationTemplate[];
        gitHubTriggers?: NotificationTrigger[];
        gitHubTemplates?: GitHubNotificationTemplate[];
    };
}

/**
 * The GitHub triggers an environment subscribes its team Applications to: the commit-status triggers
 * unless `statuses: false`, the deployment triggers unless `deployments: false`. Pure.
 */
export function gitHubFeedbackTriggers(settings: GitHubFeedbackSettings): string[] {
    return [
        ...(settings.statuses === false ? [] : gitHubTriggerNames.statuses),
        ...(settings.deployments === false ? [] : gitHubTriggerNames.deployments),
    ];
}

/** `service.slack`: the token is a reference into argocd-notifications-secret, never the value. */
export function slackServiceConfig(slack: SlackSettings): string {
    return stringify({
        token: `$${notificationSecretKeys.slackToken}`,
        ...(slack.username ? { username: slack.username } : {}),
        ...(slack.icon ? { icon: slack.icon } : {}),
        ...(slack.apiURL ? { apiURL: slack.apiURL } : {}),
    });
}

/** `service.email`: SMTP host, port and sender; credentials are references into the Secret. */
export function emailServiceConfig(email: EmailSettings): string {
    return stringify({
        host: email.host,
        port: email.port,
        from: email.from,
        username: `$${notificationSecretKeys.emailUsername}`,
        password: `$${notificationSecretKeys.emailPassword}`,
    });
}

/** `trigger.<name>`: a list of conditions, each sending templates. */
export function renderTrigger(trigger: NotificationTrigger): string {
    return stringify([
        {
            description: trigger.description,
            ...(trigger.oncePer ? { oncePer: trigger.oncePer } : {}),
            send: [trigger.template],
            when: trigger.when,
        },
    ]);
}

/** Recipients in Argo CD's `<service>:<recipient>` form, for the services that are configured. */
function recipients(args: NotificationsConfigArgs, channel?: string, emails: string[] = []): string[] {
    return [
        ...(args.slack && channel ? [`slack:${channel}`] : []),
        ...(args.email ? emails.map((address) => `email:${address}`) : []),
    ];
}

/**
 * The `subscriptions` list: the environment default for every Application, then one per project, then the
 * `github` service's for every team Application (deployment feedback).
 */
export function defaultSubscriptions(args: NotificationsConfigArgs): Record<string, unknown>[] {
    const subscriptions: Record<string, unknown>[] = [];
    const everyone = recipients(args, args.slack?.channel, args.email?.recipients);
    if (everyone.length > 0 && args.triggers.length > 0) {
        subscriptions.push({ recipients: everyone, triggers: [...args.triggers] });
    }
    for (const project of args.projects ?? []) {
        const to = recipients(args, project.slackChannel, project.emails);
        const triggers = project.triggers ?? args.triggers;
        if (to.length === 0 || triggers.length === 0) continue;
        subscriptions.push({
            recipients: to,
            triggers: [...triggers],
            selector: `${labelKeys.team}=${project.project}`,
        });
    }
    const gitHub = args.github ? gitHubFeedbackTriggers(args.github) : [];
    if (gitHub.length > 0) subscriptions.push(gitHubSubscription(gitHub));
    return subscriptions;
}

/**
 * The data of argocd-notifications-cm, with keys exactly as Argo CD reads them: `service.<type>`,
 * `trigger.<name>`, `template.<name>`, `subscriptions`, `defaultTriggers` and `context`. Pure.
 */
export function notificationsConfigData(args: NotificationsConfigArgs): Record<string, string> {
    const catalog = args.catalog ?? { triggers: notificationTriggers, templates: notificationTemplates };
    const templates = new Set(catalog.templates.map((template) => template.name));
    const triggers = new Set(catalog.triggers.map((trigger) => trigger.name));
    for (const trigger of catalog.triggers) {
        if (!templates.has(trigger.template)) {
            throw new Error(
                `notification trigger ${trigger.name} sends unknown template ${trigger.template}`,
            );
        }
    }
    const used = [...args.triggers, ...(args.projects ?? []).flatMap((p) => p.triggers ?? [])];
    for (const name of used) {
        if (!triggers.has(name)) {
            throw new Error(
                `unknown notification trigger ${name}; the catalog has ${[...triggers].join(", ")}`,
            );
        }
    }

    const data: Record<string, string> = {
        context: stringify({
            argocdUrl: args.argocdUrl,
            environment: args.environment,
            // Links on GitHub only to a public Argo CD; empty otherwise, so templates leave them out.
            ...(args.github ? { argocdPublicUrl: args.github.linkUrl ?? "" } : {}),
        }),
    };
    if (args.slack) data["service.slack"] = slackServiceConfig(args.slack);
    if (args.email) data["service.email"] = emailServiceConfig(args.email);
    if (args.github) data["service.github"] = gitHubServiceConfig(args.github);
    for (const trigger of catalog.triggers) data[`trigger.${trigger.name}`] = renderTrigger(trigger);
    for (const template of catalog.templates) data[`template.${template.name}`] = renderTemplate(template);
    if (args.github) {
        const ghTemplates = catalog.gitHubTemplates ?? gitHubTemplates;
        const ghTriggers = catalog.gitHubTriggers ?? gitHubTriggers;
        const known = new Set(ghTemplates.map((template) => template.name));
        for (const trigger of ghTriggers) {
            if (!known.has(trigger.template)) {
                throw new Error(
                    `GitHub notification trigger ${trigger.name} sends unknown template ${trigger.template}`,
                );
            }
            data[`trigger.${trigger.name}`] = renderTrigger(trigger);
        }
        for (const template of ghTemplates)
            data[`template.${template.name}`] = renderGitHubTemplate(template);
    }
    data.defaultTriggers = stringify([...args.triggers]);
    const subscriptions = defaultSubscriptions(args);
    if (subscriptions.length > 0) data.subscriptions = stringify(subscriptions);
    return data;
}

/** Prefix of Argo CD's notification subscription annotations. */
export const subscribeAnnotationPrefix = "notifications.argoproj.io/subscribe";

/**
 * Every annotation key that subscribes an Application to a configured service:
 * `notifications.argoproj.io/subscribe.<trigger>.<service>` for each trigger, and
 * `notifications.argoproj.io/subscribe.<service>` (the default triggers). Exact keys, as
 * `spec.preservedFields.annotations` of an ApplicationSet needs them (it matches keys exactly, no prefixes).
 * Pure.
 */
export function subscriptionAnnotationKeys(
    services: readonly string[],
    triggers: readonly string[],
): string[] {
    return services.flatMap((service) => [
        `${subscribeAnnotationPrefix}.${service}`,
        ...triggers.map((trigger) => `${subscribeAnnotationPrefix}.${trigger}.${service}`),
    ]);
}

/** Secret values of the notification services. */
export interface NotificationSecrets {
    slackToken?: pulumi.Input<string>;
    smtpUsername?: pulumi.Input<string>;
    smtpPassword?: pulumi.Input<string>;
    /** PEM private key of the GitHub App of the `github` service. */
    gitHubPrivateKey?: pulumi.Input<string>;
}

/** The `stringData` of argocd-notifications-secret; every value is marked secret. */
export function notificationsSecretData(secrets: NotificationSecrets): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {};
    if (secrets.slackToken !== undefined) {
        data[notificationSecretKeys.slackToken] = pulumi.secret(secrets.slackToken);
    }
    if (secrets.smtpUsername !== undefined) {
        data[notificationSecretKeys.emailUsername] = pulumi.secret(secrets.smtpUsername);
    }
    if (secrets.smtpPassword !== undefined) {
        data[notificationSecretKeys.emailPassword] = pulumi.secret(secrets.smtpPassword);
    }
    if (secrets.gitHubPrivateKey !== undefined) {
        data[notificationSecretKeys.gitHubPrivateKey] = pulumi.secret(secrets.gitHubPrivateKey);
    }
    return data;
}

/**
 * argo-cd chart values for notifications: the controller runs, but neither its ConfigMap nor its Secret
 * comes from the chart. Pulumi manages both, so no secret value ever passes through Helm values. Pure.
 */
export function notificationsChartValues(): Record<string, unknown> {
    return { notifications: { enabled: true, secret: { create: false }, cm: { create: false } } };
}
