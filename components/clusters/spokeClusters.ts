import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ChildApplication } from "../applications/appOfApps";
import { argoCustomResource } from "../applications/customResource";
import type { ArgoCdRef } from "../common/argocdRef";
import { labelKeys } from "../common/labels";
import type { ClusterCredentials } from "./credentials";
import { addonClusterLabel, addonClusterValues, addonFanOutObject, addonValuesAnnotation } from "./fanOut";
import { WorkloadCluster } from "./workloadCluster";

/** Label of clusters that run team apps. */
export const workloadsLabel = "gitops-platform/workloads";

/** A spoke cluster as the platform sees it. */
export interface SpokeCluster {
    name: string;
    /** API server URL. */
    server: string;
    /** Extra labels for cluster generators. Default: none. */
    labels?: Record<string, string>;
    /** Add-ons fanned out to this cluster. Default: none. */
    addons?: string[];
    /** Per-add-on Helm values for this cluster, merged over the hub's (maps by key, lists replaced). Default: none. */
    values?: Partial<Record<string, Record<string, unknown>>>;
    /** Team apps run here. Default: `true`. */
    workloads?: boolean;
    /** How the hub reaches it: a bearer token or EKS awsAuthConfig, and the CA; stored as a secret. */
    credentials: pulumi.Input<ClusterCredentials>;
}

export interface SpokeClustersArgs {
    /** The hub's Argo CD. */
    argoCd: ArgoCdRef;
    environment: string;
    clusters: SpokeCluster[];
    /** The hub's add-on Applications; those that some cluster enables fan out. */
    addons: ChildApplication[];
    /**
     * The add-ons as planned for one workload cluster, whose values its cluster Secret carries (e.g.
     * `ClusterAddons.childrenForSpoke`). Default: `addons`, the hub's values on every cluster.
     */
    addonsForCluster?: (clusterName: string) => ChildApplication[];
    /**
     * What the fan-out ApplicationSets also wait for, e.g. the AppProject of their Applications. Default: none.
     * See `SpokeClusters.clusterSecrets` for why.
     */
    addonsDependOn?: pulumi.Resource[];
}

/**
 * Kubernetes' limit on the total size of an object's annotations, keys plus values, in bytes
 * (k8s.io/apimachinery `pkg/api/validation/objectmeta.go`, `TotalAnnotationSizeLimitB`).
 */
export const totalAnnotationSizeLimit = 256 * 1024;

/**
 * Labels and annotations of a spoke's cluster Secret: what generators select on and read values from. For
 * each add-on the cluster enables, an annotation holds the add-on's whole values on that cluster (the hub's,
 * from `addons`, with the cluster's `values` merged over). Pure; throws when the annotations would exceed
 * the API server's size limit.
 */
export function spokeMetadata(
    cluster: SpokeCluster,
    environment: string,
    addons: readonly Pick<ChildApplication, "name" | "source">[] = [],
): { labels: Record<string, string>; annotations: Record<string, string> } {
    const labels: Record<string, string> = {
        ...cluster.labels,
        [labelKeys.environment]: environment,
        [workloadsLabel]: String(cluster.workloads ?? true),
    };
    for (const addon of cluster.addons ?? []) labels[addonClusterLabel(addon)] = "true";
    const annotations: Record<string, string> = {};
    for (const name of cluster.addons ?? []) {
        const addon = addons.find((child) => child.name === name);
        if (!addon) continue;
        annotations[addonValuesAnnotation(name)] = JSON.stringify(
            addonClusterValues(addon, cluster.values?.[name]),
        );
    }
    const size = Object.entries(annotations).reduce(
        (total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value),
        0,
    );
    if (size > totalAnnotationSizeLimit) {
        throw new Error(
            `cluster ${cluster.name}: the add-on values of its cluster Secret take ${size} bytes of annotations, more than the API server's limit of ${totalAnnotationSizeLimit}`,
        );
    }
    return { labels, annotations };
}

/** The selector of the clusters that run an environment's team apps. */
export function workloadClusterSelector(environment: string): Record<string, string> {
    return { [labelKeys.environment]: environment, [workloadsLabel]: "true" };
}

/**
 * Hub and spoke: registers each workload cluster with the hub's Argo CD, and fans each add-on that some
 * cluster enables out to the clusters labelled for it, through one ApplicationSet per add-on.
 */
export class SpokeClusters extends pulumi.ComponentResource {
    /** Servers of the clusters that run team apps. */
    public readonly workloadServers: string[];
    /** Servers of every spoke, for the platform project's destinations. */
    public readonly servers: string[];
    /**
     * The spokes' cluster Secrets. Every ApplicationSet that deploys to a spoke depends on them (and on its
     * AppProject), so `pulumi destroy` deletes it first and, through the foreground deletion Pulumi asks for,
     * waits until Argo CD has finalized its Applications: Argo CD removes a `resources-finalizer` only after
     * deleting the app's objects, which needs the cluster's credentials and the project (without them the
     * finalizer stays and destroy hangs; seen in the e2e).
     */
    public readonly clusterSecrets: k8s.core.v1.Secret[];

    constructor(name: string, args: SpokeClustersArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:clusters:SpokeClusters", name, {}, opts);
        this.clusterSecrets = args.clusters.map(
            (cluster) =>
                new WorkloadCluster(
                    `${name}-${cluster.name}`,
                    {
                        argoCd: args.argoCd,
                        clusterName: cluster.name,
                        server: cluster.server,
                        ...spokeMetadata(
                            cluster,
                            args.environment,
                            args.addonsForCluster?.(cluster.name) ?? args.addons,
                        ),
                        credentials: cluster.credentials,
                    },
                    { parent: this },
                ).secret,
        );
        const enabled = new Set(args.clusters.flatMap((cluster) => cluster.addons ?? []));
        for (const addon of args.addons.filter((child) => enabled.has(child.name))) {
            argoCustomResource(
                `${name}-addon-${addon.name}`,
                "ApplicationSet",
                addonFanOutObject(addon),
                args.argoCd,
                this,
                { dependsOn: [...this.clusterSecrets, ...(args.addonsDependOn ?? [])] },
            );
        }
        this.servers = args.clusters.map((cluster) => cluster.server);
        this.workloadServers = args.clusters.filter((c) => c.workloads ?? true).map((c) => c.server);
        this.registerOutputs({});
    }
}
