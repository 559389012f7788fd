import { defineAddon, prometheusOperatorGroup, replicasFor } from "./define";

/** ingress-nginx: the platform's ingress controller and default IngressClass. */
export const ingressNginx = defineAddon({
    name: "ingress-nginx",
    chart: "ingress-nginx",
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    version: "4.12.2",
    namespace: "ingress-nginx",
    syncWave: 30,
    ownsCrds: [],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => ({
        controller: {
            replicaCount: replicasFor(ctx.highAvailability, 3),
            ingressClassResource: { name: ctx.ingressClassName, enabled: true, default: true },
            // Canary analysis reads per-Service request rates from these metrics.
            metrics: { enabled: true, serviceMonitor: { enabled: ctx.monitoring.enabled } },
        },
    }),
});
