import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgoCdRef } from "../common/argocdRef";
import { argoCustomResource, type ArgoObject } from "./customResource";
import { inClusterServer } from "./syncPolicy";

/** A cluster-scoped kind a project may manage. */
export interface GroupKind {
    group: string;
    kind: string;
    /**
     * Glob on object names, cluster-scoped kinds only (Argo CD 3.2+). Default: every object of the kind.
     */
    name?: string;
}

/** A project role bound to SSO groups. */
export interface ProjectRole {
    name: string;
    description: string;
    groups: string[];
    /** Application actions, e.g. `*`, or `get` and `sync`. */
    actions: string[];
}

export interface AppProjectArgs {
    /** The Argo CD this project belongs to. */
    argoCd: ArgoCdRef;
    /** Project name. Default: the component name. */
    projectName?: string;
    /** Shown in the UI. Default: none. */
    description?: string;
    /** Git or Helm repositories the project may deploy from. */
    sourceRepos: string[];
    /** Namespaces the project may deploy to, on each of `servers`. */
    namespaces: string[];
    /** Destination cluster API servers. Default: the cluster Argo CD runs in. */
    servers?: string[];
    /** Cluster-scoped kinds allowed. Default: none. */
    clusterResources?: GroupKind[];
    /** Namespaced kinds denied, e.g. quotas the platform owns. Default: ResourceQuota, LimitRange. */
    deniedNamespaceResources?: GroupKind[];
    /** Roles bound to SSO groups. Default: none. */
    roles?: ProjectRole[];
    /** Labels on the AppProject. Default: none. */
    labels?: Record<string, string>;
}

const platformOwnedKinds: GroupKind[] = [
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
];

/** Builds the AppProject object. Pure. */
export function appProjectObject(name: string, args: Omit<AppProjectArgs, "argoCd">): ArgoObject {
    const projectName = args.projectName ?? name;
    if (projectName === "default") {
        throw new Error(
            `AppProject ${name}: "default" is Argo CD's allow-everything project; choose another name`,
        );
    }
    return {
        kind: "AppProject",
        metadata: { name: projectName, labels: args.labels },
        spec: {
            ...(args.description ? { description: args.description } : {}),
            sourceRepos: [...args.sourceRepos],
            destinations: (args.servers ?? [inClusterServer]).flatMap((server) =>
                args.namespaces.map((namespace) => ({ server, namespace })),
            ),
            clusterResourceWhitelist: (args.clusterResources ?? []).map((gk) => ({ ...gk })),
            namespaceResourceBlacklist: (args.deniedNamespaceResources ?? platformOwnedKinds).map((gk) => ({
                ...gk,
            })),
            orphanedResources: { warn: true },
            roles: (args.roles ?? []).map((role) => ({
                name: role.name,
                description: role.description,
                groups: role.groups,
                policies: role.actions.map(
                    (action) =>
                        `p, proj:${projectName}:${role.name}, applications, ${action}, ${projectName}/*, allow`,
                ),
            })),
        },
    };
}

/** An Argo CD AppProject: where a team may deploy from and to, and who may act on it. */
export class AppProject extends pulumi.ComponentResource {
    /** The project's name, for Applications' `spec.project`. */
    public readonly projectName: pulumi.Output<string>;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: AppProjectArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:applications:AppProject", name, {}, opts);
        const object = appProjectObject(name, args);
        this.resource = argoCustomResource(`${name}-project`, "AppProject", object, args.argoCd, this);
        this.projectName = pulumi.output(object.metadata.name);
        this.registerOutputs({ projectName: this.projectName });
    }
}
