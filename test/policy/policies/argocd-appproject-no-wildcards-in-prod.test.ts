import { strict as assert } from "node:assert";
import { argocdAppprojectNoWildcardsInProd as policy } from "../../../policy/policies/argocd-appproject-no-wildcards-in-prod";
import { application, appProject, set } from "../baselines";
import { applies, check, messages } from "../check";

describe("policy argocd-appproject-no-wildcards-in-prod", () => {
    it("passes the compliant baseline in prod, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [appProject()]), []);
        assert.ok(await applies(policy, appProject()));
        assert.equal(await applies(policy, application()), false);
    });

    it("reports wildcard sourceRepos, but not negations", async () => {
        const found = await messages(policy, [
            set(appProject(), "spec.sourceRepos", ["*", "https://github.com/acme/*"]),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /allows sourceRepos "\*", "https:\/\/github.com\/acme\/\*"/);
        assert.deepEqual(
            await messages(policy, [
                set(appProject(), "spec.sourceRepos", ["git@github.com:acme/gitops.git", "!https://evil/*"]),
            ]),
            [],
        );
    });

    it("reports wildcard destinations and source namespaces", async () => {
        const project = set(appProject(), "spec.destinations", [
            { server: "*", namespace: "payments" },
            { server: "https://kubernetes.default.svc", namespace: "team-*" },
        ]);
        set(project, "spec.sourceNamespaces", ["*"]);
        const found = await messages(policy, [project]);
        assert.equal(found.length, 3, found.join("\n"));
        assert.match(found.join("\n"), /wildcard destination/);
        assert.match(found.join("\n"), /accepts Applications from namespaces \*/);
    });

    it("does not apply outside prod", async () => {
        const report = await check(policy, [set(appProject(), "spec.sourceRepos", ["*"])], {
            environment: "staging",
        });
        assert.deepEqual(report.violations, []);
    });
});
