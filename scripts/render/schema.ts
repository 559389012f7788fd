import { parseAllDocuments } from "yaml";
import type { RecordedResource } from "../../test/harness/recorder";
import { actionlint } from "../../test/harness/actionlint";
import { validateObject, type SchemaError } from "../../test/harness/schemas";
import { kubernetesObject } from "./write";

/** Result of checking every object of a render against upstream schemas. */
export interface SchemaReport {
    /** Objects checked, by `apiVersion/kind`. */
    checked: Record<string, number>;
    /** Workflow files linted with actionlint. */
    workflows: number;
    errors: (SchemaError & { resource: string })[];
}

/**
 * Manifests the program writes into Git (an app's seeded `apps/<app>/base/*.yaml` and its platform Component
 * `apps/<app>/platform/<env>/*.yaml`, kustomizations aside), as objects.
 */
export function seededObjects(resource: RecordedResource): Record<string, unknown>[] {
    const file = String(resource.inputs.file ?? "");
    if (
        !resource.type.startsWith("github:index/repositoryFile:") ||
        !/^apps\/[^/]+\/(?:base|platform\/[^/]+)\/(?!kustomization)[^/]+\.ya?ml$/.test(file)
    ) {
        return [];
    }
    return parseAllDocuments(String(resource.inputs.content)).map(
        (doc) => doc.toJS() as Record<string, unknown>,
    );
}

/** A GitHub Actions workflow the program commits, or undefined for anything else. */
export function committedWorkflow(resource: RecordedResource): { file: string; content: string } | undefined {
    const file = String(resource.inputs.file ?? "");
    if (
        !resource.type.startsWith("github:index/repositoryFile:") ||
        !/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file)
    ) {
        return undefined;
    }
    return { file, content: String(resource.inputs.content) };
}

/**
 * Validates every Kubernetes object against the upstream schemas (those the program registers, and those
 * it seeds into the GitOps repository), and lints every workflow file it commits with actionlint.
 */
export async function validateRender(
    resources: RecordedResource[],
    onResource?: (done: number, total: number) => void,
): Promise<SchemaReport> {
    const report: SchemaReport = { checked: {}, workflows: 0, errors: [] };
    for (const [index, resource] of resources.entries()) {
        onResource?.(index, resources.length);
        for (const object of [kubernetesObject(resource), ...seededObjects(resource)]) {
            if (object) await check(report, resource, object);
        }
        const workflow = committedWorkflow(resource);
        if (workflow) {
            report.workflows++;
            for (const finding of await actionlint(workflow.content, workflow.file)) {
                report.errors.push({
                    resource: `${resource.type}::${resource.name}`,
                    object: `${workflow.file}:${finding.line}:${finding.column}`,
                    message: `actionlint ${finding.kind}: ${finding.message}`,
                });
            }
        }
    }
    return report;
}

async function check(
    report: SchemaReport,
    resource: RecordedResource,
    object: Record<string, unknown>,
): Promise<void> {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    report.checked[key] = (report.checked[key] ?? 0) + 1;
    for (const error of await validateObject(object)) {
        report.errors.push({ ...error, resource: `${resource.type}::${resource.name}` });
    }
}

/** The summary's schema line, then one line per error with its resource and path. */
export function schemaLines(report: SchemaReport): string[] {
    const total = Object.values(report.checked).reduce((a, b) => a + b, 0);
    const kinds = Object.keys(report.checked).length;
    return [
        `schema: ${total} objects of ${kinds} kinds checked, ${report.workflows} workflows linted, ${report.errors.length} errors`,
        ...report.errors.map((e) => `  - ${e.resource} (${e.object}): ${e.message}`),
    ];
}
