import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    AppRepository,
    AppSeed,
    GitOpsApplication,
    platformReference,
    type RegistryKind,
    type SyncSettings,
} from "gitops-platform/components";

/** The app a team onboards. */
export interface TeamAppArgs {
    /** Platform stack to read, e.g. `acme/gitops-platform/dev`. */
    platformStack: string;
    name: string;
    /** Owning team: its AppProject on the platform. */
    team: string;
    namespace: string;
    /** GitHub organisation of the platform (the GitOps repository's owner). */
    owner: string;
    /** GitHub team slug that owns the app. Default: `team`. */
    githubTeam?: string;
    /** Kubernetes context of the platform's cluster. Default: the current context. */
    kubeContext?: string;
    /** GitHub token. Default: GITHUB_TOKEN from the environment. */
    githubToken?: pulumi.Input<string>;
    /** Environments the app is delivered to: this stack keeps its template for each. Default: dev, staging, prod. */
    environments?: string[];
}

/** Sync settings for the team's own Application: the platform's defaults for automated delivery. */
const teamSync: SyncSettings = {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
    cascadeDelete: false,
};

/**
 * Onboards one app: reads the platform stack, then declares the app's repository calling the platform's
 * pipeline, seeds its base into the GitOps repository, and declares its Application in the team's project,
 * following the app's overlay for the platform's environment.
 */
export function onboardApp(args: TeamAppArgs) {
    const platform = platformReference(args.platformStack);
    const provider = new k8s.Provider(
        "platform-cluster",
        args.kubeContext ? { context: args.kubeContext } : {},
    );
    const gitHub = new github.Provider("github", {
        owner: args.owner,
        ...(args.githubToken ? { token: pulumi.secret(args.githubToken) } : {}),
    });
    // The platform's pipeline, pinned to the version its shared stack committed (or a configured release).
    const pipeline = platform.outputs.apply((outputs) => {
        if (!outputs.pipeline?.ref) {
            throw new Error(
                `${args.platformStack} exports no pinned pipeline (platform.pipeline.ref): read the stack that declares the shared GitHub objects, or set github.pipeline.ref`,
            );
        }
        return outputs.pipeline;
    });
    const repository = new AppRepository(
        args.name,
        {
            owner: args.owner,
            app: args.name,
            team: args.githubTeam ?? args.team,
            gitopsRepository: platform.gitops.repository,
            pipeline: {
                workflow: pulumi.interpolate`${pipeline.workflow}@${pipeline.ref}`,
                registryKind: pipeline.registryKind.apply((kind) => kind as RegistryKind),
            },
        },
        { providers: { github: gitHub } },
    );
    new AppSeed(
        args.name,
        {
            repository: platform.gitops.repository,
            branch: platform.gitops.branch,
            app: { name: args.name, team: args.team, namespace: args.namespace },
            // The app's template per environment (its overlays include apps/<app>/platform/<env>).
            templates: (args.environments ?? ["dev", "staging", "prod"]).map((environment) => ({
                environment,
            })),
        },
        { providers: { github: gitHub } },
    );
    const project = platform.projects.apply((projects) => {
        if (!projects.includes(args.team)) {
            throw new Error(
                `team "${args.team}" has no project on ${args.platformStack} (projects: ${projects.join(", ")})`,
            );
        }
        return args.team;
    });
    const application = new GitOpsApplication(
        args.name,
        {
            argoCd: { namespace: platform.argocdNamespace },
            project,
            source: {
                repoURL: platform.gitops.url,
                targetRevision: platform.gitops.branch,
                path: pulumi.interpolate`apps/${args.name}/overlays/${platform.environment}`,
            },
            destination: { namespace: args.namespace },
            sync: teamSync,
        },
        { providers: { kubernetes: provider } },
    );
    return { application, repository, platform };
}
