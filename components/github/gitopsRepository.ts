import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { appSeedFiles, commitFile, type GitOpsApp, type RepositoryFileSpec } from "./appSeed";
import {
    defaultPromotionOrder,
    deployCommitTitle,
    requiredChecks,
    seedHeader,
    workflowPath,
} from "./conventions";
import {
    branchRuleset,
    codeowners,
    deployKeysBypass,
    pulumiBypassActor,
    repositorySettings,
    type BypassActor,
} from "./repository";
import { promoteWorkflow, rollbackWorkflow, validateWorkflow, workflowYaml } from "./workflows";
import { platformChartFiles, platformChartPath } from "../applications/platformChart";

export interface GitOpsRepositoryArgs {
    /** GitHub organisation that owns the repository. */
    owner: string;
    /** Repository name. Default: `gitops`. */
    repositoryName?: string;
    /** Branch Argo CD follows; the ruleset protects it. Default: `main`. */
    branch?: string;
    /** Apps whose `apps/<app>/base/` is seeded and whose directory their team owns. Default: none. */
    apps?: GitOpsApp[];
    /** GitHub team slugs given push access, to open and review promotion PRs. Default: the apps' teams. */
    teams?: string[];
    /** Approving reviews a pull request needs. Default: `1`. */
    requiredApprovals?: number;
    /** Environments in promotion order, for `promote.yml` and `rollback.yml`. Default: dev, staging, prod. */
    promotionOrder?: string[];
    /** The identity Pulumi commits as, which bypasses the ruleset. Default: organisation admins. */
    pulumiActor?: BypassActor;
    /** `protect` the repository, so Pulumi never deletes it. Default: `true`: every environment depends on it. */
    protect?: boolean;
}

/**
 * README of the GitOps repository: its layout and how changes flow. `workflows: false` (a Git server other
 * than GitHub) describes what your own CI must do instead of the platform's GitHub workflows. Pure.
 */
export function gitopsReadme(args: {
    owner: string;
    repository: string;
    promotionOrder: readonly string[];
    /** Whether the platform's GitHub workflows run here. Default: `true`. */
    workflows?: boolean;
}): string {
    const [first, ...rest] = args.promotionOrder;
    const layout = [
        "```",
        "apps/<app>/base/              the team's own manifests for every environment (seeded once by Pulumi)",
        "apps/<app>/platform/<env>/    the app's template for <env>: a kustomize Component (managed by Pulumi)",
        ...args.promotionOrder.map(
            (env) =>
                `apps/<app>/overlays/${env.padEnd(8)}  what ${env} runs: base + platform/${env} + the image tag (created by the pipeline)`,
        ),
        `platform/<env>/               cluster-wide manifests of an environment (synced recursively)`,
        `${platformChartPath}/               renders the platform's Argo CD Applications (managed by Pulumi)`,
        "```",
    ];
    if (args.workflows === false) {
        return [
            `<!-- ${seedHeader} -->`,
            `# ${args.repository}`,
            "",
            "Desired state of every environment. Argo CD in each environment follows this repository's",
            "default branch; your Git server's push webhook (or polling) tells it about new commits.",
            "",
            ...layout,
            "",
            `- **Deploy**: your CI builds an app's image and commits \`${deployCommitTitle("<app>", first, "<sha>")}\`,`,
            `  which points \`apps/<app>/overlays/${first}/kustomization.yaml\` at the new image`,
            "  (`kustomize edit set image <app>=<registry>/<app>:<sha>`).",
            ...rest.map(
                (env) =>
                    `- **${env}**: a merge request copies the image tag from the previous environment's overlay.`,
            ),
            "- **Rollback**: revert the deploy commit; Argo CD syncs the previous revision.",
            "",
        ].join("\n");
    }
    return [
        `<!-- ${seedHeader} -->`,
        `# ${args.owner}/${args.repository}`,
        "",
        "Desired state of every environment. Argo CD in each environment follows this repository's default",
        "branch; a push notifies it through a webhook.",
        "",
        ...layout,
        "",
        `- **${first}**: every push to an app's main branch builds an image and commits`,
        `  \`${deployCommitTitle("<app>", first, "<sha>")}\` here, pushed with the app's own deploy key.`,
        ...rest.map(
            (env) =>
                `- **${env}**: run the \`promote\` workflow (app, \`${env}\`); it opens a pull request that copies the tag.`,
        ),
        "- **Rollback**: run the `rollback` workflow (app, environment); it reverts the last deploy commit.",
        "",
        "Workflows and CODEOWNERS are enforced by Pulumi; everything else belongs to Git.",
        "",
    ].join("\n");
}

/** `platform/<env>/README.md`: what belongs in the directory the environment's root Application syncs. */
export function platformDirectoryReadme(environment: string): string {
    return [
        `# platform/${environment}`,
        "",
        `Cluster-wide manifests for ${environment} that no add-on or app owns (quotas, network policies, …).`,
        `Argo CD's \`platform-manifests\` Application (project \`platform\`) syncs every YAML file below this`,
        "directory, recursively. Changes go through pull requests like everything else in this repository.",
        "",
    ].join("\n");
}

/** Every file Pulumi commits to the GitOps repository. Pure apart from the kx-built workload Outputs. */
export function gitopsRepositoryFiles(args: GitOpsRepositoryArgs): RepositoryFileSpec[] {
    const repository = args.repositoryName ?? "gitops";
    const branch = args.branch ?? "main";
    const promotionOrder = args.promotionOrder ?? [...defaultPromotionOrder];
    const apps = args.apps ?? [];
    const files: RepositoryFileSpec[] = [
        {
            path: "README.md",
            content: gitopsReadme({ owner: args.owner, repository, promotionOrder }),
            seed: true,
        },
        {
            path: ".github/CODEOWNERS",
            content: codeowners(
                args.owner,
                apps.map((app) => [`/apps/${app.name}/`, app.githubTeam ?? app.team]),
            ),
            seed: false,
        },
        {
            path: workflowPath("validate.yml"),
            content: workflowYaml(validateWorkflow({ branch })),
            seed: false,
        },
        {
            path: workflowPath("promote.yml"),
            content: workflowYaml(promoteWorkflow({ branch, promotionOrder })),
            seed: false,
        },
        {
            path: workflowPath("rollback.yml"),
            content: workflowYaml(rollbackWorkflow({ branch, promotionOrder })),
            seed: false,
        },
    ];
    // Each environment's app-of-apps root reads platform/<env>/: it must exist before Argo CD first syncs.
    for (const environment of promotionOrder) {
        files.push({
            path: `platform/${environment}/README.md`,
            content: platformDirectoryReadme(environment),
            seed: true,
        });
    }
    // The root Application renders its children with this chart: enforced, like the workflows.
    for (const file of platformChartFiles()) files.push({ ...file, seed: false });
    for (const app of apps) files.push(...appSeedFiles(app));
    return files;
}

/**
 * The GitOps repository's files for a Git server other than GitHub (bring your own Git), as the seed
 * command writes them: the same app bases, `platform/<env>/` directories and platform chart as
 * `gitopsRepositoryFiles`, without GitHub's CODEOWNERS and workflows, and a README that says what your
 * own CI does instead. Pure apart from the kx-built workload Outputs.
 */
export function portableGitopsRepositoryFiles(
    args: Pick<GitOpsRepositoryArgs, "repositoryName" | "branch" | "promotionOrder" | "apps">,
): RepositoryFileSpec[] {
    const repository = args.repositoryName ?? "gitops";
    const promotionOrder = args.promotionOrder ?? [...defaultPromotionOrder];
    return gitopsRepositoryFiles({ ...args, owner: "" })
        .filter((file) => !file.path.startsWith(".github/"))
        .map((file) =>
            file.path === "README.md"
                ? {
                      ...file,
                      content: gitopsReadme({ owner: "", repository, promotionOrder, workflows: false }),
                  }
                : file,
        );
}

/** A resource-name-safe slug of a file path: `apps/checkout/base/manifests.yaml` → `apps-checkout-base-manifests`. */
export function fileSlug(path: string): string {
    return path
        .replace(/^\.github\//, "")
        .replace(/\.(ya?ml|md)$/, "")
        .replace(/[^A-Za-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .toLowerCase();
}

/**
 * The GitOps repository: settings, the ruleset on the branch Argo CD follows, team access, seed files
 * (created once, then owned by Git) and enforced workflows. Declared by one stack only (see docs/github.md).
 */
export class GitOpsRepository extends pulumi.ComponentResource {
    /** Repository name, e.g. `gitops`. */
    public readonly repositoryName: pulumi.Output<string>;
    /** `owner/name`. */
    public readonly fullName: pulumi.Output<string>;
    /** SSH clone URL. */
    public readonly sshCloneUrl: pulumi.Output<string>;
    /** The repository, for `dependsOn`. */
    public readonly repository: github.Repository;

    constructor(name: string, args: GitOpsRepositoryArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:GitOpsRepository", name, {}, opts);
        const repositoryName = args.repositoryName ?? "gitops";
        const branch = args.branch ?? "main";
        const apps = args.apps ?? [];

        this.repository = new github.Repository(
            `${name}-repo`,
            repositorySettings({
                name: repositoryName,
                description:
                    "Desired state of every environment, reconciled by Argo CD (managed by gitops-platform)",
                topics: ["gitops", "gitops-platform"],
            }),
            { parent: this, protect: args.protect ?? true },
        );
        const repository = this.repository.name;

        const teams = args.teams ?? [...new Set(apps.map((app) => app.githubTeam ?? app.team))];
        for (const team of teams) {
            new github.TeamRepository(
                `${name}-team-${team}`,
                { repository, teamId: team, permission: "push" },
                { parent: this },
            );
        }

        const enforced: github.RepositoryFile[] = [];
        for (const file of gitopsRepositoryFiles(args)) {
            const resource = commitFile(`${name}-${fileSlug(file.path)}`, { repository, branch, file }, this);
            if (!file.seed) enforced.push(resource);
        }

        new github.RepositoryRuleset(
            `${name}-ruleset`,
            {
                repository,
                ...branchRuleset({
                    name: `${branch} via pull request`,
                    branch,
                    requiredApprovals: args.requiredApprovals ?? 1,
                    requiredChecks: [requiredChecks.gitops],
                    requireCodeOwnerReview: true,
                    // CI write keys push dev image bumps straight to the branch; people go through PRs.
                    bypassActors: [deployKeysBypass, args.pulumiActor ?? pulumiBypassActor()],
                }),
            },
            // Created after the enforced files, so the first commits never need the bypass.
            { parent: this, dependsOn: enforced },
        );

        this.repositoryName = repository;
        this.fullName = this.repository.fullName;
        this.sshCloneUrl = this.repository.sshCloneUrl;
        this.registerOutputs({
            repositoryName: this.repositoryName,
            fullName: this.fullName,
            sshCloneUrl: this.sshCloneUrl,
        });
    }
}
