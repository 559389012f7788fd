/**
 * Plugin-facing wrappers of the gitops-platform components, for stacks in other languages.
 *
 * Pulumi infers the package schema from these classes and their `args` interfaces, and its analyzer
 * supports neither unions, functions nor resource references. So each wrapper takes flat, plain or
 * `Input` args and delegates to the library component. This module only declares classes: no side effects.
 */
import * as pulumi from "@pulumi/pulumi";
// The library's source, imported by path rather than as `gitops-platform/components`: that export resolves
// to the built `dist/` unless the `source` condition is set, and `dist/` is not in Git. Relative imports
// read the same source whichever tsconfig, Node conditions or ts-node compile this file. The public index
// comes first: type-checking components/github/workload.ts before the rest of the library fails (TS2322).
import {
    AppRepository as LibraryAppRepository,
    AppSeed as LibraryAppSeed,
    GitOpsApplication,
    type RegistryKind,
} from "../components";
// Not in the public index (components/index.ts has no `export * from "./clusters"`).
import { WorkloadCluster as LibraryWorkloadCluster } from "../components/clusters";

export interface ApplicationArgs {
    /** Namespace Argo CD runs in; the Application object is created there. */
    argocdNamespace: pulumi.Input<string>;
    /** AppProject name; never `default`. */
    project: pulumi.Input<string>;
    /** Git repository URL the manifests come from. */
    repoUrl: pulumi.Input<string>;
    /** Branch or tag to follow. */
    targetRevision: pulumi.Input<string>;
    /** Path of the manifests in the repository. */
    path: pulumi.Input<string>;
    /** Destination namespace. */
    namespace: pulumi.Input<string>;
    /** Destination cluster API server. Default: `https://kubernetes.default.svc` (the cluster Argo CD runs in). */
    server?: pulumi.Input<string>;
    /** Sync automatically. Default: `true`. */
    automated?: pulumi.Input<boolean>;
    /** Delete resources removed from Git (automated sync only). Default: `true`. */
    prune?: pulumi.Input<boolean>;
    /** Revert changes made outside Git (automated sync only). Default: `true`. */
    selfHeal?: pulumi.Input<boolean>;
    /** Deleting the Application deletes what it deployed (resources finalizer). Default: `false`. */
    cascadeDelete?: pulumi.Input<boolean>;
    /** Sync retries. Default: `5`. */
    retryLimit?: pulumi.Input<number>;
    /** First retry backoff. Default: `5s`. */
    retryBackoffDuration?: pulumi.Input<string>;
    /** Backoff multiplier per retry. Default: `2`. */
    retryBackoffFactor?: pulumi.Input<number>;
    /** Longest retry backoff. Default: `3m`. */
    retryBackoffMaxDuration?: pulumi.Input<string>;
}

/** An Argo CD Application that syncs a Git path into a namespace (wraps `GitOpsApplication`). */
export class Application extends pulumi.ComponentResource {
    /** The Application's name in Argo CD: the resource name. */
    public readonly applicationName: pulumi.Output<string>;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-platform:index:Application", name, {}, opts);
        const app = new GitOpsApplication(
            name,
            {
                argoCd: { namespace: args.argocdNamespace },
                project: args.project,
                source: { repoURL: args.repoUrl, targetRevision: args.targetRevision, path: args.path },
                destination: { namespace: args.namespace, server: args.server },
                sync: pulumi.output({
                    automated: args.automated ?? true,
                    prune: args.prune ?? true,
                    selfHeal: args.selfHeal ?? true,
                    cascadeDelete: args.cascadeDelete ?? false,
                    retry: {
                        limit: args.retryLimit ?? 5,
                        backoff: {
                            duration: args.retryBackoffDuration ?? "5s",
                            factor: args.retryBackoffFactor ?? 2,
                            maxDuration: args.retryBackoffMaxDuration ?? "3m",
                        },
                    },
                }),
            },
            { parent: this },
        );
        this.applicationName = app.applicationName;
        this.registerOutputs({ applicationName: this.applicationName });
    }
}

const registryKinds: readonly RegistryKind[] = ["ghcr", "ecr", "gar", "basic"];

/** The registry kind a plugin caller passed (a plain string in the schema), checked. */
function registryKind(kind: string): RegistryKind {
    const found = registryKinds.find((candidate) => candidate === kind);
    if (!found) throw new Error(`registryKind: expected one of ${registryKinds.join(", ")}, got "${kind}"`);
    return found;
}

export interface AppRepositoryArgs {
    /** GitHub organisation that owns the repositories. */
    owner: string;
    /** App name; also the repository name. */
    app: string;
    /** GitHub team slug that owns the app: push access and CODEOWNERS. */
    team: string;
    /** Name of the GitOps repository the app's CI pushes image bumps to. */
    gitopsRepository: pulumi.Input<string>;
    /** Default branch that builds and deploys. Default: `main`. */
    branch?: string;
    /**
     * The platform pipeline the repository's caller file pins: `owner/name/.github/workflows/build.yml@<tag or
     * SHA>` (the platform stack's `platform.pipeline` output).
     */
    pipelineWorkflow: pulumi.Input<string>;
    /** The platform's registry kind (`ghcr`, `ecr`, `gar` or `basic`): the permissions the caller grants. */
    registryKind: string;
    /** Approving reviews a pull request needs. Default: `1`. */
    requiredApprovals?: number;
}

/**
 * An app's GitHub repository with ruleset, team access, enforced CODEOWNERS and the pipeline's caller file, and a deploy
 * key on the GitOps repository (wraps the library `AppRepository`; the repository is `protect`ed).
 */
export class AppRepository extends pulumi.ComponentResource {
    /** Repository name. */
    public readonly repositoryName: pulumi.Output<string>;
    /** `owner/name`. */
    public readonly fullName: pulumi.Output<string>;

    constructor(name: string, args: AppRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-platform:index:AppRepository", name, {}, opts);
        const repo = new LibraryAppRepository(
            name,
            {
                owner: args.owner,
                app: args.app,
                team: args.team,
                gitopsRepository: args.gitopsRepository,
                repository: args.branch ? { branch: args.branch } : undefined,
                pipeline: { workflow: args.pipelineWorkflow, registryKind: registryKind(args.registryKind) },
                requiredApprovals: args.requiredApprovals,
            },
            { parent: this },
        );
        this.repositoryName = repo.repositoryName;
        this.fullName = repo.fullName;
        this.registerOutputs({ repositoryName: this.repositoryName, fullName: this.fullName });
    }
}

export interface AppSeedArgs {
    /** Name of the GitOps repository to seed. */
    gitopsRepository: pulumi.Input<string>;
    /** Branch Argo CD follows. Default: `main`. */
    branch?: pulumi.Input<string>;
    /** App name: seeds `apps/<app>/base/`. */
    app: string;
    /** Platform team name, as a label on the workload. */
    team: string;
    /** Namespace the app runs in. */
    namespace: string;
    /** Container port. Default: `8080`. */
    port?: number;
}

/** Seeds an app's `apps/<app>/base/` (standard workload and kustomization) into the GitOps repository, once. */
export class AppSeed extends pulumi.ComponentResource {
    constructor(name: string, args: AppSeedArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-platform:index:AppSeed", name, {}, opts);
        new LibraryAppSeed(
            name,
            {
                repository: args.gitopsRepository,
                branch: args.branch,
                app: { name: args.app, team: args.team, namespace: args.namespace, port: args.port },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}

export interface WorkloadClusterArgs {
    /** Namespace the hub's Argo CD runs in; the cluster Secret is created there. */
    argocdNamespace: pulumi.Input<string>;
    /** Cluster name as Argo CD shows it. Default: the resource name. */
    clusterName?: string;
    /** API server URL. */
    server: pulumi.Input<string>;
    /** Labels cluster generators select on, e.g. `environment: prod`. Default: none. */
    labels?: Record<string, string>;
    /** Bearer token Argo CD authenticates with; always stored as a secret. */
    bearerToken: pulumi.Input<string>;
    /** Base64 PEM of the cluster CA. */
    caData: pulumi.Input<string>;
}

/** Registers a workload cluster with the hub's Argo CD as a cluster Secret (wraps `WorkloadCluster`). */
export class WorkloadCluster extends pulumi.ComponentResource {
    /** Cluster name as Argo CD shows it. */
    public readonly clusterName: pulumi.Output<string>;
    /** API server URL. */
    public readonly server: pulumi.Output<string>;

    constructor(name: string, args: WorkloadClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitops-platform:index:WorkloadCluster", name, {}, opts);
        const cluster = new LibraryWorkloadCluster(
            name,
            {
                argoCd: { namespace: args.argocdNamespace },
                clusterName: args.clusterName,
                server: args.server,
                labels: args.labels,
                credentials: pulumi.secret(
                    pulumi.output({ bearerToken: args.bearerToken, caData: args.caData }),
                ),
            },
            { parent: this },
        );
        this.clusterName = cluster.clusterName;
        this.server = cluster.server;
        this.registerOutputs({ clusterName: this.clusterName, server: this.server });
    }
}
