import { parse } from "yaml";
import { platformChartPath } from "../../components/applications/platformChart";
import { gitHubTriggerNames } from "../../components/notifications/catalog";
import { notificationsConfigMapName } from "../../components/notifications/config";
import type { RecordedResource } from "../../test/harness/recorder";

export interface SummaryArgs {
    stack: string;
    resources: RecordedResource[];
    warnings: string[];
    written: string[];
    elapsedMs: number;
}

/** Pads cells into aligned columns. */
export function table(rows: string[][]): string {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column]))
                .join("  ")
                .trimEnd(),
        )
        .join("\n");
}

interface ChildApp {
    namespace?: string;
    additionalAnnotations?: Record<string, string>;
    source?: { chart?: string; targetRevision?: string };
    destination?: { namespace?: string };
}

/**
 * Every Helm chart the stack runs, and how: add-ons as children of the app-of-apps root (Argo CD, by sync
 * wave) and Helm releases Pulumi installs (Argo CD itself, direct add-ons). Sorted by wave, then name.
 */
export function helmChartRows(resources: RecordedResource[]): string[][] {
    const rows: {
        name: string;
        chart: string;
        version: string;
        via: string;
        namespace: string;
        order: number;
    }[] = [];
    for (const resource of resources) {
        if (resource.type === "kubernetes:helm.sh/v3:Release") {
            const inputs = resource.inputs as {
                name?: string;
                chart?: string;
                version?: string;
                namespace?: string;
            };
            rows.push({
                name: String(inputs.name ?? resource.name),
                chart: String(inputs.chart),
                version: String(inputs.version),
                via: "pulumi (helm release)",
                namespace: String(inputs.namespace ?? ""),
                order: -Infinity,
            });
        } else if (resource.inputs.kind === "Application") {
            const source = (
                resource.inputs.spec as {
                    source?: { chart?: string; path?: string; helm?: { valuesObject?: unknown } };
                }
            )?.source;
            // The app-of-apps root: the platform chart in the GitOps repository (or an argocd-apps chart).
            if (source?.path !== platformChartPath && source?.chart !== "argocd-apps") continue;
            const children = (source.helm?.valuesObject as { applications?: Record<string, ChildApp> })
                ?.applications;
            for (const [name, child] of Object.entries(children ?? {})) {
                if (!child.source?.chart) continue;
                const wave = Number(child.additionalAnnotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
                rows.push({
                    name,
                    chart: child.source.chart,
                    version: String(child.source.targetRevision),
                    via: `argocd (wave ${wave})`,
                    namespace: child.destination?.namespace ?? "",
                    order: wave,
                });
            }
        }
    }
    rows.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    return [
        ["HELM CHART", "CHART", "VERSION", "INSTALLED BY", "NAMESPACE"],
        ...rows.map((r) => [r.name, r.chart, r.version, r.via, r.namespace]),
    ];
}

/**
 * Which environments report deployments to GitHub: one line per argocd-notifications-cm (or its patch)
 * the stack declares, from its `service.github`, `context` and the `github` subscription's triggers.
 */
export function deployFeedbackLines(resources: RecordedResource[]): string[] {
    const lines: string[] = [];
    for (const resource of resources) {
        if (!/^kubernetes:core\/v1:ConfigMap(Patch)?$/.test(resource.type)) continue;
        const inputs = resource.inputs as { metadata?: { name?: string }; data?: Record<string, string> };
        if (inputs.metadata?.name !== notificationsConfigMapName || !inputs.data) continue;
        const data = inputs.data;
        const context = (parse(data.context ?? "") ?? {}) as { environment?: string };
        const env = context.environment ?? "?";
        if (!data["service.github"]) {
            lines.push(`deploy feedback: ${env} does not report to GitHub (no service.github)`);
            continue;
        }
        const service = (parse(data["service.github"]) ?? {}) as {
            appID?: number;
            enterpriseBaseURL?: string;
        };
        const subscriptions = (parse(data.subscriptions ?? "[]") ?? []) as {
            recipients?: string[];
            triggers?: string[];
        }[];
        const triggers = new Set(
            subscriptions.filter((s) => s.recipients?.includes("github")).flatMap((s) => s.triggers ?? []),
        );
        const sends = [
            ...(gitHubTriggerNames.statuses.some((t) => triggers.has(t))
                ? [`commit statuses deploy/${env}`]
                : []),
            ...(gitHubTriggerNames.deployments.some((t) => triggers.has(t))
                ? [`deployments to environment ${env}`]
                : []),
        ];
        lines.push(
            `deploy feedback: ${env} reports to GitHub as App ${service.appID} at ${service.enterpriseBaseURL ?? "https://api.github.com"}: ${sends.join(", ") || "nothing subscribed"}`,
        );
    }
    return lines;
}

/**
 * What `pulumi up` would adopt rather than create: one line per resource with the `import` option, and
 * whether destroy leaves it alone (`retainOnDelete`). `pulumi preview` shows the same as `= import`.
 */
export function adoptionLines(resources: RecordedResource[]): string[] {
    return resources
        .filter((resource) => resource.opts.importId)
        .map(
            (resource) =>
                `adopts ${resource.type.split(":").pop()} ${resource.opts.importId} (import${resource.opts.retainOnDelete ? "; destroy leaves it" : ""})`,
        );
}

/** The summary printed after a render: resources per type, deploy feedback, warnings and timing. */
export function summaryTable(args: SummaryArgs): string {
    const counts = new Map<string, number>();
    for (const resource of args.resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    const rows = [
        ["TYPE", "COUNT"],
        ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => [t, String(n)]),
    ];
    const lines = [
        `Rendered stack ${args.stack}: ${args.resources.length} resources, ${args.written.length} files in ${args.elapsedMs} ms`,
        "",
        table(rows),
        "",
        table(helmChartRows(args.resources)),
        "",
        ...deployFeedbackLines(args.resources),
        ...adoptionLines(args.resources),
        args.warnings.length === 0 ? "warnings: none" : `warnings (${args.warnings.length}):`,
        ...args.warnings.map((w) => `  - ${w}`),
    ];
    return lines.join("\n") + "\n";
}
