import type { ChildApplication } from "../applications/appOfApps";
import { applicationSpec } from "../applications/application";
import type { ArgoObject } from "../applications/customResource";
import { mergeLayers } from "../common/merge";
import { applicationFinalizers, defaultSyncOptions } from "../applications/syncPolicy";
import { rawExtensionFieldsSet } from "./templatePatch";

/** Label that opts a registered cluster into an add-on, e.g. `enable_cert-manager: "true"`. */
export function addonClusterLabel(addon: string): string {
    return `enable_${addon}`;
}

/** Annotation on a cluster Secret holding an add-on's whole Helm values for that cluster, as JSON. */
export function addonValuesAnnotation(addon: string): string {
    return `gitops-platform/values.${addon}`;
}

/**
 * The Helm values of an add-on on one cluster: the hub's values with the cluster's overrides merged over them
 * (maps key by key; lists and scalars replaced, as Helm merges values files). Pulumi merges, not Argo CD: the
 * whole object goes into the cluster Secret's annotation, and the templatePatch supplies it whole. Pure.
 */
export function addonClusterValues(
    addon: Pick<ChildApplication, "source">,
    overrides?: Record<string, unknown>,
): Record<string, unknown> {
    return mergeLayers(addon.source.helmValues ?? {}, overrides ?? {}) as Record<string, unknown>;
}

/**
 * The per-cluster part of a fanned-out add-on: a templatePatch (a Go template Argo CD renders per cluster)
 * that sets the Application's *whole* `helm.valuesObject` from the cluster Secret's annotation. The template
 * carries no `valuesObject`: Argo CD applies the patch as a typed strategic merge, and `valuesObject` is a
 * RawExtension that it cannot merge (see `applyTemplatePatch`). Every cluster that enables the add-on gets
 * the annotation (`spokeMetadata`).
 */
export function perClusterValuesPatch(addon: string): string {
    return [
        `{{- with index .metadata.annotations "${addonValuesAnnotation(addon)}" }}`,
        "spec:",
        "  source:",
        "    helm:",
        "      valuesObject: {{ . }}",
        "{{- end }}",
    ].join("\n");
}

/**
 * What `perClusterValuesPatch` renders to for a cluster with these annotations (the annotation is JSON, which
 * YAML reads as is), or `{}` without it. Pure.
 */
export function renderedValuesPatch(
    addon: string,
    annotations: Record<string, string> | undefined,
): Record<string, unknown> {
    const values = annotations?.[addonValuesAnnotation(addon)];
    if (values === undefined || values === "") return {};
    return { spec: { source: { helm: { valuesObject: JSON.parse(values) as unknown } } } };
}

/**
 * An add-on, fanned out: an ApplicationSet whose cluster generator selects every registered cluster labelled
 * `enable_<addon>: "true"`, with one Application per cluster built from the same spec as the hub's, minus the
 * values, which each cluster's annotation supplies whole. The Helm release keeps the add-on's name
 * (`helm.releaseName`), so every name its chart derives is the hub's. Pure.
 */
export function addonFanOutObject(addon: ChildApplication): ArgoObject {
    // Add-ons on a spoke are separate Applications, so no sync wave orders them: an object whose CRD another
    // add-on brings skips the dry run and is retried with backoff until that CRD exists.
    const spec = applicationSpec(
        {
            ...addon,
            source: { ...addon.source, helmValues: undefined },
            syncOptions: [...(addon.syncOptions ?? defaultSyncOptions), "SkipDryRunOnMissingResource=true"],
        },
        `add-on ${addon.name}`,
    ) as { destination: Record<string, unknown> };
    const finalizers = applicationFinalizers(addon.sync);
    const template = {
        metadata: {
            name: `${addon.name}-{{ .name }}`,
            ...(addon.labels ? { labels: addon.labels } : {}),
            ...(finalizers.length > 0 ? { finalizers } : {}),
        },
        spec: { ...spec, destination: { ...spec.destination, server: "{{ .server }}" } },
    };
    // The patch sets valuesObject, so the template must not: a typed strategic merge cannot merge inside it.
    const patched = rawExtensionFieldsSet(
        renderedValuesPatch(addon.name, { [addonValuesAnnotation(addon.name)]: "{}" }),
    );
    const shared = rawExtensionFieldsSet(template).filter((path) => patched.includes(path));
    if (shared.length > 0) {
        throw new Error(
            `add-on ${addon.name}: the template and its templatePatch both set ${shared.join(", ")}`,
        );
    }
    return {
        kind: "ApplicationSet",
        metadata: { name: `addon-${addon.name}`, labels: addon.labels },
        spec: {
            goTemplate: true,
            goTemplateOptions: ["missingkey=error"],
            generators: [
                { clusters: { selector: { matchLabels: { [addonClusterLabel(addon.name)]: "true" } } } },
            ],
            template,
            templatePatch: perClusterValuesPatch(addon.name),
            syncPolicy: { preserveResourcesOnDeletion: !addon.sync.cascadeDelete },
        },
    };
}
