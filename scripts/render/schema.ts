import type { RecordedResource } from "../../test/harness/recorder";
import { validateObject, type SchemaError } from "../../test/harness/schemas";
import { kubernetesObject } from "./write";

/** Result of checking every object of a render against upstream schemas. */
export interface SchemaReport {
    /** Objects checked, by `apiVersion/kind`. */
    checked: Record<string, number>;
    errors: (SchemaError & { resource: string })[];
}

/** Validates every Kubernetes object the program registers against the upstream schemas. */
export async function validateRender(resources: RecordedResource[]): Promise<SchemaReport> {
    const report: SchemaReport = { checked: {}, errors: [] };
    for (const resource of resources) {
        const object = kubernetesObject(resource);
        if (!object) continue;
        const key = `${String(object.apiVersion)}/${String(object.kind)}`;
        report.checked[key] = (report.checked[key] ?? 0) + 1;
        for (const error of await validateObject(object)) {
            report.errors.push({ ...error, resource: `${resource.type}::${resource.name}` });
        }
    }
    return report;
}

/** The summary's schema line, then one line per error with its resource and path. */
export function schemaLines(report: SchemaReport): string[] {
    const total = Object.values(report.checked).reduce((a, b) => a + b, 0);
    const kinds = Object.keys(report.checked).length;
    return [
        `schema: ${total} objects of ${kinds} kinds checked, ${report.errors.length} errors`,
        ...report.errors.map((e) => `  - ${e.resource} (${e.object}): ${e.message}`),
    ];
}
