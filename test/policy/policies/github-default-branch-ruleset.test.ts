import { strict as assert } from "node:assert";
import { githubDefaultBranchRuleset as policy } from "../../../policy/policies/github-default-branch-ruleset";
import { globMatches } from "../../../policy/lib/github";
import { repository, ruleset, set, types, unset } from "../baselines";
import { check, messages } from "../check";

describe("policy github-default-branch-ruleset", () => {
    it("passes the compliant baseline", async () => {
        assert.deepEqual(
            await messages(policy, [repository(), ruleset()], { requireDeletionRule: true }),
            [],
        );
    });

    it("is not applicable without repositories", async () => {
        assert.ok((await check(policy, [])).notApplicable.some((na) => na.policy === policy.name));
    });

    it("reports a repository without any ruleset, at its URN", async () => {
        const report = await check(policy, [repository()]);
        assert.equal(report.violations.length, 1);
        assert.match(report.violations[0].message, /no active branch ruleset covers it at all/);
        assert.equal(report.violations[0].resource, `${types.repository}::repo-checkout`);
    });

    it("reports a ruleset without the pull request or force-push rule", async () => {
        const noPr = await messages(policy, [repository(), unset(ruleset(), "rules.pullRequest")]);
        assert.match(noPr.join(), /a pull request rule/);
        const noFf = await messages(policy, [repository(), set(ruleset(), "rules.nonFastForward", false)]);
        assert.match(noFf.join(), /non-fast-forward/);
    });

    it("ignores rulesets that are evaluate-only, on other branches or for other repositories", async () => {
        for (const broken of [
            set(ruleset(), "enforcement", "evaluate"),
            set(ruleset(), "conditions.refName.includes", ["refs/heads/release/*"]),
            set(ruleset(), "conditions.refName.excludes", ["~DEFAULT_BRANCH"]),
            set(ruleset(), "target", "tag"),
            set(set(ruleset(), "repository", "other"), "name", "other"),
        ]) {
            if (broken.inputs.repository === "other") broken.opts = {};
            assert.equal(
                (await messages(policy, [repository(), broken])).length,
                1,
                JSON.stringify(broken.inputs),
            );
        }
    });

    it("follows the default branch, and accepts rules split across rulesets", async () => {
        const repo = set(repository(), "defaultBranch", "trunk");
        const pr = set(unset(ruleset(), "rules.nonFastForward"), "conditions.refName.includes", [
            "refs/heads/trunk",
        ]);
        const ff = set(unset(ruleset(), "rules.pullRequest"), "conditions.refName.includes", [
            "refs/heads/trunk",
        ]);
        ff.name = "second";
        assert.deepEqual(await messages(policy, [repo, pr, ff]), []);
        const branch = {
            type: types.branchDefault,
            name: "checkout-default",
            inputs: { repository: "checkout", branch: "develop" },
        };
        assert.equal((await messages(policy, [repo, pr, ff, branch])).length, 1);
    });

    it("accepts an organization ruleset that selects the repository", async () => {
        const org = {
            type: types.orgRuleset,
            name: "org-default-branch",
            inputs: {
                ...ruleset().inputs,
                repository: undefined,
                conditions: {
                    refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] },
                    repositoryName: { includes: ["check*"], excludes: [] },
                },
            },
        };
        assert.deepEqual(await messages(policy, [repository(), org]), []);
        assert.equal((await messages(policy, [repository("web"), org])).length, 1);
    });

    it("honours the minApprovals and requireDeletionRule knobs", async () => {
        const weak = set(
            unset(ruleset(), "rules.deletion"),
            "rules.pullRequest.requiredApprovingReviewCount",
            0,
        );
        assert.deepEqual(await messages(policy, [repository(), weak]), []);
        assert.match(
            (await messages(policy, [repository(), weak], { minApprovals: 1 })).join(),
            /1 approval/,
        );
        assert.match(
            (await messages(policy, [repository(), weak], { requireDeletionRule: true })).join(),
            /deletion rule/,
        );
    });

    it("matches ref globs the way GitHub does", () => {
        assert.ok(globMatches("refs/heads/*", "refs/heads/main"));
        assert.ok(!globMatches("refs/heads/*", "refs/heads/release/1"));
        assert.ok(globMatches("refs/heads/**", "refs/heads/release/1"));
    });
});
