import { controllerMetricsJob } from "./argocdMetrics";

/** What the Argo CD alerts watch and when they fire. */
export interface ArgoCdAlertsArgs {
    /** Namespace of the PrometheusRule. */
    namespace: string;
    /** Namespace Argo CD runs in. */
    argocdNamespace: string;
    /** Release name of Argo CD's chart (prefix of its metrics Services). */
    argocdReleaseName: string;
    environment: string;
    /** Alert when an Application stays OutOfSync longer than this. */
    outOfSyncMinutes: number;
    /** Alert when an Application stays Degraded longer than this. */
    degradedMinutes: number;
    /** Alert when an Application's failed syncs within one hour reach this. */
    syncFailuresPerHour: number;
    /** Labels on the PrometheusRule. Default: none. */
    labels?: Record<string, string>;
}

/** One alert as documented in docs/monitoring.md. */
export interface AlertSummary {
    alert: string;
    severity: "warning" | "critical";
    summary: string;
}

const appLabels = "name, namespace, project";

/** The Argo CD alerting rules, as PrometheusRule groups. Pure. */
export function argoCdAlertGroups(args: ArgoCdAlertsArgs): Record<string, unknown>[] {
    const labels = (severity: string) => ({ severity, environment: args.environment });
    const app = "{{ $labels.project }}/{{ $labels.name }}";
    return [
        {
            name: "argocd-applications",
            rules: [
                {
                    alert: "ArgoCdAppOutOfSync",
                    expr: `max by (${appLabels}) (argocd_app_info{sync_status="OutOfSync"}) == 1`,
                    for: `${args.outOfSyncMinutes}m`,
                    labels: labels("warning"),
                    annotations: {
                        summary: `Application ${app} has been OutOfSync for more than ${args.outOfSyncMinutes} minutes`,
                        description:
                            "Git and the cluster disagree and Argo CD has not reconciled them. Check the Application's sync status and last sync message.",
                    },
                },
                {
                    alert: "ArgoCdAppDegraded",
                    expr: `max by (${appLabels}) (argocd_app_info{health_status="Degraded"}) == 1`,
                    for: `${args.degradedMinutes}m`,
                    labels: labels("critical"),
                    annotations: {
                        summary: `Application ${app} has been Degraded for more than ${args.degradedMinutes} minutes`,
                        description:
                            "A resource of the Application is unhealthy (failed rollout, crash loop, …).",
                    },
                },
                {
                    alert: "ArgoCdSyncFailuresRising",
                    expr: `sum by (${appLabels}) (increase(argocd_app_sync_total{phase=~"Error|Failed"}[1h])) >= ${args.syncFailuresPerHour}`,
                    labels: labels("warning"),
                    annotations: {
                        summary: `Application ${app} failed to sync {{ $value | humanize }} times in the last hour`,
                        description: "Syncs keep failing; the retry budget may be exhausted soon.",
                    },
                },
            ],
        },
        {
            name: "argocd-components",
            rules: [
                {
                    alert: "ArgoCdControllerDown",
                    expr: `absent(up{job="${controllerMetricsJob(args.argocdReleaseName)}", namespace="${args.argocdNamespace}"} == 1)`,
                    for: "5m",
                    labels: labels("critical"),
                    annotations: {
                        summary: "The Argo CD application controller is down",
                        description:
                            "No application controller has been scraped for 5 minutes: nothing is being synced or health-checked.",
                    },
                },
            ],
        },
    ];
}

/** The PrometheusRule object with the Argo CD alerts. Pure. */
export function argoCdPrometheusRule(args: ArgoCdAlertsArgs): {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels?: Record<string, string> };
    spec: { groups: Record<string, unknown>[] };
} {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
            name: "argocd-alerts",
            namespace: args.namespace,
            ...(args.labels ? { labels: args.labels } : {}),
        },
        spec: { groups: argoCdAlertGroups(args) },
    };
}

/** The alerts, for docs/monitoring.md and the render summary. */
export function argoCdAlertSummaries(args: ArgoCdAlertsArgs): AlertSummary[] {
    return argoCdAlertGroups(args).flatMap((group) =>
        (
            group.rules as {
                alert: string;
                labels: { severity: AlertSummary["severity"] };
                annotations: { summary: string };
            }[]
        ).map((rule) => ({
            alert: rule.alert,
            severity: rule.labels.severity,
            summary: rule.annotations.summary,
        })),
    );
}
