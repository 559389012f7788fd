import { z } from "zod";
import { notificationTriggerNames } from "../../components/notifications/catalog";
import { describeValue, quote } from "../errors";
import { dnsLabel, positiveInt, serverAddress } from "./common";

const slackChannel = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, "a Slack channel name or ID, without '#'");
const emailAddress = z.email({ error: "an email address" });
const triggerName = z.enum(notificationTriggerNames as [string, ...string[]]);

/**
 * GitHub Enterprise Server's REST root, `http(s)://<host>[:port][/prefix]/api/v3` with no trailing slash:
 * notifications-engine gives it to go-github (WithEnterpriseURLs) and to ghinstallation, which requests
 * installation tokens at `<base>/app/installations/<id>/access_tokens`, so it must be the API root itself.
 */
const enterpriseBaseUrl = z.string().superRefine((value, ctx) => {
    let ok: boolean;
    try {
        const url = new URL(value);
        ok =
            /^https?:$/.test(url.protocol) &&
            url.search === "" &&
            url.hash === "" &&
            /\/api\/v3$/.test(url.pathname) &&
            !/\s/.test(value);
    } catch {
        ok = false;
    }
    if (!ok) {
        ctx.addIssue({
            code: "custom",
            message: `expected the REST API root of GitHub Enterprise Server, an http(s) URL ending in /api/v3 such as https://ghe.example.com/api/v3, got ${describeValue(value)}`,
        });
    }
});

/**
 * Deployment feedback on GitHub: commit statuses `deploy/<env>` and GitHub deployments on the app
 * repositories, sent by Argo CD notifications' `github` service as a GitHub App. It stands apart from
 * repository management: with your own Git it reports to app repositories on GitHub or GitHub Enterprise.
 */
export const gitHubFeedbackSchema = z.strictObject({
    /** Default: on when this section is set or when `github.app` is (the platform manages GitHub as an App). */
    enabled: z.boolean().optional(),
    /**
     * The GitHub App that reports (Commit statuses and Deployments: read and write), installed on the app
     * repositories' owner; its PEM key is the secret config key `notificationsGithubPrivateKey`. Default:
     * `github.app`, with its key `githubAppPrivateKey`.
     */
    app: z.strictObject({ id: positiveInt, installationId: positiveInt }).optional(),
    /** GitHub Enterprise Server's API root, e.g. `https://ghe.example.com/api/v3`. Default: api.github.com. */
    enterpriseBaseURL: enterpriseBaseUrl.optional(),
    /** Commit statuses `deploy/<env>` on the app commit. Default: `true`. */
    statuses: z.boolean().optional(),
    /** A GitHub deployment per sync in environment `<env>`. Default: `true`. */
    deployments: z.boolean().optional(),
});

/** Secret config key of the App in `notifications.github.app`. */
export const notificationsGithubPrivateKey = "notificationsGithubPrivateKey";

/** Argo CD notifications: Slack and email services, default triggers and per-project subscriptions. */
export const notificationsSchema = z.strictObject({
    /** Slack service; the bot token is the secret config key `slackToken`. */
    slack: z
        .strictObject({
            /** Channel of the environment's default subscription. */
            channel: slackChannel,
            username: z.string().min(1).optional(),
            icon: z.string().min(1).optional(),
            /**
             * Base URL of the Slack Web API, for an egress gateway or a Slack-compatible server
             * (notifications-engine's `apiURL`, slack-go's OptionAPIURL); Slack's own when unset.
             */
            apiURL: z
                .url({
                    protocol: /^https?$/,
                    error: "an http(s) URL such as https://slack-proxy.example.com/api/",
                })
                .optional(),
        })
        .optional(),
    /** Email service over SMTP; credentials are the secret config keys `smtpUsername` and `smtpPassword`. */
    email: z
        .strictObject({
            host: serverAddress,
            port: z.number().int().min(1).max(65535),
            from: emailAddress,
            /** Recipients of the environment's default subscription. */
            recipients: z.array(emailAddress).min(1),
        })
        .optional(),
    /** Triggers of the environment's default subscription (and of annotations that name no trigger). */
    triggers: z.array(triggerName),
    /** Deployment feedback on GitHub (commit statuses and deployments). Default: see `deployFeedback`. */
    github: gitHubFeedbackSchema.optional(),
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

/** Deployment feedback as the stack config resolves it. */
export interface DeployFeedbackConfig {
    app: { id: number; installationId: number };
    /** The secret config key holding the App's PEM private key. */
    privateKeySecret: "githubAppPrivateKey" | typeof notificationsGithubPrivateKey;
    enterpriseBaseURL?: string;
    statuses: boolean;
    deployments: boolean;
}

/**
 * Whether and how this stack reports deployments to GitHub: on when `notifications.github` is set or
 * `github.app` is (unless `enabled: false`), with `notifications.github.app` (key
 * `notificationsGithubPrivateKey`) or else `github.app` (key `githubAppPrivateKey`). Undefined when off,
 * or when on without an App (`notificationIssues` reports that). Pure.
 */
export function deployFeedback(config: {
    notifications: { github?: z.infer<typeof gitHubFeedbackSchema> };
    github?: { app?: { id: number; installationId: number } };
}): DeployFeedbackConfig | undefined {
    const section = config.notifications.github;
    const enabled = section?.enabled ?? (section !== undefined || config.github?.app !== undefined);
    if (!enabled) return undefined;
    const own = section?.app;
    const app = own ?? config.github?.app;
    if (app === undefined) return undefined;
    return {
        app,
        privateKeySecret: own ? notificationsGithubPrivateKey : "githubAppPrivateKey",
        ...(section?.enterpriseBaseURL ? { enterpriseBaseURL: section.enterpriseBaseURL } : {}),
        statuses: section?.statuses ?? true,
        deployments: section?.deployments ?? true,
    };
}

/**
 * Subscriptions name `platform` or a configured team, and only services that are configured; deployment
 * feedback that is on has an App and sends something.
 */
export function notificationIssues(
    config: {
        notifications: z.infer<typeof notificationsSchema>;
        teams: { name: string }[];
        github?: { app?: { id: number; installationId: number } };
    },
    ctx: z.RefinementCtx,
): void {
    const section = config.notifications.github;
    if (section !== undefined && section.enabled !== false) {
        if (section.app === undefined && config.github?.app === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["notifications", "github", "app"],
                message:
                    "expected the GitHub App that reports deploy feedback ({ id, installationId }; or github.app), got nothing; set enabled: false to turn it off",
            });
        }
        if (section.statuses === false && section.deployments === false) {
            ctx.addIssue({
                code: "custom",
                path: ["notifications", "github", "deployments"],
                message:
                    "expected commit statuses or deployments to be on, got both off; set notifications.github.enabled: false to turn deploy feedback off",
            });
        }
    }
    const projects = new Set(["platform", ...config.teams.map((team) => team.name)]);
    config.notifications.projects.forEach((subscription, index) => {
        const path = ["notifications", "projects", index];
        if (!projects.has(subscription.project)) {
            ctx.addIssue({
                code: "custom",
                path: [...path, "project"],
                message: `expected platform or a configured team (${[...projects].join(", ")}), got ${quote(subscription.project)}`,
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
