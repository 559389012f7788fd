import type { ChildApplication } from "../applications/appOfApps";
import { applicationSpec } from "../applications/application";
import type { ArgoObject } from "../applications/customResource";
import { applicationFinalizers, defaultSyncOptions } from "../applications/syncPolicy";

/** Label that opts a registered cluster into an add-on, e.g. `enable_cert-manager: "true"`. */
export function addonClusterLabel(addon: string): string {
    return `enable_${addon}`;
}

/** Annotation on a cluster Secret holding that cluster's Helm value overrides for an add-on, as JSON. */
export function addonValuesAnnotation(addon: string): string {
    return `gitops-platform/values.${addon}`;
}

/**
 * The per-cluster part of a fanned-out add-on: a templatePatch that merges the cluster's value overrides
 * (from its annotation) over the add-on's values. Clusters without the annotation get the values as they are.
 */
export function perClusterValuesPatch(addon: string): string {
    // A Go template, not YAML: Argo CD renders it per cluster, then merges the result over the template.
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
 * An add-on, fanned out: an ApplicationSet whose cluster generator selects every registered cluster labelled
 * `enable_<addon>: "true"`, with one Application per cluster built from the same spec as the hub's. Pure.
 */
export function addonFanOutObject(addon: ChildApplication): ArgoObject {
    // Add-ons on a spoke are separate Applications, so no sync wave orders them: an object whose CRD another
    // add-on brings skips the dry run and is retried with backoff until that CRD exists.
    const spec = applicationSpec(
        {
            ...addon,
            syncOptions: [...(addon.syncOptions ?? defaultSyncOptions), "SkipDryRunOnMissingResource=true"],
        },
        `add-on ${addon.name}`,
    ) as { destination: Record<string, unknown> };
    const finalizers = applicationFinalizers(addon.sync);
    return {
        kind: "ApplicationSet",
        metadata: { name: `addon-${addon.name}`, labels: addon.labels },
        spec: {
            goTemplate: true,
            goTemplateOptions: ["missingkey=error"],
            generators: [
                { clusters: { selector: { matchLabels: { [addonClusterLabel(addon.name)]: "true" } } } },
            ],
            template: {
                metadata: {
                    name: `${addon.name}-{{ .name }}`,
                    ...(addon.labels ? { labels: addon.labels } : {}),
                    ...(finalizers.length > 0 ? { finalizers } : {}),
                },
                spec: { ...spec, destination: { ...spec.destination, server: "{{ .server }}" } },
            },
            templatePatch: perClusterValuesPatch(addon.name),
            syncPolicy: { preserveResourcesOnDeletion: !addon.sync.cascadeDelete },
        },
    };
}
