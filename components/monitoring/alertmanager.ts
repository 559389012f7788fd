/**
 * Alert routing: kube-prometheus-stack's Alertmanager configuration, so alerts reach people. Alerts route by
 * severity and by team to Slack (the platform's channel and each team's) and, for critical ones, to e-mail.
 * No secret is in the configuration: the Slack webhook URL and the SMTP password are files of a Kubernetes
 * Secret the platform creates from secret config, mounted through `alertmanagerSpec.secrets`
 * (prometheus-operator mounts each at `/etc/alertmanager/secrets/<secret>/`) and read with Alertmanager's
 * `api_url_file` and `auth_password_file` (prometheus/alertmanager `config/notifiers.go`, SlackConfig and
 * EmailConfig).
 */

/** Name of the Secret holding the receivers' credentials, in Prometheus' namespace of every cluster. */
export const alertReceiversSecretName = "alertmanager-receivers";

/** Keys of that Secret. */
export const alertReceiversSecretKeys = {
    slackWebhookUrl: "slack-webhook-url",
    smtpPassword: "smtp-password",
} as const;

/** Where Alertmanager reads a key of the receivers' Secret. */
export function alertReceiversSecretFile(key: string): string {
    return `/etc/alertmanager/secrets/${alertReceiversSecretName}/${key}`;
}

/** A team as alert routing sees it: its alerts are those of its namespaces and of its Argo CD project. */
export interface AlertTeam {
    name: string;
    namespaces: string[];
    /** The team's Slack channel; without one its alerts go to the platform's. */
    slackChannel?: string;
}

/** Who gets alerts in one environment. */
export interface AlertRoutingSettings {
    environment: string;
    /** The platform's Slack channel (without `#`): every alert no team owns. Default: no Slack. */
    slackChannel?: string;
    teams: AlertTeam[];
    /**
     * Critical alerts by e-mail, over the notifications' SMTP server; with `username`, Alertmanager logs in
     * with the password file (Alertmanager has no username file, so the login itself is configuration).
     * Default: none.
     */
    email?: { to: string[]; from: string; host: string; port: number; username?: string };
    /** How often a firing alert is sent again. Default: `4h`. */
    repeatInterval?: string;
}

/** An Alertmanager route (`route` of alertmanager.yaml). */
export interface AlertRoute {
    receiver: string;
    matchers?: string[];
    continue?: boolean;
    group_by?: string[];
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
    routes?: AlertRoute[];
}

/** Receiver names. */
export const alertReceivers = {
    /** Drops what it gets (the chart's dead man's switch, informational alerts). */
    none: "null",
    platform: "platform",
    email: "critical-email",
    team: (team: string) => `team-${team}`,
} as const;

/** An anchored alternation of exact values for a `=~` matcher (Alertmanager anchors regex matchers). */
function anyOf(values: string[]): string {
    return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
}

/**
 * The routing tree, in Alertmanager's order (first matching child wins unless it has `continue: true`):
 * 1. `Watchdog` and `InfoInhibitor` (kube-prometheus-stack's always-firing helpers) and `severity` `info` or
 *    `none` go nowhere;
 * 2. with `email`, every `critical` alert is mailed, then routing continues;
 * 3. each team with a Slack channel gets the alerts of its Argo CD project (`project`, the Argo CD alerts'
 *    label) and of its namespaces (`namespace`, the workload and certificate alerts' label);
 * 4. everything else goes to the platform's receiver (its Slack channel, or nowhere without one): a last
 *    catch-all child, since a route whose children matched (the e-mail one, with `continue`) is not itself a
 *    match (prometheus/alertmanager `dispatch/route.go`, `Route.Match`).
 * Pure.
 */
export function alertRoute(settings: AlertRoutingSettings): AlertRoute {
    const routes: AlertRoute[] = [
        { receiver: alertReceivers.none, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
        { receiver: alertReceivers.none, matchers: ['severity=~"info|none"'] },
    ];
    if (settings.email) {
        routes.push({ receiver: alertReceivers.email, matchers: ['severity="critical"'], continue: true });
    }
    for (const team of settings.teams) {
        if (!team.slackChannel) continue;
        routes.push({ receiver: alertReceivers.team(team.name), matchers: [`project="${team.name}"`] });
        if (team.namespaces.length > 0) {
            routes.push({
                receiver: alertReceivers.team(team.name),
                matchers: [`namespace=~"${anyOf(team.namespaces)}"`],
            });
        }
    }
    routes.push({ receiver: alertReceivers.platform });
    return {
        receiver: alertReceivers.platform,
        group_by: ["alertname", "cluster", "namespace"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: settings.repeatInterval ?? "4h",
        routes,
    };
}

/** A Slack message: what fired, where, and each alert's summary. Alertmanager's Go templates. */
function slackConfig(channel: string, environment: string): Record<string, unknown> {
    return {
        api_url_file: alertReceiversSecretFile(alertReceiversSecretKeys.slackWebhookUrl),
        channel: `#${channel}`,
        send_resolved: true,
        title: `[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} (${environment}{{ with .CommonLabels.cluster }}, {{ . }}{{ end }})`,
        text: "{{ range .Alerts }}*{{ .Labels.severity }}*: {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}",
    };
}

/** The receivers the route tree names. Pure. */
export function alertReceiverConfigs(settings: AlertRoutingSettings): Record<string, unknown>[] {
    const receivers: Record<string, unknown>[] = [
        { name: alertReceivers.none },
        {
            name: alertReceivers.platform,
            ...(settings.slackChannel
                ? { slack_configs: [slackConfig(settings.slackChannel, settings.environment)] }
                : {}),
        },
    ];
    if (settings.email) {
        const { email } = settings;
        receivers.push({
            name: alertReceivers.email,
            email_configs: email.to.map((to) => ({
                to,
                from: email.from,
                smarthost: `${email.host}:${email.port}`,
                ...(email.username
                    ? {
                          auth_username: email.username,
                          auth_password_file: alertReceiversSecretFile(alertReceiversSecretKeys.smtpPassword),
                      }
                    : {}),
                send_resolved: true,
            })),
        });
    }
    for (const team of settings.teams) {
        if (!team.slackChannel) continue;
        receivers.push({
            name: alertReceivers.team(team.name),
            slack_configs: [slackConfig(team.slackChannel, settings.environment)],
        });
    }
    return receivers;
}

/**
 * kube-prometheus-stack values that configure Alertmanager: `alertmanager.config` (route and receivers;
 * Helm merges it over the chart's, so its inhibit rules and templates stay) and the receivers' Secret
 * mounted through `alertmanager.alertmanagerSpec.secrets`. Pure.
 */
export function alertmanagerValues(settings: AlertRoutingSettings): Record<string, unknown> {
    return {
        alertmanager: {
            config: { route: alertRoute(settings), receivers: alertReceiverConfigs(settings) },
            alertmanagerSpec: { secrets: [alertReceiversSecretName] },
        },
    };
}
