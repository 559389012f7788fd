/**
 * Argo CD's own metrics, scraped through ServiceMonitors that the argo-cd chart renders. The chart only
 * renders them when the cluster serves `monitoring.coreos.com/v1`, so they appear once kube-prometheus-stack's
 * CRDs exist (see README, "Monitoring and alerts").
 */

/** Argo CD components whose metrics Services and ServiceMonitors the chart can render. */
export const argoCdMetricsComponents = [
    "controller",
    "server",
    "repoServer",
    "applicationSet",
    "notifications",
] as const;

export interface ArgoCdMetricsArgs {
    /** Whether a Prometheus Operator (kube-prometheus-stack) is there to read ServiceMonitors. */
    enabled: boolean;
}

/** argo-cd chart values that turn on metrics Services and ServiceMonitors. Pure; `{}` when disabled. */
export function argoCdMetricsValues(args: ArgoCdMetricsArgs): Record<string, unknown> {
    if (!args.enabled) return {};
    return Object.fromEntries(
        argoCdMetricsComponents.map((component) => [
            component,
            { metrics: { enabled: true, serviceMonitor: { enabled: true } } },
        ]),
    );
}

/** Name of the application controller's metrics Service, which is also its Prometheus `job` label. */
export function controllerMetricsJob(argocdReleaseName: string): string {
    return `${argocdReleaseName}-application-controller-metrics`;
}
