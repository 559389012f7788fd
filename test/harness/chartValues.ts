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
