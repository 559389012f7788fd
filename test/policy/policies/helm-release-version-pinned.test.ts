import { strict as assert } from "node:assert";
import { helmReleaseVersionPinned as policy } from "../../../policy/policies/helm-release-version-pinned";
import { argoCdRelease, helmRelease, namespace, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy helm-release-version-pinned", () => {
    it("passes the compliant baselines, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [helmRelease(), argoCdRelease()]), []);
        assert.ok(await applies(policy, helmRelease()));
        assert.equal(await applies(policy, namespace()), false);
    });

    for (const version of ["1.16.*", ">=1.16.0", "~1.16", "latest", "1.16"]) {
        it(`reports the version ${version}`, async () => {
            const found = await messages(policy, [set(helmRelease(), "version", version)]);
            assert.equal(found.length, 1);
            assert.match(found[0], /Helm chart cert-manager \(cert-manager\) has version/);
        });
    }

    it("reports a release without a version", async () => {
        assert.match((await messages(policy, [unset(helmRelease(), "version")])).join(), /no version/);
    });

    it("leaves a local chart, pinned by its commit, alone", async () => {
        const local = unset(set(helmRelease(), "chart", "./charts/web"), "version");
        assert.equal(await applies(policy, local), false);
    });
});
