import { defineAddon, prometheusOperatorGroup } from "./define";

/** external-dns: DNS records for Services and Ingresses, in the configured zones only. */
export const externalDns = defineAddon({
    name: "external-dns",
    chart: "external-dns",
    repoURL: "https://kubernetes-sigs.github.io/external-dns",
    version: "1.12.2",
    namespace: "external-dns",
    syncWave: 30,
    ownsCrds: [],
    usesCrds: [prometheusOperatorGroup],
    values: (ctx) => {
        if (!ctx.dns) {
            throw new Error("external-dns needs DNS settings (addons.dns: provider and domainFilters)");
        }
        return {
            provider: ctx.dns.provider,
            domainFilters: [...ctx.dns.domainFilters],
            policy: ctx.dns.policy,
            txtOwnerId: ctx.dns.txtOwnerId,
            sources: ["service", "ingress"],
            serviceMonitor: { enabled: ctx.monitoring.enabled },
        };
    },
});
