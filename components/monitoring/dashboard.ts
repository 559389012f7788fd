/** The label Grafana's dashboard sidecar (kube-prometheus-stack) watches for. */
export const grafanaDashboardLabel = { grafana_dashboard: "1" } as const;

interface Panel {
    title: string;
    type: "stat" | "timeseries";
    expr: string;
    unit?: string;
}

// Legends use `__auto` rather than `{{label}}`: charts pass extra manifests through Helm's `tpl`.
const panels: Panel[] = [
    { title: "Applications", type: "stat", expr: "count(argocd_app_info)" },
    {
        title: "Out of sync",
        type: "stat",
        expr: 'count(argocd_app_info{sync_status="OutOfSync"}) or vector(0)',
    },
    {
        title: "Degraded",
        type: "stat",
        expr: 'count(argocd_app_info{health_status="Degraded"}) or vector(0)',
    },
    { title: "Applications by health", type: "timeseries", expr: "sum by (health_status) (argocd_app_info)" },
    {
        title: "Syncs by phase (5m)",
        type: "timeseries",
        expr: "sum by (phase) (increase(argocd_app_sync_total[5m]))",
    },
    {
        title: "Reconciliation time p95",
        type: "timeseries",
        expr: "histogram_quantile(0.95, sum by (le) (rate(argocd_app_reconcile_bucket[5m])))",
        unit: "s",
    },
    {
        title: "Git requests",
        type: "timeseries",
        expr: "sum by (request_type) (rate(argocd_git_request_total[5m]))",
        unit: "reqps",
    },
];

/** A small Grafana dashboard for Argo CD: app counts, health, syncs, reconciliation time, Git load. Pure. */
export function argoCdDashboard(environment: string): Record<string, unknown> {
    const datasource = { type: "prometheus", uid: "${datasource}" };
    return {
        uid: `argocd-${environment}`,
        title: `Argo CD (${environment})`,
        tags: ["argocd", "gitops"],
        timezone: "browser",
        schemaVersion: 39,
        refresh: "1m",
        time: { from: "now-6h", to: "now" },
        templating: {
            list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source" }],
        },
        panels: panels.map((panel, index) => {
            const stat = panel.type === "stat";
            // Three stats across the top row, then two time series per row.
            const gridPos = stat
                ? { x: index * 8, y: 0, w: 8, h: 4 }
                : { x: ((index - 3) % 2) * 12, y: 4 + Math.floor((index - 3) / 2) * 8, w: 12, h: 8 };
            return {
                id: index + 1,
                title: panel.title,
                type: panel.type,
                datasource,
                gridPos,
                fieldConfig: { defaults: { unit: panel.unit ?? "short" }, overrides: [] },
                targets: [{ refId: "A", datasource, expr: panel.expr, legendFormat: "__auto" }],
            };
        }),
    };
}

/** The dashboard as a ConfigMap Grafana's sidecar picks up. Pure. */
export function argoCdDashboardConfigMap(args: { namespace: string; environment: string }): {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    data: Record<string, string>;
} {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
            name: "argocd-dashboard",
            namespace: args.namespace,
            labels: { ...grafanaDashboardLabel },
        },
        data: { "argocd.json": JSON.stringify(argoCdDashboard(args.environment), null, 2) },
    };
}
