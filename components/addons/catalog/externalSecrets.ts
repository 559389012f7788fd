import { defineAddon, prometheusOperatorGroup, replicasFor } from "./define";

/** external-secrets: syncs secrets from a secret manager into Kubernetes Secrets; owns its CRDs. */
export const externalSecrets = defineAddon({
    name: "external-secrets",
    chart: "external-secrets",
    repoURL: "https://charts.external-secrets.io",
    version: "0.9.17",
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
});
