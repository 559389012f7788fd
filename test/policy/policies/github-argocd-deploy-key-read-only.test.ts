import { strict as assert } from "node:assert";
import { githubArgocdDeployKeyReadOnly as policy } from "../../../policy/policies/github-argocd-deploy-key-read-only";
import { deployKey, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy github-argocd-deploy-key-read-only", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [deployKey()]), []);
        assert.ok(await applies(policy, deployKey()));
    });

    it("reports a read-write Argo CD key", async () => {
        const found = await messages(policy, [set(deployKey(), "readOnly", false)]);
        assert.equal(found.length, 1);
        assert.match(found[0], /Deploy key "argocd-prod" is read-write/);
    });

    it("reports an Argo CD key that relies on the provider's default", async () => {
        assert.match(
            (await messages(policy, [unset(deployKey(), "readOnly")])).join(),
            /not explicitly read-only/,
        );
    });

    it("leaves other keys (CI, rollback) alone", async () => {
        const ci = set(set(deployKey(), "title", "ci-checkout"), "readOnly", false);
        ci.name = "checkout-ci-key";
        assert.equal(await applies(policy, ci), false);
    });
});
