/**
 * Argo CD's own metrics, scraped through ServiceMonitors that the argo-cd chart renders. The chart only
 * renders them when the cluster serves `monitoring.coreos.com/v1`, so they appear once kube-prometheus-stack's
 * CRDs exist (see docs/monitoring.md).
 */

import { argoCdFullname } from "../argocd/values";
import { componentName } from "../common/helmNames";

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

/**
 * Name of the application controller's metrics Service, which is also its Prometheus `job` label:
 * `<argo-cd.controller.fullname>-metrics`, where the controller's fullname is `<argo-cd.fullname>-application-controller`
 * cut at 52 characters (argoproj/argo-helm `charts/argo-cd/templates/_helpers.tpl` and
 * `argocd-application-controller/metrics.yaml`). E.g. `argocd-application-controller-metrics`.
 */
export function controllerMetricsJob(argocdReleaseName: string): string {
    return `${componentName(argoCdFullname(argocdReleaseName), "application-controller", 52)}-metrics`;
}
