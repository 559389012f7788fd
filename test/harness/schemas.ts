/**
 * Validates Kubernetes objects against upstream schemas: kubernetes-models for core kinds,
 * @kubernetes-models/argo-cd for Argo CD, @kubernetes-models/prometheus-operator for monitoring,
 * @kubernetes-models/external-secrets for external-secrets.
 * The model packages are ESM-only, so they are imported lazily, once per API group version.
 */

interface Model {
    validate(): void;
}
type ModelClass = new (object: Record<string, unknown>) => Model;

/** Argo Rollouts kinds share Argo CD's API group, but have their own models package. */
const rolloutKinds = new Set([
    "Rollout",
    "AnalysisTemplate",
    "ClusterAnalysisTemplate",
    "AnalysisRun",
    "Experiment",
]);

/** The module that holds the models of an apiVersion and kind, or undefined when no upstream schema exists. */
export function modelModule(apiVersion: string, kind = ""): string | undefined {
    if (apiVersion.startsWith("argoproj.io/") && rolloutKinds.has(kind)) {
        return `@kubernetes-models/argo-rollouts/${apiVersion}`;
    }
    if (apiVersion.startsWith("argoproj.io/")) return `@kubernetes-models/argo-cd/${apiVersion}`;
    if (apiVersion.startsWith("monitoring.coreos.com/"))
        return `@kubernetes-models/prometheus-operator/${apiVersion}`;
    if (apiVersion.startsWith("external-secrets.io/"))
        return `@kubernetes-models/external-secrets/${apiVersion}`;
    if (
        !apiVersion.includes("/") ||
        /^[a-z.]+\.k8s\.io\//.test(apiVersion) ||
        /^(apps|batch|policy|autoscaling)\//.test(apiVersion)
    ) {
        return `kubernetes-models/${apiVersion}`;
    }
    return undefined;
}

const modules = new Map<string, Promise<Record<string, ModelClass>>>();

function loadModule(specifier: string): Promise<Record<string, ModelClass>> {
    let loaded = modules.get(specifier);
    if (!loaded) {
        loaded = import(specifier) as Promise<Record<string, ModelClass>>;
        modules.set(specifier, loaded);
    }
    return loaded;
}

/** One schema problem: which object, and what is wrong where. */
export interface SchemaError {
    object: string;
    message: string;
}

/**
 * Validates one object. Returns its problems (none when valid). An apiVersion or kind with no upstream
 * model is itself a problem: every object the platform sends must be checkable.
 */
export async function validateObject(object: Record<string, unknown>): Promise<SchemaError[]> {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const id = `${apiVersion}/${kind} ${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name ?? "?"}`;
    const specifier = modelModule(apiVersion, kind);
    if (!specifier) return [{ object: id, message: `no upstream schema for ${apiVersion}` }];
    const Model = (await loadModule(specifier))[kind];
    if (!Model) return [{ object: id, message: `no upstream schema for kind ${kind} in ${apiVersion}` }];
    try {
        new Model(object).validate();
        return [];
    } catch (err) {
        return [{ object: id, message: (err as Error).message }];
    }
}
