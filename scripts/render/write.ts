import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RecordedResource } from "../../test/harness/recorder";

/** A resource as written to resources.json. */
export interface RenderedResource {
    type: string;
    name: string;
    parent: string | null;
    inputs: Record<string, unknown>;
    secretInputs: string[];
    opts: {
        protect: boolean;
        retainOnDelete: boolean;
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        dependsOn: string[];
        /** Present when the resource is adopted: the ID `pulumi up` imports. */
        import?: string;
        /** Present when a property change replaces the resource. */
        replaceOnChanges?: string[];
    };
}

/** Sorts object keys recursively, so output never depends on insertion order. */
export function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
}

/** The resources.json entries: sorted by type then name, with deterministic key order. */
export function renderedResources(resources: RecordedResource[]): RenderedResource[] {
    return [...resources]
        .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
        .map((r) => ({
            type: r.type,
            name: r.name,
            parent: r.parent,
            inputs: sortKeys(r.inputs) as Record<string, unknown>,
            secretInputs: r.secretInputs,
            opts: {
                protect: r.opts.protect,
                retainOnDelete: r.opts.retainOnDelete,
                ignoreChanges: r.opts.ignoreChanges,
                deleteBeforeReplace: r.opts.deleteBeforeReplace,
                dependsOn: r.opts.dependsOn,
                ...(r.opts.importId ? { import: r.opts.importId } : {}),
                ...(r.opts.replaceOnChanges.length > 0 ? { replaceOnChanges: r.opts.replaceOnChanges } : {}),
            },
        }));
}

/** A Kubernetes object a resource declares, or undefined for anything else. */
export function kubernetesObject(resource: RecordedResource): Record<string, unknown> | undefined {
    const { inputs } = resource;
    if (!resource.type.startsWith("kubernetes:") || typeof inputs.kind !== "string") return undefined;
    return inputs;
}

/** File name of a Kubernetes object's manifest: `<kind>-<namespace>-<name>.yaml`. */
export function manifestFileName(object: Record<string, unknown>): string {
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const parts = [String(object.kind), metadata.namespace, metadata.name].filter(Boolean);
    return `${parts.join("-").toLowerCase()}.yaml`;
}

/** Writes resources.json and manifests/ afresh into `dir`; returns the files written, relative to it. */
export function writeRender(dir: string, resources: RecordedResource[]): string[] {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "manifests"), { recursive: true });
    const written = ["resources.json"];
    fs.writeFileSync(
        path.join(dir, "resources.json"),
        JSON.stringify(renderedResources(resources), null, 2) + "\n",
    );
    for (const resource of resources) {
        const object = kubernetesObject(resource);
        if (!object) continue;
        const file = path.join("manifests", manifestFileName(object));
        fs.writeFileSync(path.join(dir, file), stringify(sortKeys(object), { lineWidth: 0 }));
        written.push(file);
    }
    return written.sort();
}
