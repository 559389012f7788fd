import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgoCdRef } from "../common/argocdRef";
import { argoCustomResource, type ArgoObject } from "./customResource";
import {
    applicationFinalizers,
    defaultSyncOptions,
    inClusterServer,
    requireOwnProject,
    syncPolicy,
    type SyncSettings,
} from "./syncPolicy";

/** Where an Application's manifests come from: a Git path, or a Helm chart. */
export interface ApplicationSource {
    repoURL: string;
    /** A branch or tag for Git; an exact version for a Helm chart. */
    targetRevision: string;
    /** Path in a Git repository. */
    path?: string;
    /** Chart name in a Helm repository. */
    chart?: string;
    /** Helm values, as an object. */
    helmValues?: Record<string, unknown>;
    /**
     * Helm release name. Default: the Application's name, which Argo CD passes to `helm template`; every name
     * the chart derives (Services, Secrets) follows it, so set it wherever another object refers to one.
     */
    helmReleaseName?: string;
    /** Recurse into sub-directories of `path` (plain manifests). */
    recurse?: boolean;
}

/** The plain settings an Application is built from. */
export interface ApplicationSettings {
    /** AppProject name; never `default`. */
    project: string;
    source: ApplicationSource;
    /** Destination namespace, and cluster API server. Default server: the cluster Argo CD runs in. */
    destination: { namespace: string; server?: string };
    /** The environment's sync settings. */
    sync: SyncSettings;
    /** Default: CreateNamespace, ServerSideApply, PruneLast. */
    syncOptions?: string[];
    /** Application name in Argo CD. Default: the component name. */
    applicationName?: string;
    /** Default: none. */
    labels?: Record<string, string>;
    /** E.g. sync waves and notification subscriptions. Default: none. */
    annotations?: Record<string, string>;
}

/** `ApplicationSource` with every field an Input, e.g. a repo URL read from the platform stack. */
export type ApplicationSourceArgs = { [K in keyof ApplicationSource]: pulumi.Input<ApplicationSource[K]> };

export interface GitOpsApplicationArgs {
    /** The Argo CD this Application belongs to. */
    argoCd: ArgoCdRef;
    /** AppProject name; never `default`. */
    project: pulumi.Input<string>;
    source: ApplicationSourceArgs;
    /** Destination namespace, and cluster API server. Default server: the cluster Argo CD runs in. */
    destination: { namespace: pulumi.Input<string>; server?: pulumi.Input<string> };
    /** The environment's sync settings. */
    sync: pulumi.Input<SyncSettings>;
    /** Default: CreateNamespace, ServerSideApply, PruneLast. */
    syncOptions?: pulumi.Input<string[]>;
    /** Application name in Argo CD. Default: the component name. */
    applicationName?: string;
    /** Default: none. */
    labels?: Record<string, string>;
    /** E.g. sync waves and notification subscriptions. Default: none. */
    annotations?: Record<string, string>;
}

/** The `source` block of an Application. */
export function applicationSource(source: ApplicationSource): Record<string, unknown> {
    return {
        repoURL: source.repoURL,
        targetRevision: source.targetRevision,
        ...(source.path !== undefined ? { path: source.path } : {}),
        ...(source.chart !== undefined ? { chart: source.chart } : {}),
        ...(source.helmValues !== undefined || source.helmReleaseName !== undefined
            ? {
                  helm: {
                      ...(source.helmReleaseName !== undefined
                          ? { releaseName: source.helmReleaseName }
                          : {}),
                      ...(source.helmValues !== undefined ? { valuesObject: source.helmValues } : {}),
                  },
              }
            : {}),
        ...(source.recurse ? { directory: { recurse: true } } : {}),
    };
}

/** The `spec` of an Application. Pure; shared by Applications Pulumi registers and those the root renders. */
export function applicationSpec(args: ApplicationSettings, what: string): Record<string, unknown> {
    return {
        project: requireOwnProject(args.project, what),
        source: applicationSource(args.source),
        destination: {
            server: args.destination.server ?? inClusterServer,
            namespace: args.destination.namespace,
        },
        syncPolicy: syncPolicy(args.sync, args.syncOptions ?? defaultSyncOptions),
    };
}

/** Builds the Application object. Pure. */
export function applicationObject(name: string, args: ApplicationSettings): ArgoObject {
    const finalizers = applicationFinalizers(args.sync);
    return {
        kind: "Application",
        metadata: {
            name: args.applicationName ?? name,
            ...(args.labels ? { labels: args.labels } : {}),
            ...(args.annotations ? { annotations: args.annotations } : {}),
            ...(finalizers.length > 0 ? { finalizers } : {}),
        },
        spec: applicationSpec(args, `Application ${name}`),
    };
}

/** An Argo CD Application with the environment's sync policy. */
export class GitOpsApplication extends pulumi.ComponentResource {
    /** The Application's name in Argo CD. */
    public readonly applicationName: pulumi.Output<string>;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: GitOpsApplicationArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:applications:GitOpsApplication", name, {}, opts);
        const { argoCd, ...settings } = args;
        const object = pulumi.output(settings).apply((plain) => applicationObject(name, plain));
        this.resource = argoCustomResource(`${name}-app`, "Application", object, argoCd, this);
        this.applicationName = object.metadata.name;
        this.registerOutputs({ applicationName: this.applicationName });
    }
}
