import { strict as assert } from "node:assert";
import { argocdChartPinned as policy } from "../../../policy/policies/argocd-chart-pinned";
import { argoCdRelease, helmRelease, set } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-chart-pinned", () => {
    it("passes the compliant baseline, and runs on it but not on other charts", async () => {
        assert.deepEqual(await messages(policy, [argoCdRelease()]), []);
        assert.ok(await applies(policy, argoCdRelease()));
        assert.equal(await applies(policy, helmRelease()), false);
    });

    for (const version of [undefined, "", "9.*", "^9.6.0", "latest"]) {
        it(`reports the chart version ${JSON.stringify(version)}`, async () => {
            const found = await messages(policy, [set(argoCdRelease(), "version", version)]);
            assert.equal(found.length, 1, found.join("\n"));
            assert.match(found[0], /The Argo CD release prod-argocd-release has/);
        });
    }

    it("reports a chart from another repository", async () => {
        const found = await messages(policy, [
            set(argoCdRelease(), "repositoryOpts.repo", "http://mirror.example.com/charts"),
        ]);
        assert.match(found.join(), /comes from "http:\/\/mirror.example.com\/charts"/);
    });

    it("accepts the official OCI registry", async () => {
        const release = set(argoCdRelease(), "chart", "oci://ghcr.io/argoproj/argo-helm/argo-cd");
        set(release, "repositoryOpts", {});
        assert.deepEqual(await messages(policy, [release]), []);
    });
});
