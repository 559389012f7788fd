import type { ChildApplication } from "../applications/appOfApps";
import type { SyncSettings } from "../applications/syncPolicy";
import { requireHelmReleaseName } from "../common/helmNames";
import { mergeLayers } from "../common/merge";
import { addonCatalog } from "./catalog";
import {
    addonNamespace,
    type AcmeSettings,
    type AddonContext,
    type AddonDefinition,
    type AddonMode,
    type AddonSettings,
    type DnsSettings,
    type KubeObject,
    type MonitoringSettings,
    type SecretStoreSettings,
} from "./types";
import type { AlertRoutingSettings } from "../monitoring/alertmanager";

/** Label that marks an add-on's Application with the add-on's name. */
export const addonLabelKey = "gitops-platform/addon";

/** Prometheus retention and alert thresholds used when none are given. */
export const defaultMonitoring: Omit<MonitoringSettings, "enabled"> = {
    prometheusRetention: "7d",
    outOfSyncMinutes: 15,
    degradedMinutes: 5,
    syncFailuresPerHour: 3,
};

/** Everything the add-on plan depends on, as plain data. */
export interface AddonPlanArgs {
    environment: string;
    clusterName: string;
    /** Per-add-on settings by name; add-ons without settings, or not enabled, are left out. */
    addons: Partial<Record<string, AddonSettings>>;
    /** Default install mode. */
    mode: AddonMode;
    argocdNamespace: string;
    argocdReleaseName: string;
    /** Whether Argo CD runs on the cluster planned for. Default: `true`. */
    argocdOnCluster?: boolean;
    ingressClassName: string;
    highAvailability: boolean;
    /** cert-manager creates an ACME ClusterIssuer when set. */
    acme?: AcmeSettings;
    /** Required when external-dns is enabled. */
    dns?: DnsSettings;
    /** external-secrets creates this ClusterSecretStore. Default: none. */
    secretStore?: SecretStoreSettings;
    /** Alertmanager's receivers and routes. Default: none (alerts stop at Alertmanager). */
    alerts?: AlertRoutingSettings;
    /** Retention and alert thresholds; whether monitoring is on follows kube-prometheus-stack. */
    monitoring?: Omit<MonitoringSettings, "enabled">;
}

/** One enabled add-on, resolved for an environment: what gets installed, where, when and how. */
export interface PlannedAddon {
    definition: AddonDefinition;
    name: string;
    version: string;
    /** Helm repository the chart comes from: the setting's mirror, or the catalog's. */
    repoURL: string;
    syncWave: number;
    mode: AddonMode;
    namespace: string;
    /** The add-on's namespace plus any other namespace its chart writes to. */
    destinationNamespaces: string[];
    /** Final Helm values (built, plus objects the chart renders, plus config overrides). */
    values: Record<string, unknown>;
    /** Objects Pulumi must create after the release (direct mode; otherwise the chart renders them). */
    pulumiObjects: KubeObject[];
    /** The objects that come with the add-on, whoever applies them. */
    extraObjects: KubeObject[];
}

/** A problem with add-on settings, anchored at the setting to fix. */
export interface AddonProblem {
    addon: string;
    field: "name" | "version" | "syncWave" | "mode" | "enabled";
    message: string;
}

/** Thrown when add-on settings cannot work; lists every problem with its `addons.<name>.<field>` path. */
export class AddonConfigError extends Error {
    constructor(public readonly problems: AddonProblem[]) {
        super(
            `Invalid add-on settings:\n` +
                problems.map((p) => `  - addons.${p.addon}.${p.field}: ${p.message}`).join("\n"),
        );
        this.name = "AddonConfigError";
    }
}

/** Whether a CRD reference (`group` or `group/Kind`) is covered by what an add-on owns. */
export function ownsCrd(owned: readonly string[], used: string): boolean {
    return owned.some(
        (entry) => entry === used || used.startsWith(`${entry}/`) || entry.startsWith(`${used}/`),
    );
}

interface Resolved {
    definition: AddonDefinition;
    mode: AddonMode;
    syncWave: number;
}

/**
 * Problems with the enabled add-ons' settings: unknown names, versions whose `v` prefix does not match the
 * chart repository's, and ordering. An add-on that creates objects of another add-on's CRDs (e.g. a
 * ServiceMonitor) must come after it: in a later sync wave when both are GitOps, and never directly
 * installed while the CRD owner is left to Argo CD (which installs after Pulumi). Pure.
 */
export function addonProblems(
    addons: Partial<Record<string, AddonSettings>>,
    defaultMode: AddonMode,
    catalog: readonly AddonDefinition[] = addonCatalog,
): AddonProblem[] {
    const problems: AddonProblem[] = [];
    const known = new Set(catalog.map((addon) => addon.name));
    for (const name of Object.keys(addons)) {
        if (!known.has(name)) {
            problems.push({
                addon: name,
                field: "name",
                message: `expected an add-on of the catalog (${[...known].join(", ")}), got an unknown add-on`,
            });
        }
    }
    const enabled: Resolved[] = [];
    for (const definition of catalog) {
        const settings = addons[definition.name];
        if (!settings?.enabled) continue;
        if (
            settings.version !== undefined &&
            settings.version.startsWith("v") !== definition.version.startsWith("v")
        ) {
            problems.push({
                addon: definition.name,
                field: "version",
                message: `expected a version written like the chart repository's (${definition.version}), got "${settings.version}"`,
            });
        }
        enabled.push({
            definition,
            mode: settings.mode ?? defaultMode,
            syncWave: settings.syncWave ?? definition.syncWave,
        });
    }
    for (const user of enabled) {
        for (const used of user.definition.usesCrds ?? []) {
            for (const owner of enabled) {
                if (owner === user || !ownsCrd(owner.definition.ownsCrds, used)) continue;
                const who = `${user.definition.name} creates ${used} objects, whose CRDs ${owner.definition.name} installs`;
                if (user.mode === "direct" && owner.mode === "gitops") {
                    problems.push({
                        addon: user.definition.name,
                        field: "mode",
                        message: `${who}; Argo CD installs ${owner.definition.name} only after Pulumi installed ${user.definition.name}, so make ${owner.definition.name} direct too, or this one gitops`,
                    });
                } else if (
                    user.mode === "gitops" &&
                    owner.mode === "gitops" &&
                    user.syncWave <= owner.syncWave
                ) {
                    problems.push({
                        addon: user.definition.name,
                        field: "syncWave",
                        message: `${who}; expected a sync wave greater than ${owner.definition.name}'s (${owner.syncWave}), got ${user.syncWave}`,
                    });
                }
            }
        }
    }
    return problems;
}

/**
 * The plan args of a workload (spoke) cluster, from the hub's: the same add-ons and settings, for a cluster
 * that runs no Argo CD, and external-dns with the cluster's own TXT owner id (clusters sharing a zone must
 * never share one, or each deletes the other's records). A cluster's own `values` still override. Pure.
 */
export function spokePlanArgs(hub: AddonPlanArgs, clusterName: string): AddonPlanArgs {
    return {
        ...hub,
        clusterName,
        argocdOnCluster: false,
        ...(hub.dns ? { dns: { ...hub.dns, txtOwnerId: clusterName } } : {}),
    };
}

/** Resolves every enabled add-on for an environment. Pure; throws `AddonConfigError` on bad settings. */
export function planAddons(
    args: AddonPlanArgs,
    catalog: readonly AddonDefinition[] = addonCatalog,
): PlannedAddon[] {
    const problems = addonProblems(args.addons, args.mode, catalog);
    if (problems.length > 0) throw new AddonConfigError(problems);

    const enabledAddons = catalog.filter((addon) => args.addons[addon.name]?.enabled).map((a) => a.name);
    const monitoring: MonitoringSettings = {
        ...defaultMonitoring,
        ...args.monitoring,
        enabled: enabledAddons.includes("kube-prometheus-stack"),
    };
    return catalog
        .filter((definition) => enabledAddons.includes(definition.name))
        .map((definition) => {
            const settings = args.addons[definition.name] ?? {};
            const mode = settings.mode ?? args.mode;
            const syncWave = settings.syncWave ?? definition.syncWave;
            const namespace = addonNamespace(definition, args.argocdNamespace);
            const ctx: AddonContext = {
                environment: args.environment,
                clusterName: args.clusterName,
                mode,
                version: settings.version ?? definition.version,
                syncWave,
                namespace,
                argocdNamespace: args.argocdNamespace,
                argocdReleaseName: args.argocdReleaseName,
                argocdOnCluster: args.argocdOnCluster ?? true,
                ingressClassName: args.ingressClassName,
                highAvailability: args.highAvailability,
                enabledAddons,
                monitoring,
                ...(args.acme ? { acme: args.acme } : {}),
                ...(args.dns ? { dns: args.dns } : {}),
                ...(args.secretStore ? { secretStore: args.secretStore } : {}),
                ...(args.alerts ? { alerts: args.alerts } : {}),
            };
            const extraObjects = definition.extraObjects?.(ctx) ?? [];
            if (extraObjects.length > 0 && !definition.embedObjects) {
                throw new Error(`add-on ${definition.name} has extraObjects but no embedObjects`);
            }
            const viaChart = mode === "gitops" || definition.directObjects === "chart";
            const embedded =
                viaChart && extraObjects.length > 0 ? definition.embedObjects?.(extraObjects, ctx) : {};
            return {
                definition,
                name: definition.name,
                version: settings.version ?? definition.version,
                repoURL: settings.repoURL ?? definition.repoURL,
                syncWave,
                mode,
                namespace,
                destinationNamespaces: [namespace, ...(definition.extraNamespaces ?? [])],
                values: mergeLayers(definition.values(ctx), embedded, settings.values ?? {}) as Record<
                    string,
                    unknown
                >,
                pulumiObjects: viaChart ? [] : extraObjects,
                extraObjects,
            };
        });
}

/**
 * Helm release name of an add-on, on every cluster and in both modes: the add-on's name. Argo CD would
 * otherwise use the Application's name, which differs per cluster. Throws on a name Helm refuses.
 */
export function addonReleaseName(addon: string): string {
    return requireHelmReleaseName(addon, `add-on ${addon}`);
}

/** The app-of-apps children for the GitOps add-ons. Pure. */
export function addonChildApplications(
    planned: readonly PlannedAddon[],
    args: { project: string; sync: SyncSettings; labels?: Record<string, string> },
): ChildApplication[] {
    return planned
        .filter((addon) => addon.mode === "gitops")
        .map((addon) => ({
            name: addon.name,
            syncWave: addon.syncWave,
            project: args.project,
            source: {
                repoURL: addon.repoURL,
                chart: addon.definition.chart,
                targetRevision: addon.version,
                // Named after the add-on on every cluster, not after the Application (`<addon>-<cluster>` on a
                // spoke): what refers to the chart's Services (e.g. the canary's Prometheus) stays right.
                helmReleaseName: addonReleaseName(addon.name),
                helmValues: addon.values,
            },
            destination: { namespace: addon.namespace },
            sync: args.sync,
            labels: { ...args.labels, [addonLabelKey]: addon.name },
        }));
}

/** Helm repositories the platform AppProject must allow for these add-ons (GitOps ones). Pure. */
export function addonSourceRepos(planned: readonly PlannedAddon[]): string[] {
    return unique(planned.filter((a) => a.mode === "gitops").map((a) => a.repoURL));
}

/** Namespaces the platform AppProject must allow for these add-ons (GitOps ones). Pure. */
export function addonDestinationNamespaces(planned: readonly PlannedAddon[]): string[] {
    return unique(planned.filter((a) => a.mode === "gitops").flatMap((a) => a.destinationNamespaces));
}

function unique(values: string[]): string[] {
    return [...new Set(values)];
}
