import { enforcedHeader, gitHubActionsAppId } from "./conventions";

/**
 * Pure builders for the settings every platform repository shares: repository settings, the ruleset on
 * its default branch, and CODEOWNERS. The components pass their results straight to the GitHub provider.
 */

/** Who may bypass a ruleset. */
export type BypassActor =
    | { actorType: "DeployKey"; bypassMode: "always" }
    | { actorType: "OrganizationAdmin"; bypassMode: "always" }
    | { actorType: "Integration"; actorId: number; bypassMode: "always" };

/**
 * The identity Pulumi commits enforced files as, which must bypass the ruleset it creates: the GitHub App
 * when the provider authenticates as one, otherwise organisation admins (the token's owner is one, as
 * organisation Actions variables require).
 */
export function pulumiBypassActor(app?: { id: number }): BypassActor {
    return app
        ? { actorType: "Integration", actorId: app.id, bypassMode: "always" }
        : { actorType: "OrganizationAdmin", bypassMode: "always" };
}

/** Every deploy key with write access on the repository: the CI keys that push dev image bumps. */
export const deployKeysBypass: BypassActor = { actorType: "DeployKey", bypassMode: "always" };

export interface RepositorySettingsArgs {
    name: string;
    description: string;
    topics?: string[];
    /** Default: `false`; the GitOps repo tracks work elsewhere. */
    hasIssues?: boolean;
}

/**
 * Settings of every platform repository: private, squash merge only (the PR title becomes the commit
 * title, which `rollback.yml` relies on), head branches deleted on merge, vulnerability alerts on, an
 * initial commit so files can be committed, and archived rather than deleted on destroy.
 */
export function repositorySettings(args: RepositorySettingsArgs) {
    return {
        name: args.name,
        description: args.description,
        visibility: "private",
        autoInit: true,
        archiveOnDestroy: true,
        hasIssues: args.hasIssues ?? false,
        hasProjects: false,
        hasWiki: false,
        allowSquashMerge: true,
        allowMergeCommit: false,
        allowRebaseMerge: false,
        allowAutoMerge: false,
        allowUpdateBranch: true,
        deleteBranchOnMerge: true,
        squashMergeCommitTitle: "PR_TITLE",
        squashMergeCommitMessage: "PR_BODY",
        // The repository field, not the separate RepositoryVulnerabilityAlerts resource: that would cost
        // one more resource (and API call) per app repository.
        vulnerabilityAlerts: true,
        topics: [...(args.topics ?? [])],
    };
}

/** Visibility of a repository the platform adopts: `internal` exists on GitHub Enterprise only. */
export type RepositoryVisibility = "private" | "internal";

/**
 * The settings the platform enforces on a repository it adopts (`apps[].repository.existing`), which
 * Pulumi imports by name: its visibility (private or internal, as the policy pack requires), squash merges
 * allowed (the ruleset merges pull requests by squash) and vulnerability alerts on. No create-only field
 * (`autoInit`, `template`, `archiveOnDestroy`): the repository exists, and destroy never touches it
 * (`retainOnDelete`). Everything else stays as the repository has it: see `adoptedRepositoryIgnoreChanges`.
 */
export function adoptedRepositorySettings(args: { name: string; visibility?: RepositoryVisibility }) {
    return {
        name: args.name,
        visibility: args.visibility ?? "private",
        allowSquashMerge: true,
        vulnerabilityAlerts: true,
    };
}

/**
 * Repository properties an adopted repository keeps as they are. The GitHub provider sends every property on
 * an update, an unset one as its default (merge commits on, issues off, an empty description, …); ignoring
 * them makes Pulumi send the values it imported instead, so `pulumi up` changes only what
 * `adoptedRepositorySettings` declares.
 */
export const adoptedRepositoryIgnoreChanges = [
    "description",
    "homepageUrl",
    "topics",
    "hasIssues",
    "hasDiscussions",
    "hasProjects",
    "hasDownloads",
    "hasWiki",
    "isTemplate",
    "allowMergeCommit",
    "allowRebaseMerge",
    "allowAutoMerge",
    "allowUpdateBranch",
    "allowForking",
    "mergeCommitTitle",
    "mergeCommitMessage",
    "squashMergeCommitTitle",
    "squashMergeCommitMessage",
    "deleteBranchOnMerge",
    "webCommitSignoffRequired",
    "archived",
    "pages",
    "securityAndAnalysis",
    "template",
    "autoInit",
    "licenseTemplate",
    "gitignoreTemplate",
    "archiveOnDestroy",
] as const;

export interface BranchRulesetArgs {
    /** Ruleset name. */
    name: string;
    /** `~DEFAULT_BRANCH`, or a branch name. */
    branch: string;
    /** Approving reviews a pull request needs. */
    requiredApprovals: number;
    /** Status checks (job names of GitHub Actions workflows) that must pass. */
    requiredChecks: string[];
    /** Require the code owners' approval for the paths they own. */
    requireCodeOwnerReview: boolean;
    bypassActors: BypassActor[];
}

/**
 * A ruleset on one branch: changes go through a squash-merged pull request with the required reviews and
 * checks (none: no status check rule); no force pushes, no deletion. Required checks must come from GitHub Actions.
 */
export function branchRuleset(args: BranchRulesetArgs) {
    if (!Number.isInteger(args.requiredApprovals) || args.requiredApprovals < 0) {
        throw new Error(
            `ruleset ${args.name}: requiredApprovals must be a whole number, got ${args.requiredApprovals}`,
        );
    }
    return {
        name: args.name,
        target: "branch",
        enforcement: "active",
        conditions: {
            refName: {
                includes: [args.branch.startsWith("~") ? args.branch : `refs/heads/${args.branch}`],
                excludes: [],
            },
        },
        bypassActors: args.bypassActors.map((actor) => ({ ...actor })),
        rules: {
            deletion: true,
            nonFastForward: true,
            pullRequest: {
                requiredApprovingReviewCount: args.requiredApprovals,
                dismissStaleReviewsOnPush: true,
                requireCodeOwnerReview: args.requireCodeOwnerReview,
                requireLastPushApproval: false,
                requiredReviewThreadResolution: false,
                allowedMergeMethods: ["squash"],
            },
            ...(args.requiredChecks.length > 0
                ? {
                      requiredStatusChecks: {
                          strictRequiredStatusChecksPolicy: false,
                          requiredChecks: args.requiredChecks.map((context) => ({
                              context,
                              integrationId: gitHubActionsAppId,
                          })),
                      },
                  }
                : {}),
        },
    };
}

/** A `@owner/team` reference in CODEOWNERS. */
export function teamHandle(owner: string, team: string): string {
    return `@${owner}/${team}`;
}

/** CODEOWNERS from `[pattern, team]` lines, with the enforced-file header. */
export function codeowners(owner: string, lines: [pattern: string, team: string][]): string {
    return [
        `# ${enforcedHeader}`,
        "# Ownership comes from the platform config (apps and teams).",
        ...lines.map(([pattern, team]) => `${pattern} ${teamHandle(owner, team)}`),
        "",
    ].join("\n");
}
