import { defineAddon, prometheusOperatorGroup } from "./define";

/**
 * Argo CD Image Updater: bumps image tags of Applications that opt in with annotations. It talks to the
 * Kubernetes API rather than Argo CD's, which needs no API token but must run in Argo CD's namespace.
 */
export const argocdImageUpdater = defineAddon({
    name: "argocd-image-updater",
    chart: "argocd-image-updater",
    repoURL: "https://argoproj.github.io/argo-helm",
    version: "0.7.0",
    namespace: (ctx) => ctx.argocdNamespace,
    syncWave: 30,
    ownsCrds: [],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => ({
        config: { applicationsAPIKind: "kubernetes", logLevel: "info" },
        metrics: { enabled: ctx.monitoring.enabled, serviceMonitor: { enabled: ctx.monitoring.enabled } },
    }),
});
