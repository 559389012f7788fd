import { strict as assert } from "node:assert";
import { argocdApplicationTargetRevisionPinned as policy } from "../../../policy/policies/argocd-application-target-revision-pinned";
import { appOfApps, application, applicationSet, set, unset, rootChildPath } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-application-target-revision-pinned", () => {
    it("passes the compliant baselines (branch, exact chart version, templated path), and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, appOfApps()));
    });

    it("accepts tags and commit SHAs for Git", async () => {
        for (const revision of ["v1.2.3", "release/2024-10", "0123456789abcdef0123456789abcdef01234567"]) {
            assert.deepEqual(
                await messages(policy, [set(application(), "spec.source.targetRevision", revision)]),
                [],
            );
        }
    });

    for (const [revision, expected] of [
        ["HEAD", /HEAD/],
        ["*", /wildcard or range/],
        [">=1.0.0", /wildcard or range/],
        ["1.2.x", /wildcard or range/],
    ] as const) {
        it(`reports the Git revision ${revision}`, async () => {
            const found = await messages(policy, [
                set(application(), "spec.source.targetRevision", revision),
            ]);
            assert.equal(found.length, 1);
            assert.match(found[0], expected);
        });
    }

    it("reports a Git source without targetRevision (HEAD)", async () => {
        assert.match(
            (await messages(policy, [unset(application(), "spec.source.targetRevision")])).join(),
            /follows HEAD/,
        );
    });

    for (const revision of ["2.*", "^2.0.0", "~2.0", "", "latest", "2.0"]) {
        it(`reports the chart version "${revision}"`, async () => {
            const found = await messages(policy, [set(appOfApps(), "spec.source.targetRevision", revision)]);
            assert.equal(found.length, 1, found.join("\n"));
            assert.match(found[0], /chart argocd-apps/);
        });
    }

    it("checks every source of a multi-source Application, and app-of-apps children", async () => {
        const multi = unset(application(), "spec.source");
        set(multi, "spec.sources", [
            { repoURL: "https://charts.example.com", chart: "web", targetRevision: "1.0.0" },
            { repoURL: "git@github.com:acme/gitops.git", targetRevision: "HEAD", ref: "values" },
        ]);
        const root = set(appOfApps(), rootChildPath("source", "targetRevision"), "*");
        const found = await messages(policy, [multi, root]);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.join("\n"), /source #1/);
        assert.match(found.join("\n"), /child Application platform-manifests/);
    });

    it("reports an ApplicationSet git generator following HEAD", async () => {
        const found = await messages(policy, [
            set(applicationSet(), ["spec", "generators", 0, "git", "revision"], "HEAD"),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /git generator/);
    });
});
