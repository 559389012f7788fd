/**
 * The platform's alerts for every cluster it runs add-ons on, the hub and each workload (spoke) cluster:
 * nodes, workloads and certificates. Argo CD's own alerts (rules.ts) go only where Argo CD runs. They read
 * kube-state-metrics and node-exporter (both come with kube-prometheus-stack), cert-manager's and Argo
 * Rollouts' controller metrics (their ServiceMonitors, when those add-ons are enabled).
 */

import type { AlertSummary } from "./rules";

export interface ClusterAlertsArgs {
    /** Namespace of the PrometheusRule. */
    namespace: string;
    environment: string;
    /** Cluster name, as the `cluster` label of every alert (so a message says where). */
    cluster: string;
    /** cert-manager runs here: certificate alerts. */
    certManager: boolean;
    /** Argo Rollouts runs here: aborted-canary alerts. */
    rollouts: boolean;
}

interface Rule {
    alert: string;
    expr: string;
    for?: string;
    labels: Record<string, string>;
    annotations: { summary: string; description: string };
}

/**
 * cert-manager's metrics carry the Certificate's namespace as `namespace`, which Prometheus renames to
 * `exported_namespace` when it adds the scrape target's own (honorLabels: false, the chart's default); the
 * rules put it back, so team routing by namespace works.
 */
function certificateNamespace(expr: string): string {
    return `label_replace(${expr}, "namespace", "$1", "exported_namespace", "(.+)")`;
}

/** The cluster alert rules, as PrometheusRule groups. Pure. */
export function clusterAlertGroups(args: ClusterAlertsArgs): { name: string; rules: Rule[] }[] {
    const labels = (severity: "warning" | "critical") => ({
        severity,
        environment: args.environment,
        cluster: args.cluster,
    });
    const pod = "{{ $labels.namespace }}/{{ $labels.pod }}";
    const groups: { name: string; rules: Rule[] }[] = [
        {
            name: "platform-nodes",
            rules: [
                {
                    alert: "NodeNotReady",
                    expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
                    for: "5m",
                    labels: labels("critical"),
                    annotations: {
                        summary: "Node {{ $labels.node }} has not been Ready for 5 minutes",
                        description:
                            "Its pods are being evicted or are unreachable; check the node's conditions and kubelet.",
                    },
                },
                {
                    alert: "NodeUnderPressure",
                    expr: 'kube_node_status_condition{condition=~"DiskPressure|MemoryPressure|PIDPressure",status="true"} == 1',
                    for: "5m",
                    labels: labels("warning"),
                    annotations: {
                        summary: "Node {{ $labels.node }} reports {{ $labels.condition }}",
                        description: "The kubelet evicts pods while the pressure lasts.",
                    },
                },
                {
                    alert: "NodeFilesystemAlmostFull",
                    expr: '(node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}) < 0.10',
                    for: "15m",
                    labels: labels("warning"),
                    annotations: {
                        summary:
                            "{{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% space left",
                        description: "Free space or grow the volume before the kubelet starts evicting pods.",
                    },
                },
            ],
        },
        {
            name: "platform-workloads",
            rules: [
                {
                    alert: "PodCrashLooping",
                    expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
                    for: "10m",
                    labels: labels("warning"),
                    annotations: {
                        summary: `Container {{ $labels.container }} of ${pod} is crash-looping`,
                        description: "It keeps exiting; see its logs (kubectl logs --previous).",
                    },
                },
                {
                    alert: "DeploymentReplicasUnavailable",
                    expr: "kube_deployment_status_replicas_unavailable > 0",
                    for: "15m",
                    labels: labels("warning"),
                    annotations: {
                        summary:
                            "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }} unavailable replicas for 15 minutes",
                        description:
                            "Pods do not become ready: failing probes, image pulls or no room to schedule.",
                    },
                },
                {
                    alert: "AutoscalerAtMaximum",
                    expr: "kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas",
                    for: "15m",
                    labels: labels("warning"),
                    annotations: {
                        summary:
                            "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum for 15 minutes",
                        description:
                            "Load exceeds what the app may scale to; raise hpa.maxReplicas or find the cause.",
                    },
                },
                {
                    alert: "DisruptionBudgetBlocksEvictions",
                    expr: "kube_poddisruptionbudget_status_pod_disruptions_allowed == 0 and kube_poddisruptionbudget_status_expected_pods > 0",
                    for: "1h",
                    labels: labels("warning"),
                    annotations: {
                        summary:
                            "PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has allowed no eviction for an hour",
                        description:
                            "Node drains and upgrades wait on it; some of the app's pods are not ready.",
                    },
                },
                ...(args.rollouts
                    ? [
                          {
                              alert: "RolloutAborted",
                              expr: 'max by (namespace, name) (rollout_info{phase="Degraded"}) == 1',
                              for: "1m",
                              labels: labels("critical"),
                              annotations: {
                                  summary: "Rollout {{ $labels.namespace }}/{{ $labels.name }} was aborted",
                                  description:
                                      "Its canary failed analysis or stalled and was scaled away; the stable version serves. Fix and deploy again.",
                              },
                          },
                      ]
                    : []),
            ],
        },
    ];
    if (args.certManager) {
        groups.push({
            name: "platform-certificates",
            rules: [
                {
                    alert: "CertificateExpiresSoon",
                    expr: certificateNamespace(
                        "(certmanager_certificate_expiration_timestamp_seconds - time()) < 14 * 24 * 3600",
                    ),
                    for: "1h",
                    labels: labels("warning"),
                    annotations: {
                        summary:
                            "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 14 days",
                        description:
                            "cert-manager renews 30 days ahead by default, so renewal is failing; see the Certificate's events.",
                    },
                },
                {
                    alert: "CertificateNotReady",
                    expr: certificateNamespace(
                        'certmanager_certificate_ready_status{condition="False"} == 1',
                    ),
                    for: "15m",
                    labels: labels("critical"),
                    annotations: {
                        summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready",
                        description:
                            "cert-manager cannot issue it (ACME challenge, DNS, issuer); TLS breaks when the current one expires.",
                    },
                },
            ],
        });
    }
    return groups;
}

/** The PrometheusRule `platform-cluster-alerts`. Pure. */
export function clusterPrometheusRule(args: ClusterAlertsArgs): {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: { groups: ReturnType<typeof clusterAlertGroups> };
} {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "platform-cluster-alerts", namespace: args.namespace },
        spec: { groups: clusterAlertGroups(args) },
    };
}

/** The cluster alerts, for docs and the render summary. */
export function clusterAlertSummaries(args: ClusterAlertsArgs): AlertSummary[] {
    return clusterAlertGroups(args).flatMap((group) =>
        group.rules.map((rule) => ({
            alert: rule.alert,
            severity: rule.labels.severity as AlertSummary["severity"],
            summary: rule.annotations.summary,
        })),
    );
}
