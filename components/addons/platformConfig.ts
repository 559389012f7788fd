import type { SyncSettings } from "../applications/syncPolicy";
import type { AddonName } from "./catalog";
import type { ClusterAddonsArgs } from "./clusterAddons";
import type { AddonMode, AddonSettings, MonitoringSettings, SecretStoreSettings } from "./types";
import type { AlertRoutingSettings } from "../monitoring/alertmanager";

/** Let's Encrypt's production ACME directory. */
export const letsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory";

/** The `addons` section of the stack config: a default mode, shared settings, and one entry per add-on. */
export type PlatformAddonsConfig = {
    /** Default: `gitops`. */
    mode?: AddonMode;
    /** cert-manager's ACME ClusterIssuer; none when unset. */
    acme?: { email: string; server?: string; issuerName?: string };
    /** external-dns settings. */
    dns?: {
        provider?: string;
        domainFilters?: string[];
        policy?: "sync" | "upsert-only";
        txtOwnerId?: string;
    };
} & { [Name in AddonName]?: AddonSettings };

/** What the add-ons take from the rest of the platform. */
export interface PlatformContext {
    environment: string;
    clusterName: string;
    argocdNamespace: string;
    ingressClassName: string;
    /** Argo CD's ingress certificate issuer; the ACME ClusterIssuer takes its name by default. */
    clusterIssuer?: string;
    highAvailability: boolean;
    project: string;
    sync: SyncSettings;
    labels?: Record<string, string>;
    monitoring?: Omit<MonitoringSettings, "enabled">;
    /** external-secrets' ClusterSecretStore. Default: none. */
    secretStore?: SecretStoreSettings;
    /** Alertmanager's receivers and routes. Default: none. */
    alerts?: AlertRoutingSettings;
}

/** Turns the stack's `addons` section into `ClusterAddons` args. Pure. */
export function clusterAddonsArgs(
    config: PlatformAddonsConfig | undefined,
    platform: PlatformContext,
): ClusterAddonsArgs {
    const { mode = "gitops", acme, dns, ...addons } = config ?? {};
    return {
        environment: platform.environment,
        clusterName: platform.clusterName,
        addons,
        mode,
        argocdNamespace: platform.argocdNamespace,
        project: platform.project,
        sync: platform.sync,
        ingressClassName: platform.ingressClassName,
        highAvailability: platform.highAvailability,
        ...(acme
            ? {
                  acme: {
                      email: acme.email,
                      server: acme.server ?? letsEncryptProduction,
                      issuerName: acme.issuerName ?? platform.clusterIssuer ?? "letsencrypt",
                      ingressClassName: platform.ingressClassName,
                  },
              }
            : {}),
        ...(dns?.provider
            ? {
                  dns: {
                      provider: dns.provider,
                      domainFilters: dns.domainFilters ?? [],
                      policy: dns.policy ?? "upsert-only",
                      txtOwnerId: dns.txtOwnerId ?? platform.clusterName,
                  },
              }
            : {}),
        ...(platform.monitoring ? { monitoring: platform.monitoring } : {}),
        ...(platform.secretStore ? { secretStore: platform.secretStore } : {}),
        ...(platform.alerts ? { alerts: platform.alerts } : {}),
        ...(platform.labels ? { labels: platform.labels } : {}),
    };
}
