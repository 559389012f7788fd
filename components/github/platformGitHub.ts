import type { CanaryConfig } from "../addons/rollouts/canary";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AppRepository, type AppPipelineArgs, type AppRepositorySource } from "./appRepository";
import { defaultPromotionOrder, orgVariables } from "./conventions";
import { PipelineRepository, pipelineWorkflowPath } from "./pipelineRepository";
import { imagePrefix, type RegistryKind, type RegistrySettings } from "./registry";
import type { PipelineDefaults } from "./workflows";
import { EnvironmentAccess, type EnvironmentProtection } from "./environmentAccess";
import { commitFile, type GitOpsApp, type RepositoryFileSpec } from "./appSeed";
import { fileSlug, GitOpsRepository } from "./gitopsRepository";
import { pulumiBypassActor } from "./repository";

/** The `github` section of the stack config. */
export interface GitHubSettings {
    /** Organisation that owns every repository. */
    owner: string;
    /**
     * Environment whose stack declares the shared GitHub objects: repositories, their rulesets, files and
     * team access, app deploy keys, organisation variables. Every other stack declares only its own
     * environment's objects.
     */
    sharedStack: string;
    /** GitHub App the provider authenticates as (instead of a token); it bypasses rulesets. */
    app?: { id: number; installationId: number };
    /** The registry the pipeline pushes to, and how it logs in. */
    registry: RegistrySettings;
    /** The platform pipeline: its repository, the version callers pin, and every app's defaults. */
    pipeline: {
        /** Name of the repository holding the reusable workflow, in `owner`. */
        repository: string;
        /** Tag or commit SHA callers pin. Default: the commit Pulumi last wrote the workflow in. */
        ref?: string;
        defaults: PipelineDefaults;
    };
    /** Approving reviews a pull request needs, on the GitOps repository and every app repository. */
    requiredApprovals: number;
    /** Protection rules of this environment's GitHub environment. */
    environmentProtection: EnvironmentProtection;
}

/** A team as the GitHub side sees it. */
export interface GitHubTeam {
    name: string;
    /** GitHub team slug. Default: `name`. */
    githubTeam?: string;
    /** The first one is the default namespace of the team's apps. Default: `[name]`. */
    namespaces?: string[];
}

/** An app as the GitHub side sees it. */
export interface GitHubApp {
    name: string;
    team: string;
    /** Default: the team's first namespace. */
    namespace?: string;
    /** Container port. Default: the standard workload's. */
    port?: number;
    /** Deliver as an Argo Rollouts canary. Default: a Deployment. */
    canary?: CanaryConfig;
    /** The app's repository: its name, and whether it exists already. Default: created, named after the app. */
    repository?: AppRepositorySource;
    /** The app's pipeline inputs, and the version it pins. Default: the platform's. */
    pipeline?: AppPipelineSettings;
}

/** What an app may set about its pipeline (see `PipelineCallerArgs`), plus the version it pins. */
export type AppPipelineSettings = Omit<AppPipelineArgs, "workflow" | "registryKind"> & {
    /** Tag or commit SHA of the pipeline this app calls. Default: `github.pipeline.ref`. */
    ref?: string;
};

/** Where the pipeline is, for other stacks and repositories that call it. */
export interface PipelineReference {
    /** `owner/name/.github/workflows/build.yml`. */
    workflow: string;
    /** The version callers pin; undefined outside the shared stack when no ref is configured. */
    ref?: string;
    registryKind: RegistryKind;
}

export interface PlatformGitHubArgs {
    settings: GitHubSettings;
    /** This stack's environment. */
    environment: string;
    /** The GitOps repository (name, in `settings.owner`) and the branch Argo CD follows. */
    gitops: { repository: string; branch: string };
    teams: GitHubTeam[];
    apps: GitHubApp[];
    /** This environment's Argo CD: its hostname (none: no webhook), deploy key and webhook secret. */
    argocd: {
        hostname?: string;
        deployPublicKey: pulumi.Input<string>;
        webhookSecret?: pulumi.Input<string>;
    };
    /** Environments in promotion order. Default: dev, staging, prod. */
    promotionOrder?: string[];
    /**
     * Files of this environment's that every stack keeps in the GitOps repository, enforced: the apps'
     * platform Components `apps/<app>/platform/<env>/` (components/apps). Default: none.
     */
    environmentFiles?: RepositoryFileSpec[];
}

/** Whether this stack declares the shared GitHub objects. */
export function declaresSharedObjects(
    settings: Pick<GitHubSettings, "sharedStack">,
    environment: string,
): boolean {
    return settings.sharedStack === environment;
}

/** The apps as the GitOps repository sees them, with namespaces and team slugs resolved. Pure. */
export function gitopsApps(teams: GitHubTeam[], apps: GitHubApp[]): GitOpsApp[] {
    const byName = new Map(teams.map((team) => [team.name, team]));
    return apps.map((app) => {
        const team = byName.get(app.team);
        if (!team) throw new Error(`app ${app.name}: team ${app.team} is not configured`);
        return {
            name: app.name,
            team: team.name,
            githubTeam: team.githubTeam ?? team.name,
            namespace: app.namespace ?? team.namespaces?.[0] ?? team.name,
            port: app.port,
            ...(app.canary ? { canary: app.canary } : {}),
        };
    });
}

/** What the render summary should flag about this stack's GitHub side (the webhook is the platform's). Pure. */
export function gitHubWarnings(args: Pick<PlatformGitHubArgs, "settings" | "environment">): string[] {
    const protection = args.settings.environmentProtection;
    const reviewers = (protection.reviewerTeamIds?.length ?? 0) + (protection.reviewerUserIds?.length ?? 0);
    return args.environment === "prod" && reviewers === 0
        ? [
              "github.environmentProtection has no reviewers: anyone with write access to the GitOps repository can run prod's rollback",
          ]
        : [];
}

/**
 * The platform's GitHub side for one environment. Every stack declares its environment's access to the
 * GitOps repository; the stack named by `settings.sharedStack` also declares the shared objects.
 */
export class PlatformGitHub extends pulumi.ComponentResource {
    /** Whether this stack declares the shared objects. */
    public readonly declaresShared: boolean;
    /** Name of the GitOps repository. */
    public readonly gitopsRepositoryName: pulumi.Output<string>;
    /** Problems worth a warning in the render summary. */
    public readonly warnings: string[];
    /** The reusable pipeline and the version callers pin. */
    public readonly pipeline: pulumi.Output<PipelineReference>;

    constructor(name: string, args: PlatformGitHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:PlatformGitHub", name, {}, opts);
        const { settings } = args;
        const promotionOrder = args.promotionOrder ?? [...defaultPromotionOrder];
        this.declaresShared = declaresSharedObjects(settings, args.environment);
        this.warnings = gitHubWarnings(args);

        // In the owning stack, the repository Output makes every child wait for the repository.
        let repository: pulumi.Input<string> = args.gitops.repository;
        const workflow = pipelineWorkflowPath(settings.owner, settings.pipeline.repository);
        let pipelineRef: pulumi.Input<string | undefined> = settings.pipeline.ref;
        if (this.declaresShared) {
            const pulumiActor = pulumiBypassActor(settings.app);
            const apps = gitopsApps(args.teams, args.apps);
            const gitops = new GitOpsRepository(
                `${name}-gitops`,
                {
                    owner: settings.owner,
                    repositoryName: args.gitops.repository,
                    branch: args.gitops.branch,
                    apps,
                    teams: args.teams.map((team) => team.githubTeam ?? team.name),
                    requiredApprovals: settings.requiredApprovals,
                    promotionOrder,
                    pulumiActor,
                },
                { parent: this },
            );
            repository = gitops.repositoryName;

            const pipelineRepository = new PipelineRepository(
                `${name}-pipeline`,
                {
                    owner: settings.owner,
                    repositoryName: settings.pipeline.repository,
                    registry: settings.registry,
                    gitopsRepository: `${settings.owner}/${args.gitops.repository}`,
                    gitopsBranch: args.gitops.branch,
                    deployEnvironment: promotionOrder[0],
                    defaults: settings.pipeline.defaults,
                    requiredApprovals: settings.requiredApprovals,
                    pulumiActor,
                },
                { parent: this },
            );
            // Unless a release is pinned, callers pin the commit Pulumi wrote the workflow in.
            const defaultRef = settings.pipeline.ref ?? pipelineRepository.workflowCommitSha;
            pipelineRef = defaultRef;

            // Organisation-wide settings, once, not per repository.
            const variables: [string, string, string][] = [
                ["registry", orgVariables.registry, imagePrefix(settings.registry)],
                [
                    "gitops-repository",
                    orgVariables.gitopsRepository,
                    `${settings.owner}/${args.gitops.repository}`,
                ],
                ["gitops-branch", orgVariables.gitopsBranch, args.gitops.branch],
            ];
            for (const [slug, variableName, value] of variables) {
                new github.ActionsOrganizationVariable(
                    `${name}-var-${slug}`,
                    { variableName, value, visibility: "all" },
                    { parent: this },
                );
            }

            apps.forEach((app, index) => {
                const { ref, ...pipeline } = args.apps[index].pipeline ?? {};
                new AppRepository(
                    `${name}-app-${app.name}`,
                    {
                        owner: settings.owner,
                        app: app.name,
                        team: app.githubTeam ?? app.team,
                        gitopsRepository: repository,
                        repository: args.apps[index].repository,
                        pipeline: {
                            ...pipeline,
                            workflow: pulumi.interpolate`${workflow}@${ref ?? defaultRef}`,
                            registryKind: settings.registry.kind,
                        },
                        requiredApprovals: settings.requiredApprovals,
                        pulumiActor,
                    },
                    { parent: this },
                );
            });
        }

        for (const file of args.environmentFiles ?? []) {
            commitFile(
                `${name}-${fileSlug(file.path)}`,
                { repository, branch: args.gitops.branch, file: { ...file, seed: false } },
                this,
            );
        }

        new EnvironmentAccess(
            `${name}-${args.environment}`,
            {
                repository,
                environment: args.environment,
                branch: args.gitops.branch,
                argoCdPublicKey: args.argocd.deployPublicKey,
                webhook:
                    args.argocd.hostname && args.argocd.webhookSecret !== undefined
                        ? { hostname: args.argocd.hostname, secret: args.argocd.webhookSecret }
                        : undefined,
                protection: settings.environmentProtection,
            },
            { parent: this },
        );

        this.gitopsRepositoryName = pulumi.output(repository);
        this.pipeline = pulumi
            .output(pipelineRef)
            .apply((ref) => ({ workflow, ...(ref ? { ref } : {}), registryKind: settings.registry.kind }));
        this.registerOutputs({ gitopsRepositoryName: this.gitopsRepositoryName, pipeline: this.pipeline });
    }
}
