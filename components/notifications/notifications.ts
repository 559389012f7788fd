import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argoCdInClusterUrl } from "../argocd/values";
import { configMapPatch, secretPatch } from "../argocd/patches";
import { afterInstall, type ArgoCdRef } from "../common/argocdRef";
import {
    notificationsConfigData,
    notificationsConfigMapName,
    notificationsSecretData,
    notificationsSecretName,
    type EmailSettings,
    type NotificationSecrets,
    type ProjectSubscription,
    type SlackSettings,
} from "./config";
import { notificationTriggerNames } from "./catalog";
import type { GitHubFeedbackSettings } from "./github";

export interface ArgoCdNotificationsArgs extends NotificationSecrets {
    /** The Argo CD whose notifications controller reads this config (its namespace). */
    argoCd: ArgoCdRef;
    /** Environment name, shown in every message. */
    environment: string;
    /** Argo CD's URL for links. Default: the in-cluster server Service (`argoCdInClusterUrl`). */
    argocdUrl?: string;
    /** Slack service; needs `slackToken`. Default: none. */
    slack?: SlackSettings;
    /** Email service; needs `smtpUsername` and `smtpPassword`. Default: none. */
    email?: EmailSettings;
    /**
     * Deployment feedback: commit statuses and GitHub deployments on the app repositories of every team
     * Application, from the GitHub App in `appID`/`installationID`; needs `gitHubPrivateKey`. Default: none.
     */
    github?: GitHubFeedbackSettings;
    /** Triggers of the default subscription. Default: every trigger of the catalog. */
    triggers?: string[];
    /** Per-project subscriptions. Default: none. */
    projects?: ProjectSubscription[];
    /** Labels on the ConfigMap and Secret. Default: none. */
    labels?: Record<string, string>;
    /**
     * Argo CD was installed by someone else (`argocd.install: external`), with its own
     * argocd-notifications-cm and -secret: set the platform's keys with server-side apply patches instead
     * of creating both objects. Default: `false`.
     */
    patchExisting?: boolean;
}

/**
 * Argo CD notifications: the Pulumi-managed argocd-notifications-cm (services, triggers, templates,
 * subscriptions) and argocd-notifications-secret (Slack token, SMTP credentials, GitHub App key). Pair it with
 * `notificationsChartValues()` in the argo-cd chart values, which stops the chart creating either.
 */
export class ArgoCdNotifications extends pulumi.ComponentResource {
    /** Names of the services configured, e.g. `["slack", "email", "github"]`. */
    public readonly services: pulumi.Output<string[]>;
    /** Names of the triggers Argo CD knows. */
    public readonly triggers: pulumi.Output<string[]>;

    constructor(name: string, args: ArgoCdNotificationsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Check and build first: a bad config throws before anything is registered.
        if (args.slack && args.slackToken === undefined) {
            throw new Error(
                `${name}: Slack is configured (channel ${args.slack.channel}) but no slackToken was given`,
            );
        }
        if (args.email && (args.smtpUsername === undefined || args.smtpPassword === undefined)) {
            throw new Error(
                `${name}: email is configured (${args.email.host}) but smtpUsername or smtpPassword is missing`,
            );
        }
        if (args.github && args.gitHubPrivateKey === undefined) {
            throw new Error(
                `${name}: GitHub deployment feedback is configured (App ${args.github.appID}) but no gitHubPrivateKey was given`,
            );
        }
        const configArgs = {
            environment: args.environment,
            slack: args.slack,
            email: args.email,
            github: args.github,
            triggers: args.triggers ?? notificationTriggerNames,
            projects: args.projects,
        };
        // Built once here so that a bad config throws before anything is registered.
        const checked = notificationsConfigData({ ...configArgs, argocdUrl: args.argocdUrl ?? "" });
        const data =
            args.argocdUrl !== undefined
                ? checked
                : pulumi.output(args.argoCd.namespace).apply((namespace) =>
                      notificationsConfigData({
                          ...configArgs,
                          argocdUrl: argoCdInClusterUrl(namespace),
                      }),
                  );
        const labels = {
            ...args.labels,
            "app.kubernetes.io/part-of": "argocd",
            "app.kubernetes.io/component": "notifications-controller",
        };
        super("gitops:notifications:ArgoCdNotifications", name, {}, opts);
        const secretData = notificationsSecretData({
            slackToken: args.slack ? args.slackToken : undefined,
            smtpUsername: args.email ? args.smtpUsername : undefined,
            smtpPassword: args.email ? args.smtpPassword : undefined,
            gitHubPrivateKey: args.github ? args.gitHubPrivateKey : undefined,
        });

        if (args.patchExisting) {
            const target = (objectName: string) => ({ name: objectName, namespace: args.argoCd.namespace });
            secretPatch(
                `${name}-secret-patch`,
                target(notificationsSecretName),
                secretData,
                afterInstall(this, args.argoCd),
            );
            configMapPatch(
                `${name}-cm-patch`,
                target(notificationsConfigMapName),
                data,
                afterInstall(this, args.argoCd),
            );
        } else {
            new k8s.core.v1.Secret(
                `${name}-secret`,
                {
                    metadata: { name: notificationsSecretName, namespace: args.argoCd.namespace, labels },
                    type: "Opaque",
                    stringData: secretData,
                },
                { parent: this },
            );
            new k8s.core.v1.ConfigMap(
                `${name}-cm`,
                {
                    metadata: { name: notificationsConfigMapName, namespace: args.argoCd.namespace, labels },
                    data,
                },
                { parent: this },
            );
        }

        this.services = pulumi.output([
            ...(args.slack ? ["slack"] : []),
            ...(args.email ? ["email"] : []),
            ...(args.github ? ["github"] : []),
        ]);
        this.triggers = pulumi.output(
            Object.keys(checked)
                .filter((key) => key.startsWith("trigger."))
                .map((key) => key.slice("trigger.".length)),
        );
        this.registerOutputs({ services: this.services, triggers: this.triggers });
    }
}
