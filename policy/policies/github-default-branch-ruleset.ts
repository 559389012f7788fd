import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
    globMatches,
    refPatternsCover,
    repositoriesOf,
    repositoryOf,
    type RepositoryView,
} from "../lib/github";
import type { PackStackPolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import {
    at,
    isObj,
    isTrue,
    known,
    num,
    obj,
    str,
    strings,
    unknown,
    violation,
    type Obj,
} from "../lib/values";

interface Config {
    minApprovals?: number;
    requireDeletionRule?: boolean;
}

/** What the stack says about each repository's default branch, gathered in one pass over its resources. */
interface BranchProtection {
    /** The branch a BranchDefault sets, by repository. */
    defaultBranches: Map<RepositoryView, string>;
    /** Props of each repository's own rulesets. */
    repositoryRulesets: Map<RepositoryView, Obj[]>;
    /** Props of every organization ruleset. */
    organizationRulesets: Obj[];
}

function branchProtection(resources: PolicyResource[], repos: RepositoryView[]): BranchProtection {
    const found: BranchProtection = {
        defaultBranches: new Map(),
        repositoryRulesets: new Map(),
        organizationRulesets: [],
    };
    for (const resource of resources) {
        if (resource.type === githubTypes.organizationRuleset) {
            found.organizationRulesets.push(resource.props);
            continue;
        }
        if (resource.type !== githubTypes.repositoryRuleset && resource.type !== githubTypes.branchDefault)
            continue;
        const repo = repositoryOf(resource, repos);
        if (!repo) continue;
        if (resource.type === githubTypes.repositoryRuleset) {
            found.repositoryRulesets.set(repo, [
                ...(found.repositoryRulesets.get(repo) ?? []),
                resource.props,
            ]);
        } else if (!found.defaultBranches.has(repo)) {
            const branch = known(() => str(resource.props.branch));
            if (branch !== unknown && branch) found.defaultBranches.set(repo, branch);
        }
    }
    return found;
}

/** The default branch of a repository: a BranchDefault for it, its deprecated `defaultBranch`, or `main`. */
function defaultBranchOf(repo: RepositoryView, protection: BranchProtection): string {
    const set = protection.defaultBranches.get(repo);
    if (set) return set;
    const declared = known(() => str(repo.resource.props.defaultBranch));
    return declared !== unknown && declared ? declared : "main";
}

/** Whether an organization ruleset's repository-name condition selects the repository. */
function selectsRepository(props: Obj, name: string): boolean {
    const condition = obj(at(props, "conditions", "repositoryName"));
    const includes = strings(condition.includes);
    const excludes = strings(condition.excludes);
    const matches = (pattern: string): boolean => pattern === "~ALL" || globMatches(pattern, name);
    return includes.some(matches) && !excludes.some(matches);
}

/** Rules of an active branch ruleset that covers the default branch, or undefined when it does not apply. */
function rulesIfCovering(props: Obj, branch: string): Obj | undefined {
    if (str(props.target) !== "branch" || str(props.enforcement) !== "active") return undefined;
    const refName = obj(at(props, "conditions", "refName"));
    if (!refPatternsCover(strings(refName.includes), branch)) return undefined;
    if (refPatternsCover(strings(refName.excludes), branch)) return undefined;
    return obj(props.rules);
}

/**
 * Nobody pushes to, force-pushes over or (in strict envs) deletes a repository's default branch: every
 * change is a reviewed pull request. The ruleset may sit on the repository or on the organization.
 */
export const githubDefaultBranchRuleset: PackStackPolicy = {
    name: "github-default-branch-ruleset",
    description:
        "Every GitHub repository has an active ruleset on its default branch that requires pull requests and blocks force pushes.",
    severity: "high",
    remediationSteps:
        'Add a RepositoryRuleset with target "branch", enforcement "active", conditions.refName.includes ' +
        '["~DEFAULT_BRANCH"], and rules { pullRequest: {...}, nonFastForward: true, deletion: true }. Automation that ' +
        "must push directly (e.g. the dev image bump) gets a bypass actor rather than a weaker ruleset.",
    configSchema: {
        properties: {
            minApprovals: {
                type: "integer",
                minimum: 0,
                default: 0,
                description: "Fewest approving reviews the pull request rule must require.",
            },
            requireDeletionRule: {
                type: "boolean",
                default: false,
                description: "Also require the rule that blocks deleting the default branch.",
            },
        },
    },
    validateStack: (args: StackValidationArgs, report) => {
        const config = args.getConfig<Config>();
        const minApprovals = config.minApprovals ?? 0;
        const repos = repositoriesOf(args.resources);
        if (repos.length === 0) args.notApplicable("the stack declares no repositories");
        // One pass over the stack, not one per repository: a platform has a repository per app.
        const protection = branchProtection(args.resources, repos);
        for (const repo of repos) {
            if (isTrue(known(() => repo.resource.props.archived))) continue;
            const branch = defaultBranchOf(repo, protection);
            const rules = [
                ...(protection.repositoryRulesets.get(repo) ?? []),
                ...protection.organizationRulesets.filter((props) => selectsRepository(props, repo.name)),
            ]
                .map((props) => rulesIfCovering(props, branch))
                .filter((rules): rules is Obj => rules !== undefined);
            const missing: string[] = [];
            const pullRequests = rules.map((r) => r.pullRequest).filter(isObj);
            if (pullRequests.length === 0) missing.push("a pull request rule");
            else if (
                !pullRequests.some((pr) => (num(pr.requiredApprovingReviewCount) ?? 0) >= minApprovals)
            ) {
                missing.push(`a pull request rule requiring ${minApprovals} approval(s)`);
            }
            if (!rules.some((r) => isTrue(r.nonFastForward)))
                missing.push("the non-fast-forward (force push) rule");
            if (config.requireDeletionRule && !rules.some((r) => isTrue(r.deletion)))
                missing.push("the deletion rule");
            if (missing.length > 0) {
                report(
                    violation(
                        `Repository ${repo.name}: no active ruleset on its default branch (${branch}) has ${missing.join(", ")}` +
                            `${rules.length === 0 ? " (no active branch ruleset covers it at all)" : ""}.`,
                        'add a RepositoryRuleset on ["~DEFAULT_BRANCH"] with pullRequest and nonFastForward rules, enforcement "active".',
                    ),
                    repo.resource.urn,
                );
            }
        }
    },
};
