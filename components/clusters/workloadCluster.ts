import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgoCdRef } from "../common/argocdRef";
import { clusterSecretConfig, type ClusterCredentials } from "./credentials";

/** The label Argo CD finds cluster Secrets by. */
export const clusterSecretLabel = { "argocd.argoproj.io/secret-type": "cluster" } as const;

export interface WorkloadClusterArgs {
    /** The hub's Argo CD, where the cluster is registered. */
    argoCd: ArgoCdRef;
    /** Cluster name as Argo CD shows it. Default: the component name. */
    clusterName?: string;
    /** API server URL. */
    server: pulumi.Input<string>;
    /** Labels cluster generators select on, e.g. `environment: prod`, `enable_cert-manager: "true"`. */
    labels?: Record<string, string>;
    /** Per-cluster values that ApplicationSet templates read, e.g. a domain. Default: none. */
    annotations?: Record<string, string>;
    /** A bearer token or EKS awsAuthConfig, and the CA (see `ClusterCredentials`); always stored as a secret. */
    credentials: pulumi.Input<ClusterCredentials>;
}

/** Registers a workload cluster with the hub's Argo CD as a declarative cluster Secret. */
export class WorkloadCluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly server: pulumi.Output<string>;
    public readonly secret: k8s.core.v1.Secret;

    constructor(name: string, args: WorkloadClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:clusters:WorkloadCluster", name, {}, opts);
        const clusterName = args.clusterName ?? name;
        this.secret = new k8s.core.v1.Secret(
            `${name}-cluster`,
            {
                metadata: {
                    name: `cluster-${clusterName}`,
                    namespace: args.argoCd.namespace,
                    labels: { ...args.labels, ...clusterSecretLabel },
                    annotations: args.annotations,
                },
                stringData: pulumi.secret({
                    name: clusterName,
                    server: args.server,
                    config: pulumi.output(args.credentials).apply(clusterSecretConfig),
                }),
            },
            { parent: this, dependsOn: args.argoCd.install ? [args.argoCd.install] : [] },
        );
        this.clusterName = pulumi.output(clusterName);
        this.server = pulumi.output(args.server);
        this.registerOutputs({ clusterName: this.clusterName, server: this.server });
    }
}
