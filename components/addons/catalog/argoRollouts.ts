import { defineAddon, prometheusOperatorGroup, replicasFor } from "./define";

/** Argo Rollouts: canary and blue-green rollouts with analysis; owns the Rollout and analysis CRDs. */
export const argoRollouts = defineAddon({
    name: "argo-rollouts",
    chart: "argo-rollouts",
    repoURL: "https://argoproj.github.io/argo-helm",
    version: "2.41.0",
    namespace: "argo-rollouts",
    syncWave: 20,
    // argoproj.io is shared with Argo CD, so ownership is per kind.
    ownsCrds: [
        "argoproj.io/Rollout",
        "argoproj.io/AnalysisTemplate",
        "argoproj.io/ClusterAnalysisTemplate",
        "argoproj.io/AnalysisRun",
        "argoproj.io/Experiment",
    ],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => ({
        installCRDs: true,
        keepCRDs: true,
        controller: {
            replicas: replicasFor(ctx.highAvailability),
            pdb: { enabled: ctx.highAvailability, minAvailable: 1 },
            metrics: { enabled: true, serviceMonitor: { enabled: ctx.monitoring.enabled } },
        },
        dashboard: { enabled: false },
    }),
});
