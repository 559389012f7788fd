import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { commitFile } from "./appSeed";
import { seedHeader, workflowPath } from "./conventions";
import { branchRuleset, pulumiBypassActor, repositorySettings, type BypassActor } from "./repository";
import {
    pipelineCallerFile,
    pipelineWorkflow,
    pipelineWorkflowFile,
    workflowYaml,
    type PipelineWorkflowArgs,
} from "./workflows";

export interface PipelineRepositoryArgs extends PipelineWorkflowArgs {
    /** GitHub organisation that owns the repository. */
    owner: string;
    /** Repository name. Default: `platform-pipeline`. */
    repositoryName?: string;
    /** Branch the workflow is committed to. Default: `main`. */
    branch?: string;
    /** Approving reviews a pull request needs. Default: `1`. */
    requiredApprovals?: number;
    /** The identity Pulumi commits as, which bypasses the ruleset. Default: organisation admins. */
    pulumiActor?: BypassActor;
    /** `protect` the repository: every app's pipeline calls it. Default: `true`. */
    protect?: boolean;
}

/** `owner/name/.github/workflows/build.yml`: what callers put before `@<ref>`. Pure. */
export function pipelineWorkflowPath(owner: string, repository: string): string {
    return `${owner}/${repository}/${workflowPath(pipelineWorkflowFile)}`;
}

/** README of the pipeline repository: how versions are made and pinned. Pure. */
export function pipelineReadme(owner: string, repository: string): string {
    const path = pipelineWorkflowPath(owner, repository);
    return [
        `<!-- ${seedHeader} -->`,
        `# ${owner}/${repository}`,
        "",
        "The platform's CI/CD pipeline, as a reusable workflow every app repository calls. Pulumi enforces",
        `\`${workflowPath(pipelineWorkflowFile)}\` on the default branch: that is the next version.`,
        "",
        "Each app repository's `.github/workflows/" +
            pipelineCallerFile +
            "` (also written by Pulumi) pins a version:",
        "",
        "```yaml",
        "jobs:",
        "  pipeline:",
        `    uses: ${path}@<tag or commit SHA>`,
        "```",
        "",
        "- By default callers pin the commit Pulumi last wrote the workflow in: a platform upgrade reaches every",
        "  app in the same `pulumi up`, one line per caller.",
        "- To release deliberately, tag a commit here (`git tag v2.0.0 <sha> && git push origin v2.0.0`) and set",
        "  `github.pipeline.ref: v2.0.0` in the stack config; `apps[].pipeline.ref` pins one app to another version",
        "  first (a canary of the pipeline itself).",
        "",
    ].join("\n");
}

/**
 * The platform's pipeline repository: private, with a ruleset, the reusable workflow (enforced) and a README
 * (seeded), and its Actions access level `organization`, so the app repositories of the organisation may
 * call a workflow in this private repository (GitHub refuses by default).
 */
export class PipelineRepository extends pulumi.ComponentResource {
    /** Repository name. */
    public readonly repositoryName: pulumi.Output<string>;
    /** `owner/name/.github/workflows/build.yml`. */
    public readonly workflowPath: pulumi.Output<string>;
    /** The commit Pulumi last wrote the workflow in: the version callers pin by default. */
    public readonly workflowCommitSha: pulumi.Output<string>;

    constructor(name: string, args: PipelineRepositoryArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:PipelineRepository", name, {}, opts);
        const repositoryName = args.repositoryName ?? "platform-pipeline";
        const branch = args.branch ?? "main";

        const repo = new github.Repository(
            `${name}-repo`,
            repositorySettings({
                name: repositoryName,
                description:
                    "The CI/CD pipeline every app repository calls, as a reusable workflow (managed by gitops-platform)",
                topics: ["gitops-platform"],
            }),
            { parent: this, protect: args.protect ?? true },
        );
        const repository = repo.name;

        // Private and internal repositories share their workflows only when they say so.
        new github.ActionsRepositoryAccessLevel(
            `${name}-access`,
            { repository, accessLevel: "organization" },
            { parent: this },
        );

        const workflow = commitFile(
            `${name}-workflow`,
            {
                repository,
                branch,
                file: {
                    path: workflowPath(pipelineWorkflowFile),
                    content: workflowYaml(pipelineWorkflow(args)),
                    seed: false,
                },
            },
            this,
        );
        const readme = commitFile(
            `${name}-readme`,
            {
                repository,
                branch,
                file: { path: "README.md", content: pipelineReadme(args.owner, repositoryName), seed: true },
            },
            this,
        );

        new github.RepositoryRuleset(
            `${name}-ruleset`,
            {
                repository,
                ...branchRuleset({
                    name: `${branch} via pull request`,
                    branch: "~DEFAULT_BRANCH",
                    requiredApprovals: args.requiredApprovals ?? 1,
                    requiredChecks: [],
                    requireCodeOwnerReview: false,
                    bypassActors: [args.pulumiActor ?? pulumiBypassActor()],
                }),
            },
            { parent: this, dependsOn: [workflow, readme] },
        );

        this.repositoryName = repository;
        this.workflowPath = pulumi.output(pipelineWorkflowPath(args.owner, repositoryName));
        this.workflowCommitSha = workflow.commitSha;
        this.registerOutputs({
            repositoryName: this.repositoryName,
            workflowPath: this.workflowPath,
            workflowCommitSha: this.workflowCommitSha,
        });
    }
}
