import { z } from "zod";
import { addonEnabled, type addonsSchema } from "./addons";
import { duration } from "./common";

const slackChannel = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, "a Slack channel name, without '#'");

/**
 * `alerts`: where Alertmanager (kube-prometheus-stack) sends alerts. Teams' channels come from
 * `notifications.projects[].slackChannel`; the webhook URL is the secret config key
 * `alertmanagerSlackWebhookUrl`, the SMTP server and credentials are the notifications' own.
 */
export const alertsSchema = z.strictObject({
    /** Route alerts to people. Default: on when this section is set. */
    enabled: z.boolean().optional(),
    /** Slack, through an incoming webhook (secret `alertmanagerSlackWebhookUrl`). */
    slack: z
        .strictObject({
            /** The platform's channel: every alert no team owns. Default: `notifications.slack.channel`. */
            channel: slackChannel.optional(),
        })
        .optional(),
    /** Critical alerts by e-mail, through `notifications.email`'s SMTP server. */
    email: z
        .strictObject({
            to: z.array(z.email({ error: "an email address" })).min(1),
            /** SMTP login (plain: Alertmanager has no file for it); the password is secret `smtpPassword`. */
            username: z.string().min(1).optional(),
        })
        .optional(),
    /** How often a firing alert is sent again. Default: `4h`. */
    repeatInterval: duration.optional(),
});

/** Whether alerts are routed to people by this config. */
export function alertsEnabled(config: { alerts?: z.infer<typeof alertsSchema> }): boolean {
    return config.alerts !== undefined && config.alerts.enabled !== false;
}

/** Alerts need Alertmanager (kube-prometheus-stack), a Slack channel for Slack, and SMTP for e-mail. */
export function alertIssues(
    config: {
        alerts?: z.infer<typeof alertsSchema>;
        addons: z.infer<typeof addonsSchema>;
        notifications: { slack?: { channel: string }; email?: unknown };
    },
    ctx: z.RefinementCtx,
): void {
    if (!alertsEnabled(config)) return;
    const alerts = config.alerts!;
    if (!addonEnabled(config.addons, "kube-prometheus-stack")) {
        ctx.addIssue({
            code: "custom",
            path: ["alerts"],
            message:
                "expected kube-prometheus-stack to be enabled (its Alertmanager sends the alerts), got it disabled",
        });
    }
    if (!alerts.slack && !alerts.email) {
        ctx.addIssue({
            code: "custom",
            path: ["alerts"],
            message:
                "expected slack or email (where alerts go), got neither; set enabled: false to turn alerts off",
        });
    }
    if (alerts.slack && !alerts.slack.channel && !config.notifications.slack) {
        ctx.addIssue({
            code: "custom",
            path: ["alerts", "slack", "channel"],
            message: "expected the platform's alert channel (or notifications.slack.channel), got nothing",
        });
    }
    if (alerts.email && !config.notifications.email) {
        ctx.addIssue({
            code: "custom",
            path: ["alerts", "email"],
            message:
                "expected notifications.email to be configured (alerts are mailed through its SMTP server), got no email service",
        });
    }
}
