import { stringify } from "yaml";
import type { AddonContext, AddonDefinition } from "../types";

/** Declares an add-on, keeping its name as a literal type so the catalog knows every add-on name. */
export function defineAddon<const Name extends string>(
    addon: AddonDefinition & { readonly name: Name },
): AddonDefinition & { readonly name: Name } {
    return addon;
}

/** The API group of the Prometheus Operator's CRDs (ServiceMonitor, PrometheusRule, …). */
export const prometheusOperatorGroup = "monitoring.coreos.com";

/** One replica, or two with a disruption budget in highly available environments. */
export function replicasFor(highAvailability: boolean, ha = 2): number {
    return highAvailability ? ha : 1;
}

/**
 * Annotations that apply an add-on's own objects (a ClusterIssuer, a ClusterSecretStore) only once the
 * chart's webhook serves: Argo CD applies them in a later in-app sync wave, after the chart's resources are
 * healthy (skipping the dry run while their CRD is new); Helm (direct mode) runs them as post-install hooks,
 * after waiting for the release to be ready.
 */
export const afterChartAnnotations: Record<AddonContext["mode"], Record<string, string>> = {
    gitops: {
        "argocd.argoproj.io/sync-wave": "1",
        "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true",
    },
    direct: {
        "helm.sh/hook": "post-install,post-upgrade",
        "helm.sh/hook-delete-policy": "before-hook-creation",
    },
};

/**
 * `embedObjects` for charts whose `extraObjects` are YAML strings they run through `tpl` (cert-manager,
 * external-secrets): each object serialised with `afterChartAnnotations` for the mode added.
 */
export const extraObjectsAfterChart: NonNullable<AddonDefinition["embedObjects"]> = (objects, ctx) => ({
    extraObjects: objects.map((object) =>
        stringify({
            ...object,
            metadata: {
                ...object.metadata,
                annotations: { ...object.metadata.annotations, ...afterChartAnnotations[ctx.mode] },
            },
        }),
    ),
});
