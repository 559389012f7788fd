import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { appKeyTitle, deployKeySecret, requiredChecks, workflowPath } from "./conventions";
import {
    branchRuleset,
    codeowners,
    pulumiBypassActor,
    repositorySettings,
    type BypassActor,
} from "./repository";
import { appCiWorkflow, workflowYaml } from "./workflows";

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
    /** Environment every build of `branch` deploys to. Default: `dev`. */
    deployEnvironment?: string;
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

/** The files Pulumi enforces in an app repository, by path. Pure. */
export function appRepositoryFiles(args: AppRepositoryArgs): { path: string; content: string }[] {
    return [
        { path: ".github/CODEOWNERS", content: appCodeowners(args.owner, args.team) },
        {
            path: workflowPath("ci.yml"),
            content: workflowYaml(
                appCiWorkflow({
                    app: args.app,
                    branch: args.branch,
                    deployEnvironment: args.deployEnvironment,
                }),
            ),
        },
    ];
}

/**
 * One app's repository: private, with a ruleset, its team's access, CODEOWNERS and the standard CI
 * workflow (both enforced), plus the app's own write deploy key on the GitOps repository, whose private
 * half is an Actions secret of the app repository. One key per app, so access is revocable per app.
 *
 * Eight resources, seven of them GitHub API objects (the key pair is generated locally). Image name,
 * registry and GitOps repository come from organisation variables, declared once for every app.
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
        const branch = args.branch ?? "main";

        const repo = new github.Repository(
            `${name}-repo`,
            repositorySettings({
                name: args.app,
                description: `${args.app}: built, tested and deployed by the standard pipeline (managed by gitops-platform)`,
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

        const files = appRepositoryFiles(args).map(
            (file) =>
                new github.RepositoryFile(
                    `${name}-${file.path.endsWith("ci.yml") ? "ci" : "codeowners"}`,
                    {
                        repository,
                        branch,
                        file: file.path,
                        content: file.content,
                        commitMessage: `chore(platform): update ${file.path}`,
                        overwriteOnCreate: true,
                    },
                    // Enforced: no ignoreChanges, so every `pulumi up` puts the platform's version back.
                    { parent: this },
                ),
        );

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
