import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { appKeyTitle, deployKeySecret, requiredChecks, workflowPath } from "./conventions";
import type { RegistryKind } from "./registry";
import {
    adoptedRepositoryIgnoreChanges,
    adoptedRepositorySettings,
    branchRuleset,
    codeowners,
    pulumiBypassActor,
    repositorySettings,
    type BypassActor,
    type RepositoryVisibility,
} from "./repository";
import {
    pipelineCallerFile,
    pipelineCallerWorkflow,
    workflowYaml,
    type PipelineCallerArgs,
} from "./workflows";

/** An app's repository: created by the platform, or an existing one it adopts. */
export interface AppRepositorySource {
    /** Repository name; may differ from the app name. Default: the app name. */
    name?: string;
    /**
     * The repository exists: Pulumi imports it (its name is the import ID) instead of creating it, never
     * deletes or archives it (`retainOnDelete`), changes only `adoptedRepositorySettings`, writes no
     * CODEOWNERS, and never overwrites a file it did not write. Default: `false`.
     */
    existing?: boolean;
    /** Default branch, which builds and deploys. Default: `main`. */
    branch?: string;
    /** Visibility of an existing repository (a created one is private). Default: `private`. */
    visibility?: RepositoryVisibility;
}

/** The app's caller of the platform pipeline: which version it calls, and the app's own inputs. */
export type AppPipelineArgs = Omit<PipelineCallerArgs, "app" | "branch" | "workflow" | "registryKind"> & {
    /** `owner/name/.github/workflows/build.yml@<ref>` of the reusable workflow (a tag or commit SHA). */
    workflow: pulumi.Input<string>;
    /** The platform's registry kind (the platform stack's `pipeline.registryKind` output). */
    registryKind: pulumi.Input<RegistryKind>;
    /**
     * Commit the caller file `.github/workflows/gitops-platform.yml`. `false`: the repository's own workflow
     * calls the pipeline in a job named `pipeline` (see docs/pipeline.md). Default: `true`.
     */
    callerFile?: boolean;
};

export interface AppRepositoryArgs {
    /** GitHub organisation that owns the repositories. */
    owner: string;
    /** App name: names the overlays in the GitOps repository, the deploy key and, by default, the repository. */
    app: string;
    /** GitHub team slug that owns the app: push access and CODEOWNERS. */
    team: string;
    /** Name of the GitOps repository the app's pipeline pushes image bumps to. */
    gitopsRepository: pulumi.Input<string>;
    /** The repository: its name, whether it exists already, its branch. Default: created, named after the app. */
    repository?: AppRepositorySource;
    /** The pipeline the repository calls. */
    pipeline: AppPipelineArgs;
    /** Approving reviews a pull request needs. Default: `1`. */
    requiredApprovals?: number;
    /** The identity Pulumi commits as, which bypasses the ruleset. Default: organisation admins. */
    pulumiActor?: BypassActor;
    /** `protect` the repository, so Pulumi never deletes it. Default: `true`. */
    protect?: boolean;
}

/** `CODEOWNERS` of an app repository: the owning team owns everything. Pure. */
export function appCodeowners(owner: string, team: string): string {
    return codeowners(owner, [["*", team]]);
}

/** The repository's name: `repository.name`, or the app's. Pure. */
export function appRepositoryName(args: Pick<AppRepositoryArgs, "app" | "repository">): string {
    return args.repository?.name ?? args.app;
}

/** The caller file's YAML, for a resolved workflow reference and registry kind. Pure. */
export function appCallerYaml(args: AppRepositoryArgs, workflow: string, registryKind: RegistryKind): string {
    const at = workflow.lastIndexOf("@");
    const ref = workflow.slice(at + 1);
    return workflowYaml(
        // The caller reads the inputs it knows; callerFile is the component's own switch.
        pipelineCallerWorkflow({
            ...args.pipeline,
            app: args.app,
            branch: args.repository?.branch,
            workflow,
            registryKind,
        }),
        { [workflow]: /^[0-9a-f]{40}$/.test(ref) ? "gitops-platform pipeline" : ref },
    );
}

/**
 * One app's repository with a ruleset, its team's access, the caller of the platform pipeline, and the app's
 * own write deploy key on the GitOps repository, whose private half is an Actions secret of the app
 * repository. One key per app, so access is revocable per app.
 *
 * A created repository is private, gets the platform's settings and an enforced CODEOWNERS. An existing one
 * (`repository.existing`) is adopted: imported by name, kept on destroy, its own settings, CODEOWNERS and
 * workflows left alone; the caller goes into a file of its own, `.github/workflows/gitops-platform.yml`,
 * which Pulumi refuses to write over a file already there.
 */
export class AppRepository extends pulumi.ComponentResource {
    /** Repository name. */
    public readonly repositoryName: pulumi.Output<string>;
    /** `owner/name`. */
    public readonly fullName: pulumi.Output<string>;
    /** Public half of the app's write deploy key on the GitOps repository. */
    public readonly deployPublicKey: pulumi.Output<string>;

    constructor(name: string, args: AppRepositoryArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:AppRepository", name, {}, opts);
        const branch = args.repository?.branch ?? "main";
        const existing = args.repository?.existing ?? false;
        const repositoryName = appRepositoryName(args);

        const repo = existing
            ? new github.Repository(
                  `${name}-repo`,
                  adoptedRepositorySettings({
                      name: repositoryName,
                      visibility: args.repository?.visibility,
                  }),
                  {
                      parent: this,
                      import: repositoryName,
                      retainOnDelete: true,
                      protect: args.protect ?? true,
                      ignoreChanges: [...adoptedRepositoryIgnoreChanges],
                  },
              )
            : new github.Repository(
                  `${name}-repo`,
                  repositorySettings({
                      name: repositoryName,
                      description: `${args.app}: built, tested and deployed by the platform pipeline (managed by gitops-platform)`,
                      topics: ["gitops-platform", `team-${args.team}`],
                      hasIssues: true,
                  }),
                  { parent: this, protect: args.protect ?? true },
              );
        const repository = repo.name;

        new github.TeamRepository(
            `${name}-team`,
            { repository, teamId: args.team, permission: "push" },
            { parent: this },
        );

        const files: github.RepositoryFile[] = [];
        // An adopted repository keeps its own CODEOWNERS (or none).
        if (!existing) {
            files.push(
                new github.RepositoryFile(
                    `${name}-codeowners`,
                    {
                        repository,
                        branch,
                        file: ".github/CODEOWNERS",
                        content: appCodeowners(args.owner, args.team),
                        commitMessage: "chore(platform): update .github/CODEOWNERS",
                        overwriteOnCreate: true,
                    },
                    // Enforced: no ignoreChanges, so every `pulumi up` puts the platform's version back.
                    { parent: this },
                ),
            );
        }
        if (args.pipeline.callerFile ?? true) {
            const path = workflowPath(pipelineCallerFile);
            files.push(
                new github.RepositoryFile(
                    `${name}-pipeline`,
                    {
                        repository,
                        branch,
                        file: path,
                        content: pulumi
                            .all([args.pipeline.workflow, args.pipeline.registryKind])
                            .apply(([workflow, kind]) => appCallerYaml(args, workflow, kind)),
                        commitMessage: `chore(platform): update ${path}`,
                        // In a repository the platform did not create, a file already at this path is not
                        // the platform's: creating fails rather than overwrite it.
                        overwriteOnCreate: !existing,
                    },
                    { parent: this },
                ),
            );
        }

        new github.RepositoryRuleset(
            `${name}-ruleset`,
            {
                repository,
                ...branchRuleset({
                    name: `${branch} via pull request`,
                    branch: "~DEFAULT_BRANCH",
                    requiredApprovals: args.requiredApprovals ?? 1,
                    requiredChecks: [requiredChecks.app],
                    requireCodeOwnerReview: true,
                    bypassActors: [args.pulumiActor ?? pulumiBypassActor()],
                }),
            },
            { parent: this, dependsOn: files },
        );

        const key = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
        new github.RepositoryDeployKey(
            `${name}-gitops-key`,
            {
                repository: args.gitopsRepository,
                title: appKeyTitle(args.app),
                key: key.publicKeyOpenssh.apply((k) => k.trim()),
                readOnly: false,
            },
            { parent: this },
        );
        new github.ActionsSecret(
            `${name}-deploy-key-secret`,
            { repository, secretName: deployKeySecret, value: pulumi.secret(key.privateKeyOpenssh) },
            { parent: this },
        );

        this.repositoryName = repository;
        this.fullName = repo.fullName;
        this.deployPublicKey = key.publicKeyOpenssh;
        this.registerOutputs({
            repositoryName: this.repositoryName,
            fullName: this.fullName,
            deployPublicKey: this.deployPublicKey,
        });
    }
}
