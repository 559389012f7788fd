import type { AddonContext, KubeObject } from "../types";
import { defineAddon, extraObjectsAfterChart, prometheusOperatorGroup, replicasFor } from "./define";

/** The ACME ClusterIssuer, with an HTTP-01 solver on the platform's ingress class. Pure. */
export function acmeClusterIssuer(ctx: Pick<AddonContext, "acme">): KubeObject[] {
    if (!ctx.acme) return [];
    return [
        {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: ctx.acme.issuerName },
            spec: {
                acme: {
                    email: ctx.acme.email,
                    server: ctx.acme.server,
                    privateKeySecretRef: { name: `${ctx.acme.issuerName}-account-key` },
                    solvers: [{ http01: { ingress: { ingressClassName: ctx.acme.ingressClassName } } }],
                },
            },
        },
    ];
}

/** cert-manager: certificates for ingresses (Argo CD's included); owns the cert-manager.io CRDs. */
export const certManager = defineAddon({
    name: "cert-manager",
    chart: "cert-manager",
    repoURL: "https://charts.jetstack.io",
    // cert-manager's Helm repository prefixes versions with `v`.
    version: "v1.18.1",
    namespace: "cert-manager",
    syncWave: 20,
    ownsCrds: ["cert-manager.io", "acme.cert-manager.io"],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => {
        const replicas = replicasFor(ctx.highAvailability);
        const pdb = { enabled: ctx.highAvailability };
        return {
            crds: { enabled: true, keep: true },
            // Keep the leader-election lease in cert-manager's own namespace rather than kube-system.
            global: { leaderElection: { namespace: ctx.namespace } },
            replicaCount: replicas,
            podDisruptionBudget: pdb,
            webhook: { replicaCount: replicas, podDisruptionBudget: pdb },
            cainjector: { replicaCount: replicas, podDisruptionBudget: pdb },
            prometheus: { enabled: true, servicemonitor: { enabled: ctx.monitoring.enabled } },
        };
    },
    extraObjects: acmeClusterIssuer,
    // No upstream schema checks a ClusterIssuer, so the chart renders it in both modes, never Pulumi.
    directObjects: "chart",
    // The chart's extraObjects are YAML strings (it runs them through `tpl`).
    embedObjects: extraObjectsAfterChart,
});
