import { defineAddon, replicasFor } from "./define";

/** metrics-server: resource metrics for `kubectl top` and HorizontalPodAutoscalers. */
export const metricsServer = defineAddon({
    name: "metrics-server",
    chart: "metrics-server",
    repoURL: "https://kubernetes-sigs.github.io/metrics-server",
    version: "3.7.0",
    // It binds the extension-apiserver-authentication-reader Role there, so it lives there.
    namespace: "kube-system",
    syncWave: 30,
    ownsCrds: [],
    values: (ctx) => ({
        replicas: replicasFor(ctx.highAvailability),
        podDisruptionBudget: { enabled: ctx.highAvailability, minAvailable: 1 },
    }),
});
