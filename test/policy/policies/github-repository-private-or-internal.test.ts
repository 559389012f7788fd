import { strict as assert } from "node:assert";
import { githubRepositoryPrivateOrInternal as policy } from "../../../policy/policies/github-repository-private-or-internal";
import { repository, ruleset, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy github-repository-private-or-internal", () => {
    it("passes the compliant baseline (private, or internal), and runs on it", async () => {
        assert.deepEqual(
            await messages(policy, [repository(), set(repository("web"), "visibility", "internal")]),
            [],
        );
        assert.ok(await applies(policy, repository()));
        assert.equal(await applies(policy, ruleset()), false);
    });

    it("reports a public repository", async () => {
        const found = await messages(policy, [set(repository(), "visibility", "public")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /Repository checkout is public/);
    });

    it("reports a repository with no visibility (GitHub's default is public)", async () => {
        assert.match(
            (await messages(policy, [unset(repository(), "visibility")])).join(),
            /public \(no visibility set\)/,
        );
    });

    it("accepts the deprecated private flag, and exempt repositories", async () => {
        assert.deepEqual(
            await messages(policy, [set(unset(repository(), "visibility"), "private", true)]),
            [],
        );
        const docs = set(repository("docs"), "visibility", "public");
        assert.deepEqual(await messages(policy, [docs], { exemptRepositories: ["docs"] }), []);
    });
});
