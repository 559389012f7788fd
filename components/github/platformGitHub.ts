import type { CanaryConfig } from "../addons/rollouts/canary";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AppRepository } from "./appRepository";
import { defaultPromotionOrder, orgVariables } from "./conventions";
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
    /** Container registry host images are pushed to, e.g. `ghcr.io`. */
    registry: string;
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

    constructor(name: string, args: PlatformGitHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:PlatformGitHub", name, {}, opts);
        const { settings } = args;
        const promotionOrder = args.promotionOrder ?? [...defaultPromotionOrder];
        this.declaresShared = declaresSharedObjects(settings, args.environment);
        this.warnings = gitHubWarnings(args);

        // In the owning stack, the repository Output makes every child wait for the repository.
        let repository: pulumi.Input<string> = args.gitops.repository;
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

            // Organisation-wide settings, once, not per repository.
            const variables: [string, string, string][] = [
                ["registry", orgVariables.registry, settings.registry],
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

            for (const app of apps) {
                new AppRepository(
                    `${name}-app-${app.name}`,
                    {
                        owner: settings.owner,
                        app: app.name,
                        team: app.githubTeam ?? app.team,
                        gitopsRepository: repository,
                        deployEnvironment: promotionOrder[0],
                        requiredApprovals: settings.requiredApprovals,
                        pulumiActor,
                    },
                    { parent: this },
                );
            }
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
        this.registerOutputs({ gitopsRepositoryName: this.gitopsRepositoryName });
    }
}
