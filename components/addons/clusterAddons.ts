import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChildApplication } from "../applications/appOfApps";
import { argoCdReleaseName } from "../argocd/values";
import type { SyncSettings } from "../applications/syncPolicy";
import { addonCatalog } from "./catalog";
import {
    addonChildApplications,
    addonDestinationNamespaces,
    addonReleaseName,
    addonSourceRepos,
    ownsCrd,
    planAddons,
    spokePlanArgs,
    type AddonPlanArgs,
    type PlannedAddon,
} from "./plan";
import type {
    AcmeSettings,
    AddonDefinition,
    AddonMode,
    AddonSettings,
    DnsSettings,
    KubeObject,
    MonitoringSettings,
    SecretStoreSettings,
} from "./types";
import type { AlertRoutingSettings } from "../monitoring/alertmanager";

export interface ClusterAddonsArgs {
    /** Environment, e.g. `dev`. */
    environment: string;
    /** Cluster name; external-dns's default TXT owner id. */
    clusterName: string;
    /** Settings per add-on name; only add-ons with `enabled: true` are installed. Default: none. */
    addons?: Partial<Record<string, AddonSettings>>;
    /** How add-ons are installed unless their settings say otherwise. Default: `gitops`. */
    mode?: AddonMode;
    /** Namespace Argo CD runs in (and where its Applications live). Default: `argocd`. */
    argocdNamespace?: string;
    /** Release name of Argo CD's chart. Default: `argoCdReleaseName` (`argocd`). */
    argocdReleaseName?: string;
    /** AppProject of the add-on Applications. Default: `platform`. */
    project?: string;
    /** Sync settings of the add-on Applications. */
    sync: SyncSettings;
    /** Ingress class the platform's ingress controller serves. Default: `nginx`. */
    ingressClassName?: string;
    /** Several replicas and disruption budgets. Default: `false`. */
    highAvailability?: boolean;
    /** ACME ClusterIssuer for cert-manager. Default: none. */
    acme?: AcmeSettings;
    /** DNS provider and zones for external-dns; required when it is enabled. Default: none. */
    dns?: DnsSettings;
    /** external-secrets' ClusterSecretStore for app secrets. Default: none. */
    secretStore?: SecretStoreSettings;
    /** Alertmanager's receivers and routes (kube-prometheus-stack). Default: none. */
    alerts?: AlertRoutingSettings;
    /** Prometheus retention and Argo CD alert thresholds. Default: 7d retention, see `defaultMonitoring`. */
    monitoring?: Omit<MonitoringSettings, "enabled">;
    /** Labels on the add-on Applications. Default: none. */
    labels?: Record<string, string>;
    /** The add-on catalog. Default: `addonCatalog`. */
    catalog?: readonly AddonDefinition[];
}

/** An installed add-on, as the stack exports and the render summary shows it. */
export interface InstalledAddon {
    name: string;
    chart: string;
    version: string;
    mode: AddonMode;
    syncWave: number;
    namespace: string;
}

/**
 * The cluster add-ons of one environment. In GitOps mode (the default) each add-on is a child Application
 * of the app-of-apps root, which the platform renders from `children`; nothing is registered here. In
 * direct mode Pulumi installs the add-on as a pinned Helm release, for what must exist before Argo CD (pass
 * `releases` to Argo CD's `installAfter`).
 */
export class ClusterAddons extends pulumi.ComponentResource {
    /** Child Applications for the app-of-apps root (GitOps add-ons), ordered by sync wave. */
    public readonly children: ChildApplication[];
    /** The same add-ons planned for a workload cluster (`spokePlanArgs`): what its Applications deploy. Pure. */
    public readonly childrenForSpoke: (clusterName: string) => ChildApplication[];
    /** Helm repositories the platform AppProject must allow. */
    public readonly sourceRepos: string[];
    /** Namespaces the platform AppProject must allow. */
    public readonly namespaces: string[];
    /** Helm releases of the direct add-ons. */
    public readonly releases: k8s.helm.v3.Release[];
    /** Every enabled add-on with its version, mode and wave. */
    public readonly installed: pulumi.Output<InstalledAddon[]>;

    constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Plan first: bad settings throw before anything is registered.
        const argocdNamespace = args.argocdNamespace ?? "argocd";
        const planArgs: AddonPlanArgs = {
            environment: args.environment,
            clusterName: args.clusterName,
            addons: args.addons ?? {},
            mode: args.mode ?? "gitops",
            argocdNamespace,
            argocdReleaseName: args.argocdReleaseName ?? argoCdReleaseName,
            ingressClassName: args.ingressClassName ?? "nginx",
            highAvailability: args.highAvailability ?? false,
            acme: args.acme,
            dns: args.dns,
            secretStore: args.secretStore,
            alerts: args.alerts,
            monitoring: args.monitoring,
        };
        const catalog = args.catalog ?? addonCatalog;
        const planned = planAddons(planArgs, catalog);
        super("gitops:addons:ClusterAddons", name, {}, opts);

        const childArgs = { project: args.project ?? "platform", sync: args.sync, labels: args.labels };
        this.children = addonChildApplications(planned, childArgs);
        this.childrenForSpoke = (clusterName) =>
            addonChildApplications(planAddons(spokePlanArgs(planArgs, clusterName), catalog), childArgs);
        this.sourceRepos = addonSourceRepos(planned);
        this.namespaces = addonDestinationNamespaces(planned);

        const releases = new Map<string, k8s.helm.v3.Release>();
        const direct = planned.filter((a) => a.mode === "direct");
        // A direct add-on that creates another direct add-on's CRD objects waits for that release.
        const ownersOf = (addon: PlannedAddon) =>
            direct.filter(
                (owner) =>
                    owner !== addon &&
                    (addon.definition.usesCrds ?? []).some((used) =>
                        ownsCrd(owner.definition.ownsCrds, used),
                    ),
            );
        const visiting = new Set<string>();
        const install = (addon: PlannedAddon): k8s.helm.v3.Release => {
            const existing = releases.get(addon.name);
            if (existing) return existing;
            if (visiting.has(addon.name)) throw new Error(`add-on ${addon.name}: circular CRD dependency`);
            visiting.add(addon.name);
            const release = new k8s.helm.v3.Release(
                `${name}-${addon.name}`,
                {
                    name: addonReleaseName(addon.name),
                    chart: addon.definition.chart,
                    version: addon.version,
                    repositoryOpts: { repo: addon.repoURL },
                    namespace: addon.namespace,
                    createNamespace: true,
                    maxHistory: 10,
                    values: addon.values,
                },
                { parent: this, dependsOn: ownersOf(addon).map(install) },
            );
            releases.set(addon.name, release);
            registerObjects(`${name}-${addon.name}`, addon, release, this);
            return release;
        };
        direct.forEach(install);
        this.releases = [...releases.values()];

        this.installed = pulumi.output(
            planned.map((addon) => ({
                name: addon.name,
                chart: addon.definition.chart,
                version: addon.version,
                mode: addon.mode,
                syncWave: addon.syncWave,
                namespace: addon.namespace,
            })),
        );
        this.registerOutputs({ installed: this.installed });
    }
}

/** Registers a direct add-on's extra objects, after its release (which brings their CRDs). */
function registerObjects(
    prefix: string,
    addon: PlannedAddon,
    release: k8s.helm.v3.Release,
    parent: pulumi.Resource,
): void {
    for (const object of addon.pulumiObjects) {
        const name = `${prefix}-${object.kind.toLowerCase()}-${object.metadata.name}`;
        const opts = { parent, dependsOn: [release] };
        if (object.apiVersion === "v1" && object.kind === "ConfigMap") {
            new k8s.core.v1.ConfigMap(name, object as k8s.types.input.core.v1.ConfigMap, opts);
        } else {
            new k8s.apiextensions.CustomResource(
                name,
                object as KubeObject & k8s.apiextensions.CustomResourceArgs,
                opts,
            );
        }
    }
}
