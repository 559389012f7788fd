import { z } from "zod";
import { notificationTriggerNames } from "../../components/notifications/catalog";
import { quote } from "../errors";
import { dnsLabel, serverAddress } from "./common";

const slackChannel = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, "a Slack channel name or ID, without '#'");
const emailAddress = z.email({ error: "an email address" });
const triggerName = z.enum(notificationTriggerNames as [string, ...string[]]);

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

/** Subscriptions name `platform` or a configured team, and only services that are configured. */
export function notificationIssues(
    config: { notifications: z.infer<typeof notificationsSchema>; teams: { name: string }[] },
    ctx: z.RefinementCtx,
): void {
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
