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

export interface ApplicationSetArgs {
    /** The Argo CD this ApplicationSet belongs to. */
    argoCd: ArgoCdRef;
    /** AppProject of every generated Application; never `default`. */
    project: string;
    /** Environment whose overlays are deployed, e.g. `dev`. */
    environment: string;
    /** The GitOps repository. */
    repoURL: string;
    /** Branch of the GitOps repository. */
    revision: string;
    /** Apps whose `apps/<app>/overlays/<environment>` directories are deployed, once they exist. */
    apps: string[];
    /** Destination namespace of the generated Applications. */
    namespace: string;
    /**
     * Apps that run in another namespace than `namespace` (another of the team's), by app name. Their
     * Applications get that destination, so `CreateNamespace=true` creates it on a workload cluster. Default:
     * none.
     */
    appNamespaces?: Record<string, string>;
    /** The environment's sync settings. */
    sync: SyncSettings;
    /** Labels on the ApplicationSet and its Applications. Default: none. */
    labels?: Record<string, string>;
    /** Annotations on generated Applications, e.g. notification subscriptions. Default: none. */
    annotations?: Record<string, string>;
    /**
     * Annotation keys that people or tools set on generated Applications and that must survive the
     * ApplicationSet's reconcile (`spec.preservedFields.annotations`), e.g. notification subscriptions. Exact
     * keys: the controller copies each listed key from the live Application and drops every other annotation
     * it did not generate (argoproj/argo-cd `applicationset/controllers/applicationset_controller.go`,
     * `createOrUpdateInCluster`). Default: none (only Argo CD's own defaults survive).
     */
    preservedAnnotations?: string[];
    /**
     * Deploy to every registered cluster whose labels match, instead of the cluster Argo CD runs in
     * (hub and spoke). Default: none, the in-cluster destination.
     */
    clusterSelector?: Record<string, string>;
}

/** Path of an app's overlay for an environment in the GitOps repository. */
export function overlayPath(app: string, environment: string): string {
    return `apps/${app}/overlays/${environment}`;
}

/**
 * Builds a git-directory ApplicationSet: one Application per app overlay that exists for the
 * environment. Argo CD objects stay O(1) per team and environment, however many apps there are. Pure.
 */
export function applicationSetObject(name: string, args: Omit<ApplicationSetArgs, "argoCd">): ArgoObject {
    const finalizers = applicationFinalizers(args.sync);
    // One git-directories generator per destination namespace; with more than one, each passes its namespace
    // to the template as `values.namespace` (a generator's `values`, argo-cd applicationset/generators
    // value_interpolation.go; a matrix merges them into the cluster's parameters).
    const byNamespace = new Map<string, string[]>();
    for (const app of args.apps) {
        const namespace = args.appNamespaces?.[app] ?? args.namespace;
        byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), app]);
    }
    const perNamespace = byNamespace.size > 1;
    const generators = [...byNamespace].map(([namespace, apps]) => {
        const directories = {
            git: {
                repoURL: args.repoURL,
                revision: args.revision,
                directories: apps.map((app) => ({ path: overlayPath(app, args.environment) })),
                ...(perNamespace ? { values: { namespace } } : {}),
            },
        };
        // With a cluster selector, a matrix pairs every selected cluster with every app overlay.
        return args.clusterSelector
            ? {
                  matrix: {
                      generators: [
                          { clusters: { selector: { matchLabels: args.clusterSelector } } },
                          directories,
                      ],
                  },
              }
            : directories;
    });
    const suffix = args.clusterSelector ? "{{ .name }}" : args.environment;
    return {
        kind: "ApplicationSet",
        metadata: { name, ...(args.labels ? { labels: args.labels } : {}) },
        spec: {
            goTemplate: true,
            goTemplateOptions: ["missingkey=error"],
            generators,
            template: {
                metadata: {
                    name: `{{ index .path.segments 1 }}-${suffix}`,
                    ...(args.labels ? { labels: args.labels } : {}),
                    ...(args.annotations ? { annotations: args.annotations } : {}),
                    ...(finalizers.length > 0 ? { finalizers } : {}),
                },
                spec: {
                    project: requireOwnProject(args.project, `ApplicationSet ${name}`),
                    source: {
                        repoURL: args.repoURL,
                        targetRevision: args.revision,
                        path: "{{ .path.path }}",
                    },
                    destination: {
                        server: args.clusterSelector ? "{{ .server }}" : inClusterServer,
                        namespace: perNamespace ? "{{ .values.namespace }}" : args.namespace,
                    },
                    // On a spoke, CreateNamespace creates the team's namespace (its project permits exactly
                    // those names). No managedNamespaceMetadata: the team's apps share the namespace, and Argo CD
                    // lets only one Application manage a namespace's metadata; every other one then fails with
                    // "namespace … is managed by another application" (argo-cd controller/sync_namespace.go).
                    syncPolicy: syncPolicy(args.sync, defaultSyncOptions),
                },
            },
            // Without cascading deletes, removing the ApplicationSet leaves the workloads running.
            syncPolicy: { preserveResourcesOnDeletion: !args.sync.cascadeDelete },
            ...(args.preservedAnnotations && args.preservedAnnotations.length > 0
                ? { preservedFields: { annotations: [...args.preservedAnnotations] } }
                : {}),
        },
    };
}

/**
 * Annotations the ApplicationSet controller always keeps on the Applications it generates
 * (argoproj/argo-cd `applicationset/controllers/applicationset_controller.go`, `defaultPreservedAnnotations`).
 */
export const defaultPreservedAnnotations: readonly string[] = [
    "notified.notifications.argoproj.io",
    "argocd.argoproj.io/refresh",
    "argocd.argoproj.io/hydrate",
];

/**
 * The annotations a generated Application has after the ApplicationSet controller's next reconcile: what
 * the template generates, plus each key of `spec.preservedFields.annotations` and of the controller's
 * defaults that the live Application has, matched exactly. Every other live annotation (a `kubectl annotate`)
 * is dropped (argoproj/argo-cd `applicationset/controllers/applicationset_controller.go`,
 * `createOrUpdateInCluster`). Pure.
 */
export function annotationsAfterReconcile(
    applicationSet: ArgoObject,
    generated: Record<string, string>,
    live: Record<string, string>,
): Record<string, string> {
    const spec = applicationSet.spec as { preservedFields?: { annotations?: string[] } };
    const result = { ...generated };
    for (const key of [...(spec.preservedFields?.annotations ?? []), ...defaultPreservedAnnotations]) {
        if (key in live) result[key] = live[key];
    }
    return result;
}

/** An ApplicationSet that deploys a team's app overlays for one environment. */
export class ApplicationSet extends pulumi.ComponentResource {
    public readonly applicationSetName: pulumi.Output<string>;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: ApplicationSetArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:applications:ApplicationSet", name, {}, opts);
        const object = applicationSetObject(name, args);
        // What the component waits for (its project, its namespaces), the ApplicationSet itself waits for.
        this.resource = argoCustomResource(`${name}-appset`, "ApplicationSet", object, args.argoCd, this, {
            dependsOn: Array.isArray(opts.dependsOn) ? opts.dependsOn : [],
        });
        this.applicationSetName = pulumi.output(object.metadata.name);
        this.registerOutputs({ applicationSetName: this.applicationSetName });
    }
}
