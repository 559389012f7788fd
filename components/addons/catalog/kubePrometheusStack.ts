import {
    alertmanagerValues,
    argoCdDashboardConfigMap,
    argoCdPrometheusRule,
    clusterPrometheusRule,
    grafanaDashboardLabel,
} from "../../monitoring";
import { mergeLayers } from "../../common/merge";
import { chartFullname } from "../../common/helmNames";
import type { AddonContext, KubeObject } from "../types";
import { defineAddon, prometheusOperatorGroup, replicasFor } from "./define";

/**
 * The Argo CD PrometheusRule and Grafana dashboard that come with Prometheus, on the cluster Argo CD runs in
 * only: on a spoke `ArgoCdControllerDown` (an `absent()` of the controller's metrics job) would fire forever.
 * Pure.
 */
export function argoCdMonitoringObjects(ctx: AddonContext): KubeObject[] {
    if (ctx.argocdOnCluster === false) return [];
    return [
        argoCdPrometheusRule({
            namespace: ctx.namespace,
            argocdNamespace: ctx.argocdNamespace,
            argocdReleaseName: ctx.argocdReleaseName,
            environment: ctx.environment,
            outOfSyncMinutes: ctx.monitoring.outOfSyncMinutes,
            degradedMinutes: ctx.monitoring.degradedMinutes,
            syncFailuresPerHour: ctx.monitoring.syncFailuresPerHour,
        }),
        argoCdDashboardConfigMap({ namespace: ctx.namespace, environment: ctx.environment }),
    ];
}

/**
 * What every cluster with Prometheus alerts on, Argo CD's alerts and dashboard where Argo CD runs: the
 * platform's node, workload and certificate rules (`clusterPrometheusRule`), then `argoCdMonitoringObjects`.
 * Pure.
 */
export function platformMonitoringObjects(ctx: AddonContext): KubeObject[] {
    return [
        clusterPrometheusRule({
            namespace: ctx.namespace,
            environment: ctx.environment,
            cluster: ctx.clusterName,
            certManager: ctx.enabledAddons.includes("cert-manager"),
            rollouts: ctx.enabledAddons.includes("argo-rollouts"),
        }),
        ...argoCdMonitoringObjects(ctx),
    ];
}

/**
 * kube-prometheus-stack's in-cluster Prometheus URL for a release, e.g.
 * `http://kube-prometheus-stack-prometheus.monitoring.svc:9090`. The Service is
 * `<kube-prometheus-stack.fullname>-prometheus` on port 9090, and this chart cuts its fullname at 26 characters,
 * not 63 (prometheus-community/helm-charts `charts/kube-prometheus-stack/templates/_helpers.tpl`,
 * `templates/prometheus/service.yaml`): a release named `kube-prometheus-stack-prod-eu` serves
 * `kube-prometheus-stack-prod-prometheus`. Pure.
 */
export function kubePrometheusStackPrometheusUrl(
    releaseName = "kube-prometheus-stack",
    namespace = "monitoring",
): string {
    const fullname = chartFullname({ release: releaseName, chart: "kube-prometheus-stack", truncate: 26 });
    return `http://${fullname}-prometheus.${namespace}.svc:9090`;
}

/**
 * kube-prometheus-stack: Prometheus Operator, Prometheus, Alertmanager and Grafana. Owns the
 * monitoring.coreos.com CRDs, so it syncs first; every other add-on's ServiceMonitor needs them.
 */
export const kubePrometheusStack = defineAddon({
    name: "kube-prometheus-stack",
    chart: "kube-prometheus-stack",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    version: "87.11.0",
    namespace: "monitoring",
    // Services for scraping CoreDNS, kube-proxy, the scheduler and controller manager live in kube-system.
    extraNamespaces: ["kube-system"],
    syncWave: 10,
    ownsCrds: [prometheusOperatorGroup],
    values: (ctx) => {
        const retention = {
            retention: ctx.monitoring.prometheusRetention,
            ...(ctx.monitoring.prometheusRetentionSize
                ? { retentionSize: ctx.monitoring.prometheusRetentionSize }
                : {}),
        };
        return mergeLayers(ctx.alerts ? alertmanagerValues(ctx.alerts) : {}, {
            crds: { enabled: true },
            prometheus: {
                prometheusSpec: {
                    ...retention,
                    replicas: replicasFor(ctx.highAvailability),
                    // Select every ServiceMonitor, PodMonitor and rule, not only those labelled with this release:
                    // Argo CD's and the other add-ons' come from other charts.
                    serviceMonitorSelectorNilUsesHelmValues: false,
                    podMonitorSelectorNilUsesHelmValues: false,
                    ruleSelectorNilUsesHelmValues: false,
                },
            },
            alertmanager: { alertmanagerSpec: { replicas: replicasFor(ctx.highAvailability) } },
            grafana: {
                sidecar: {
                    dashboards: {
                        enabled: true,
                        label: Object.keys(grafanaDashboardLabel)[0],
                        labelValue: Object.values(grafanaDashboardLabel)[0],
                    },
                },
            },
        }) as Record<string, unknown>;
    },
    extraObjects: platformMonitoringObjects,
    // Rules go through additionalPrometheusRulesMap (rendered with toYaml, so `{{ $labels }}` survives);
    // anything else through extraManifests.
    embedObjects: (objects) => {
        const rules = objects.filter((object) => object.kind === "PrometheusRule");
        const others = objects.filter((object) => object.kind !== "PrometheusRule");
        return {
            ...(rules.length > 0
                ? {
                      additionalPrometheusRulesMap: Object.fromEntries(
                          rules.map((rule) => [
                              rule.metadata.name,
                              { groups: (rule.spec as { groups: unknown[] }).groups },
                          ]),
                      ),
                  }
                : {}),
            ...(others.length > 0 ? { extraManifests: others } : {}),
        };
    },
});
