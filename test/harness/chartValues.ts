import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { projectRoot } from "./stackConfig";

/** The default values.yaml of a chart, as vendored from the pinned chart version under test/fixtures/charts. */
export function chartDefaults(chart: string): { version: string; values: Record<string, unknown> } {
    const dir = path.join(projectRoot, "test", "fixtures", "charts", chart);
    const meta = parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as { version: string };
    const values = parse(fs.readFileSync(path.join(dir, "values.yaml"), "utf8")) as Record<string, unknown>;
    return { version: String(meta.version), values };
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Paths in `values` that the chart's values.yaml does not declare. Below a `freeForm` path (e.g.
 * `configs.cm`, where Argo CD reads any key) or an empty map in the defaults, any key is accepted.
 */
export function undeclaredKeys(
    values: Record<string, unknown>,
    defaults: Record<string, unknown>,
    freeForm: string[] = [],
    prefix = "",
): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        const keyPath = prefix ? `${prefix}.${key}` : key;
        if (!(key in defaults)) {
            problems.push(keyPath);
            continue;
        }
        const declared = defaults[key];
        const open = freeForm.includes(keyPath) || (isMap(declared) && Object.keys(declared).length === 0);
        if (isMap(value) && isMap(declared) && !open) {
            problems.push(...undeclaredKeys(value, declared, freeForm, keyPath));
        }
    }
    return problems;
}

/** Helm's values coalescing: maps merge key by key, `null` deletes a default, anything else replaces. */
export function coalesceValues(defaults: unknown, values: unknown): unknown {
    if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
    const result: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(values)) {
        if (value === null) delete result[key];
        else result[key] = coalesceValues(defaults[key], value);
    }
    return result;
}

/** Sprig's (mergo's) notion of an empty value, which `mergeOverwrite` never writes over a set one. */
function isEmptyValue(value: unknown): boolean {
    return (
        value === undefined ||
        value === null ||
        value === "" ||
        value === false ||
        value === 0 ||
        (Array.isArray(value) && value.length === 0) ||
        (isMap(value) && Object.keys(value).length === 0)
    );
}

/** Go's `toString` of a scalar as Helm prints it. */
function goString(value: unknown): string {
    return value === null || value === undefined
        ? ""
        : typeof value === "string"
          ? value
          : JSON.stringify(value);
}

/**
 * The `data` of the argocd-cm the pinned argo-cd chart renders for these values, by the chart's own rule
 * (argoproj/argo-helm `charts/argo-cd/templates/_helpers.tpl`, `argo-cd.config.cm.presets` and
 * `argo-cd.config.cm`, used by `templates/argocd-configs/argocd-cm.yaml`):
 * - values are coalesced over the chart's values.yaml (so `global.domain` defaults to `argocd.example.com`);
 * - presets: `url: https://<global.domain>` always, `statusbadge.url` when the badge is on;
 * - `mergeOverwrite $preset $config` (config without `create`, `annotations`): a config value overwrites a
 *   preset unless it is empty (`""`, `false`, `0`, `null`), so an empty `url` leaves the preset in place;
 * - keys whose value prints as `""` are left out.
 */
export function argoCdConfigMapData(values: Record<string, unknown>): Record<string, string> {
    const merged = coalesceValues(chartDefaults("argo-cd").values, values) as {
        global: { domain: string };
        configs: { cm: Record<string, unknown> };
        [key: string]: unknown;
    };
    const config = Object.fromEntries(
        Object.entries(merged.configs.cm).filter(([key]) => key !== "create" && key !== "annotations"),
    );
    const presets: Record<string, unknown> = { url: `https://${merged.global.domain}` };
    if (config["statusbadge.enabled"] === true)
        presets["statusbadge.url"] = `https://${merged.global.domain}/`;
    const result: Record<string, unknown> = { ...presets };
    for (const [key, value] of Object.entries(config)) {
        if (!(key in result) || !isEmptyValue(value)) result[key] = value;
    }
    return Object.fromEntries(
        Object.entries(result)
            .map(([key, value]) => [key, goString(value)] as const)
            .filter(([, value]) => value !== ""),
    );
}
