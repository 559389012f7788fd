import { argoTypes } from "./types";
import { at, isObj, list, obj, str, type Obj } from "./values";

/**
 * Every Application a resource declares, in one shape: an Application CR itself, the template of an
 * ApplicationSet, and the child Applications (and ApplicationSets) an app-of-apps root renders from its
 * chart's values (the platform chart in the GitOps repository, or the argocd-apps chart: both take the
 * same `applications` map). The Application policies check all of them.
 */
export interface ApplicationView {
    /** Where it was found, for messages: `Application platform-root`, `ApplicationSet payments-prod template`. */
    where: string;
    metadata: Obj;
    spec: Obj;
    /** An ApplicationSet template: values may be `{{ }}` placeholders, filled in per generated Application. */
    template: boolean;
}

/** An ApplicationSet, wherever declared: as a CR, or rendered by an app-of-apps root. */
export interface ApplicationSetView {
    where: string;
    spec: Obj;
}

/** Charts whose values declare child Applications (`applications`) and ApplicationSets (`applicationsets`). */
export const defaultAppOfAppsCharts = ["argocd-apps"];

/**
 * Paths, in a Git repository, of charts whose values declare child Applications: the platform chart the
 * root renders its children with (gitops-platform `components/applications/platformChart.ts`).
 */
export const defaultAppOfAppsPaths = ["platform/chart"];

/** Whether a source renders app-of-apps children: a chart by name, or a chart at a known Git path. */
function rendersChildren(source: Obj, charts: readonly string[]): boolean {
    const chart = str(source.chart);
    if (chart !== undefined) return charts.includes(chart);
    const path = str(source.path)?.replace(/^\.?\/+|\/+$/g, "");
    return path !== undefined && defaultAppOfAppsPaths.includes(path);
}

function nameOf(metadata: Obj, fallback: string): string {
    return str(metadata.name) ?? fallback;
}

/** The sources of an Application spec: `source`, and each of `sources`. */
export function sourcesOf(spec: Obj): Obj[] {
    const sources: Obj[] = [];
    if (isObj(spec.source)) sources.push(spec.source);
    for (const source of list(spec.sources)) if (isObj(source)) sources.push(source);
    return sources;
}

/** Entries of an argocd-apps values map (2.x: keyed by name) or list (1.x: each with a `name`). */
function namedEntries(value: unknown): [string, Obj][] {
    if (Array.isArray(value)) {
        return value.filter(isObj).map((entry, index) => [str(entry.name) ?? `#${index}`, entry]);
    }
    return Object.entries(obj(value)).filter((entry): entry is [string, Obj] => isObj(entry[1]));
}

/** The chart values of sources that render app-of-apps children. */
function appOfAppsValues(spec: Obj, charts: readonly string[]): Obj[] {
    return sourcesOf(spec)
        .filter((source) => rendersChildren(source, charts))
        .map((source) => obj(at(source, "helm", "valuesObject")));
}

/**
 * Keys of a child's values that go to its Application's spec, in both charts. A copy of gitops-platform's
 * `platformChartSpecKeys`, not an import: the pack loads on its own (test/policy/platformChartViews.test.ts
 * keeps the two equal).
 */
const childSpecKeys = [
    "project",
    "source",
    "sources",
    "destination",
    "syncPolicy",
    "ignoreDifferences",
    "info",
    "revisionHistoryLimit",
];

function childViews(parent: string, spec: Obj, charts: readonly string[]): ApplicationView[] {
    const views: ApplicationView[] = [];
    for (const values of appOfAppsValues(spec, charts)) {
        for (const [name, child] of namedEntries(values.applications)) {
            const childSpec: Obj = {};
            for (const key of childSpecKeys) if (key in child) childSpec[key] = child[key];
            views.push({
                where: `child Application ${name} of ${parent}`,
                metadata: { name, finalizers: child.finalizers, labels: child.additionalLabels },
                spec: childSpec,
                template: false,
            });
        }
        for (const [name, set] of namedEntries(values.applicationsets)) {
            views.push({
                where: `template of child ApplicationSet ${name} of ${parent}`,
                metadata: obj(at(set, "template", "metadata")),
                spec: obj(at(set, "template", "spec")),
                template: true,
            });
        }
    }
    return views;
}

/** The Applications a resource declares (none for other types). */
export function applicationViews(
    type: string,
    props: Obj,
    charts: readonly string[] = defaultAppOfAppsCharts,
): ApplicationView[] {
    const metadata = obj(props.metadata);
    const spec = obj(props.spec);
    if (type === argoTypes.application) {
        const where = `Application ${nameOf(metadata, "?")}`;
        return [{ where, metadata, spec, template: false }, ...childViews(where, spec, charts)];
    }
    if (type === argoTypes.applicationSet) {
        const template = obj(spec.template);
        return [
            {
                where: `ApplicationSet ${nameOf(metadata, "?")} template`,
                metadata: obj(template.metadata),
                spec: obj(template.spec),
                template: true,
            },
        ];
    }
    return [];
}

/** The ApplicationSets a resource declares: the CR itself, or children of an app-of-apps root. */
export function applicationSetViews(
    type: string,
    props: Obj,
    charts: readonly string[] = defaultAppOfAppsCharts,
): ApplicationSetView[] {
    const metadata = obj(props.metadata);
    const spec = obj(props.spec);
    if (type === argoTypes.applicationSet)
        return [{ where: `ApplicationSet ${nameOf(metadata, "?")}`, spec }];
    if (type !== argoTypes.application) return [];
    const parent = `Application ${nameOf(metadata, "?")}`;
    return appOfAppsValues(spec, charts).flatMap((values) =>
        namedEntries(values.applicationsets).map(([name, set]) => ({
            where: `child ApplicationSet ${name} of ${parent}`,
            spec: set,
        })),
    );
}

/** Git generators of an ApplicationSet, including those nested in matrix and merge generators. */
export function gitGenerators(spec: Obj): Obj[] {
    const found: Obj[] = [];
    const visit = (generators: unknown): void => {
        for (const generator of list(generators)) {
            if (!isObj(generator)) continue;
            if (isObj(generator.git)) found.push(generator.git);
            for (const nested of ["matrix", "merge"]) visit(at(generator, nested, "generators"));
        }
    };
    visit(spec.generators);
    return found;
}

/** The resources finalizer: deleting the Application then deletes everything it deployed. */
export function isCascadeFinalizer(finalizer: unknown): boolean {
    return typeof finalizer === "string" && finalizer.startsWith("resources-finalizer.argocd.argoproj.io");
}

/** The Argo CD chart, by name, in a Helm repository (`argo-cd`) or OCI registry (`oci://…/argo-cd`). */
export function isChart(chart: unknown, names: readonly string[]): boolean {
    if (typeof chart !== "string") return false;
    return names.some((name) => chart === name || chart.endsWith(`/${name}`));
}

/** The knob of policies about the Argo CD install: which chart names install Argo CD. */
export const argoCdChartNamesSchema = {
    type: "array",
    items: { type: "string" },
    default: ["argo-cd"],
    description: "Chart names that install Argo CD.",
} as const;
