import type { AlertRoutingSettings } from "../monitoring/alertmanager";

/**
 * The add-on catalog's one interface. An add-on is data plus a pure `values(ctx)`: adding one means adding
 * one file under `catalog/` and one line in `catalog/index.ts`.
 */

/** How an add-on is installed: as an Argo CD Application (default), or by Pulumi as a Helm release. */
export type AddonMode = "gitops" | "direct";

/** A Kubernetes object an add-on brings along, e.g. a ClusterIssuer or a PrometheusRule. */
export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
    };
    [field: string]: unknown;
}

/** cert-manager's ACME ClusterIssuer, created when an ACME email is configured. */
export interface AcmeSettings {
    /** Registration email; certificate expiry warnings go here. */
    email: string;
    /** ACME directory URL. */
    server: string;
    /** Name of the ClusterIssuer (what ingresses reference in `cert-manager.io/cluster-issuer`). */
    issuerName: string;
    /** Ingress class that serves HTTP-01 challenges. */
    ingressClassName: string;
}

/** external-dns: which DNS provider and zones it manages. */
export interface DnsSettings {
    /** external-dns provider, e.g. `aws`, `google`, `azure`, `cloudflare`. */
    provider: string;
    /** Only these domains are managed. */
    domainFilters: string[];
    /** `sync` also deletes records; `upsert-only` never does. */
    policy: "sync" | "upsert-only";
    /** Owner id written to TXT records, so clusters sharing a zone never fight. */
    txtOwnerId: string;
}

/** Prometheus retention and Argo CD alert thresholds. */
export interface MonitoringSettings {
    /** Whether kube-prometheus-stack is enabled, so ServiceMonitors and rules have somewhere to go. */
    enabled: boolean;
    /** Prometheus `retention`, e.g. `7d`. */
    prometheusRetention: string;
    /** Prometheus `retentionSize`, e.g. `20GB`. Default: none (time-based only). */
    prometheusRetentionSize?: string;
    /** Alert when an Application stays OutOfSync longer than this. */
    outOfSyncMinutes: number;
    /** Alert when an Application stays Degraded longer than this. */
    degradedMinutes: number;
    /** Alert when an Application's failed syncs within one hour reach this. */
    syncFailuresPerHour: number;
}

/** The platform's ClusterSecretStore: external-secrets' source of every app's secrets. */
export interface SecretStoreSettings {
    /** Name apps' ExternalSecrets reference. */
    name: string;
    /** The store's `spec.provider`: one external-secrets provider and its settings, e.g. `{ aws: {…} }`. */
    provider: Record<string, unknown>;
}

/** What an add-on's values may depend on. Plain data, so `values(ctx)` stays pure and testable. */
export interface AddonContext {
    environment: string;
    clusterName: string;
    /** How this add-on is installed. */
    mode: AddonMode;
    /** The add-on's chart version (the setting's, or the catalog's pin). Default: the catalog's pin. */
    version?: string;
    /** The add-on's effective sync wave (GitOps mode). */
    syncWave: number;
    /** Namespace the add-on runs in. */
    namespace: string;
    /** Namespace Argo CD runs in. */
    argocdNamespace: string;
    /** Release name of Argo CD's Helm chart (prefix of its Services). */
    argocdReleaseName: string;
    /**
     * Whether Argo CD runs on this cluster: `false` on a spoke, where nothing may refer to Argo CD's Services
     * (e.g. alerts on its controller's metrics job). Default: `true`.
     */
    argocdOnCluster?: boolean;
    /** Ingress class the platform's ingress controller serves. */
    ingressClassName: string;
    /** Several replicas and disruption budgets (prod-like environments). */
    highAvailability: boolean;
    /** Names of every enabled add-on. */
    enabledAddons: readonly string[];
    monitoring: MonitoringSettings;
    /** Set when cert-manager should create an ACME ClusterIssuer. */
    acme?: AcmeSettings;
    /** Required when external-dns is enabled. */
    dns?: DnsSettings;
    /** external-secrets creates this ClusterSecretStore when set. */
    secretStore?: SecretStoreSettings;
    /** kube-prometheus-stack's Alertmanager routes alerts to these receivers when set. */
    alerts?: AlertRoutingSettings;
}

/** One add-on: a pinned Helm chart, where and when it is installed, and its values. */
export interface AddonDefinition {
    /** Add-on name; also its Argo CD Application and Helm release name. */
    readonly name: string;
    readonly chart: string;
    /** Helm repository URL; the platform AppProject allows it as a source. */
    readonly repoURL: string;
    /** Exact pinned chart version (the one the tests vendor values.yaml from). */
    readonly version: string;
    /** Namespace the add-on runs in; a function when it depends on the platform (e.g. Argo CD's). */
    readonly namespace: string | ((ctx: Pick<AddonContext, "argocdNamespace">) => string);
    /** Further namespaces the chart writes to (e.g. `kube-system`). Default: none. */
    readonly extraNamespaces?: readonly string[];
    /** Argo CD sync wave in the app-of-apps root: CRD owners first. */
    readonly syncWave: number;
    /** CRDs the chart installs, as API groups (`cert-manager.io`) or group/Kind (`argoproj.io/Rollout`). */
    readonly ownsCrds: readonly string[];
    /** CRDs of other add-ons the chart may create objects of, e.g. `monitoring.coreos.com`. Default: none. */
    readonly usesCrds?: readonly string[];
    /** Helm values. Pure. */
    values(ctx: AddonContext): Record<string, unknown>;
    /**
     * Objects that come with the add-on and may need its CRDs and running controllers (a ClusterIssuer, a
     * PrometheusRule). Whoever owns the add-on owns them: in GitOps mode the chart renders them (see
     * `embedObjects`), so Argo CD applies them with the chart; in direct mode they are Pulumi resources
     * that depend on the Helm release. Pure. Default: none.
     */
    extraObjects?(ctx: AddonContext): KubeObject[];
    /** Values that make the chart render `objects`. Required with `extraObjects`. Pure. */
    embedObjects?(objects: KubeObject[], ctx: AddonContext): Record<string, unknown>;
    /**
     * Who applies `extraObjects` in direct mode: Pulumi resources after the release (`pulumi`), or the
     * chart itself as Helm post-install hooks (`chart`), e.g. for kinds no upstream schema can check.
     * Default: `pulumi`.
     */
    readonly directObjects?: "pulumi" | "chart";
}

/** Per-environment settings of one add-on, from the stack config. */
export interface AddonSettings {
    /** Default: `false`. */
    enabled?: boolean;
    /** Exact chart version. Default: the catalog's pin. */
    version?: string;
    /** Helm repository of the chart, e.g. a mirror. Default: the catalog's `repoURL`. */
    repoURL?: string;
    /** Sync wave. Default: the catalog's. */
    syncWave?: number;
    /** Default: the add-ons' `mode`. */
    mode?: AddonMode;
    /** Helm values merged over the built ones. Default: none. */
    values?: Record<string, unknown>;
}

/** Resolves an add-on's namespace. */
export function addonNamespace(addon: AddonDefinition, argocdNamespace: string): string {
    return typeof addon.namespace === "function" ? addon.namespace({ argocdNamespace }) : addon.namespace;
}
