import type { AddonContext, KubeObject } from "../types";
import { externalSecretsApiVersion } from "../../apps/objects";
import { defineAddon, extraObjectsAfterChart, prometheusOperatorGroup, replicasFor } from "./define";

/** The chart version pinned below; the ClusterSecretStore's API version follows the version installed. */
const pinnedVersion = "0.9.17";

/**
 * The platform's ClusterSecretStore, from which every app's ExternalSecret reads (`secretStore`), in the
 * API version the chart serves (`externalSecretsApiVersion`). Pure.
 */
export function platformSecretStore(
    ctx: Pick<AddonContext, "secretStore">,
    chartVersion: string = pinnedVersion,
): KubeObject[] {
    if (!ctx.secretStore) return [];
    return [
        {
            apiVersion: externalSecretsApiVersion(chartVersion),
            kind: "ClusterSecretStore",
            metadata: { name: ctx.secretStore.name },
            spec: { provider: ctx.secretStore.provider },
        },
    ];
}

/** external-secrets: syncs secrets from a secret manager into Kubernetes Secrets; owns its CRDs. */
export const externalSecrets = defineAddon({
    name: "external-secrets",
    chart: "external-secrets",
    repoURL: "https://charts.external-secrets.io",
    version: pinnedVersion,
    namespace: "external-secrets",
    syncWave: 20,
    ownsCrds: ["external-secrets.io", "generators.external-secrets.io"],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => {
        const replicas = replicasFor(ctx.highAvailability);
        const pdb = { enabled: ctx.highAvailability, minAvailable: 1 };
        const serviceMonitor = { enabled: ctx.monitoring.enabled };
        return {
            installCRDs: true,
            replicaCount: replicas,
            podDisruptionBudget: pdb,
            serviceMonitor,
            webhook: { replicaCount: replicas, podDisruptionBudget: pdb },
            certController: { replicaCount: replicas, podDisruptionBudget: pdb },
        };
    },
    extraObjects: (ctx) => platformSecretStore(ctx, ctx.version),
    // The store's kind has no schema Pulumi could check at preview, so the chart renders it in both modes.
    directObjects: "chart",
    // The chart runs extraObjects through `tpl`, so they go in as YAML strings (as cert-manager's).
    embedObjects: extraObjectsAfterChart,
});
