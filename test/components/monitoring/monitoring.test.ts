import { strict as assert } from "node:assert";
import {
    argoCdAlertSummaries,
    argoCdDashboard,
    argoCdDashboardConfigMap,
    argoCdMetricsComponents,
    argoCdMetricsValues,
    argoCdPrometheusRule,
    type ArgoCdAlertsArgs,
} from "../../../components/monitoring";
import { chartDefaults, undeclaredKeys, validateObject } from "../../harness";

const alertArgs: ArgoCdAlertsArgs = {
    namespace: "monitoring",
    argocdNamespace: "argocd",
    argocdReleaseName: "argocd",
    environment: "prod",
    outOfSyncMinutes: 10,
    degradedMinutes: 5,
    syncFailuresPerHour: 2,
};

type Rule = { alert: string; expr: string; for?: string; labels: Record<string, string> };

function rules(): Rule[] {
    return argoCdPrometheusRule(alertArgs).spec.groups.flatMap((g) => (g as { rules: Rule[] }).rules);
}

describe("Argo CD metrics values", () => {
    it("turn on metrics and a ServiceMonitor for every Argo CD component, with keys the argo-cd chart declares", () => {
        const values = argoCdMetricsValues({ enabled: true }) as Record<string, { metrics: unknown }>;
        assert.deepEqual(Object.keys(values), [...argoCdMetricsComponents]);
        for (const component of argoCdMetricsComponents) {
            assert.deepEqual(values[component].metrics, { enabled: true, serviceMonitor: { enabled: true } });
        }
        assert.deepEqual(undeclaredKeys(values, chartDefaults("argo-cd").values), []);
    });

    it("are empty without Prometheus", () => {
        assert.deepEqual(argoCdMetricsValues({ enabled: false }), {});
    });
});

describe("Argo CD PrometheusRule", () => {
    it("validates against @kubernetes-models/prometheus-operator", async () => {
        assert.deepEqual(await validateObject(argoCdPrometheusRule(alertArgs)), []);
    });

    it("alerts on out-of-sync and degraded apps after the configured minutes, rising sync failures, and a down controller", () => {
        const byName = new Map(rules().map((rule) => [rule.alert, rule]));
        assert.deepEqual(
            [...byName.keys()],
            ["ArgoCdAppOutOfSync", "ArgoCdAppDegraded", "ArgoCdSyncFailuresRising", "ArgoCdControllerDown"],
        );
        assert.equal(byName.get("ArgoCdAppOutOfSync")!.for, "10m");
        assert.match(byName.get("ArgoCdAppOutOfSync")!.expr, /argocd_app_info\{sync_status="OutOfSync"\}/);
        assert.equal(byName.get("ArgoCdAppDegraded")!.for, "5m");
        assert.match(byName.get("ArgoCdAppDegraded")!.expr, /health_status="Degraded"/);
        assert.match(
            byName.get("ArgoCdSyncFailuresRising")!.expr,
            /increase\(argocd_app_sync_total\{phase=~"Error\|Failed"\}\[1h\]\)\) >= 2$/,
        );
        assert.match(
            byName.get("ArgoCdControllerDown")!.expr,
            /^absent\(up\{job="argocd-application-controller-metrics", namespace="argocd"\} == 1\)$/,
        );
        for (const rule of rules()) {
            assert.ok(["warning", "critical"].includes(rule.labels.severity));
            assert.equal(rule.labels.environment, "prod");
        }
    });

    it("summarises the alerts for docs/monitoring.md", () => {
        assert.deepEqual(
            argoCdAlertSummaries(alertArgs).map((a) => `${a.alert}:${a.severity}`),
            [
                "ArgoCdAppOutOfSync:warning",
                "ArgoCdAppDegraded:critical",
                "ArgoCdSyncFailuresRising:warning",
                "ArgoCdControllerDown:critical",
            ],
        );
    });
});

describe("Argo CD Grafana dashboard", () => {
    it("is a ConfigMap with the sidecar label that validates, holding real dashboard JSON", async () => {
        const cm = argoCdDashboardConfigMap({ namespace: "monitoring", environment: "dev" });
        assert.deepEqual(await validateObject(cm), []);
        assert.deepEqual(cm.metadata.labels, { grafana_dashboard: "1" });
        const dashboard = JSON.parse(cm.data["argocd.json"]) as {
            uid: string;
            panels: { targets: { expr: string }[] }[];
        };
        assert.equal(dashboard.uid, "argocd-dev");
        assert.ok(dashboard.panels.length >= 5);
        for (const panel of dashboard.panels) assert.match(panel.targets[0].expr, /argocd_/);
    });

    it("has no Go template braces (charts pass extra manifests through tpl)", () => {
        assert.doesNotMatch(JSON.stringify(argoCdDashboard("dev")), /\{\{/);
    });

    it("lays panels out without overlap", () => {
        const boxes = (
            argoCdDashboard("dev").panels as { gridPos: { x: number; y: number; w: number; h: number } }[]
        ).map((p) => p.gridPos);
        for (const [i, a] of boxes.entries()) {
            for (const b of boxes.slice(i + 1)) {
                const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
                assert.ok(!overlap, JSON.stringify([a, b]));
            }
        }
    });
});
