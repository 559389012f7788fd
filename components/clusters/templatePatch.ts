/**
 * How Argo CD applies an ApplicationSet's `templatePatch` to a generated Application, reproduced for the
 * fields the platform patches, so that a patch Argo CD would refuse is refused here first.
 *
 * Argo CD renders the patch per generator element, then applies it as a *typed strategic merge patch* on
 * `Application` (argoproj/argo-cd `applicationset/utils/templatePatch.go`, `ApplyPatchTemplate`:
 * `strategicpatch.StrategicMergePatch(app, patch, v1alpha1.Application{})`). That merge
 * (k8s.io/apimachinery `pkg/util/strategicpatch/patch.go`, `mergeMap`) is not a JSON deep merge:
 * - a key only in the patch is taken whole; a `null` deletes the key;
 * - when both sides hold a scalar, or values of different types, the patch's value replaces;
 * - when both sides hold a map (or both a list) under the same key, it looks the key up in the Go struct
 *   (`LookupPatchMetadataForStruct` / `ForSlice`) before recursing; lists of the Application type carry no
 *   `patchStrategy`, so they are replaced, except `metadata.finalizers` (`patchStrategy:"merge"`), a union;
 * - `helm.valuesObject` is a `*runtime.RawExtension`, a struct with no JSON fields: any map or list present on
 *   both sides inside it fails with `unable to find api field in struct RawExtension for the json field "…"`,
 *   and the ApplicationSet generates no Application for that element.
 * So a template and its patch must never both set a RawExtension field: the patch supplies the whole
 * object, or only the template does.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Paths (dot-separated, from the Application's root) of `*runtime.RawExtension` fields. */
export const rawExtensionPaths: readonly string[] = ["spec.source.helm.valuesObject"];

/** Paths of lists with `patchStrategy:"merge"` of scalars, merged as a union. */
const mergedScalarLists: readonly string[] = ["metadata.finalizers"];

function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: Json): "map" | "list" | "scalar" {
    return Array.isArray(value) ? "list" : isObject(value) ? "map" : "scalar";
}

function mergeRawExtension(original: JsonObject, patch: JsonObject): JsonObject {
    const result: JsonObject = { ...original };
    for (const [key, value] of Object.entries(patch)) {
        if (value === null) {
            delete result[key];
        } else if (!(key in result) || kindOf(result[key]) !== kindOf(value) || kindOf(value) === "scalar") {
            result[key] = value;
        } else {
            throw new Error(`unable to find api field in struct RawExtension for the json field "${key}"`);
        }
    }
    return result;
}

function mergeTyped(original: JsonObject, patch: JsonObject, path: string): JsonObject {
    const result: JsonObject = { ...original };
    for (const [key, value] of Object.entries(patch)) {
        const at = path ? `${path}.${key}` : key;
        const current = result[key];
        if (value === null) {
            delete result[key];
        } else if (current === undefined || current === null || kindOf(current) !== kindOf(value)) {
            result[key] = value;
        } else if (isObject(current) && isObject(value)) {
            result[key] = rawExtensionPaths.includes(at)
                ? mergeRawExtension(current, value)
                : mergeTyped(current, value, at);
        } else if (Array.isArray(current) && Array.isArray(value) && mergedScalarLists.includes(at)) {
            result[key] = [...new Set([...current, ...value])];
        } else {
            result[key] = value;
        }
    }
    return result;
}

/**
 * Applies a rendered templatePatch to a rendered Application template the way Argo CD does (see the module
 * comment). Throws Argo CD's own error where Argo CD would fail to generate the Application. Pure.
 */
export function applyTemplatePatch(
    application: Record<string, unknown>,
    patch: Record<string, unknown>,
): Record<string, unknown> {
    return mergeTyped(application as JsonObject, patch as JsonObject, "");
}

/** Dot-paths of every RawExtension field set in `object`, e.g. `["spec.source.helm.valuesObject"]`. */
export function rawExtensionFieldsSet(object: Record<string, unknown>): string[] {
    return rawExtensionPaths.filter((path) => {
        let value: unknown = object;
        for (const key of path.split(".")) value = isObject(value) ? value[key] : undefined;
        return value !== undefined && value !== null;
    });
}
