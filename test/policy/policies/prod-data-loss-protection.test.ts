import { strict as assert } from "node:assert";
import { prodDataLossProtection as policy } from "../../../policy/policies/prod-data-loss-protection";
import { argoCdRelease, helmRelease, namespace, repository, set, types } from "../baselines";
import { check, messages } from "../check";

describe("policy prod-data-loss-protection", () => {
    it("passes the compliant baselines in prod", async () => {
        assert.deepEqual(
            await messages(policy, [repository(), namespace(), argoCdRelease(), helmRelease()]),
            [],
        );
    });

    it("reports a repository that is neither protected nor archived on destroy", async () => {
        const repo = set(repository(), "archiveOnDestroy", false);
        repo.opts = { protect: false };
        const report = await check(policy, [repo]);
        assert.equal(report.violations.length, 1);
        assert.match(report.violations[0].message, /Repository checkout is neither protected nor archived/);
        assert.equal(report.violations[0].resource, `${types.repository}::repo-checkout`);
        // Either guard is enough.
        assert.deepEqual(await messages(policy, [{ ...repo, opts: { protect: true } }]), []);
        assert.deepEqual(await messages(policy, [set(repository(), "archiveOnDestroy", true)]), []);
    });

    it("reports a namespace retained on delete but not protected: policies cannot see retainOnDelete", async () => {
        const ns = namespace();
        ns.opts = { protect: false, retainOnDelete: true };
        assert.match((await messages(policy, [ns])).join(), /Namespace payments is not protected/);
    });

    it("reports an unprotected CRD, and an argo-cd release that drops its CRDs", async () => {
        const crd = {
            type: types.crd,
            name: "apps-crd",
            inputs: { metadata: { name: "applications.argoproj.io" } },
        };
        const release = set(argoCdRelease(), "values.crds.keep", false);
        const found = await messages(policy, [crd, release]);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.join("\n"), /CustomResourceDefinition applications.argoproj.io/);
        assert.match(found.join("\n"), /does not keep them/);
        assert.deepEqual(await messages(policy, [{ ...release, opts: { protect: true } }]), []);
    });

    it("does not apply outside prod", async () => {
        const report = await check(policy, [set(repository(), "archiveOnDestroy", false)], {
            environment: "staging",
        });
        assert.deepEqual(report.violations, []);
        assert.ok(report.notApplicable.some((na) => /only applies in prod/.test(na.reason ?? "")));
    });
});
