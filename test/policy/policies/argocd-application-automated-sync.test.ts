import { strict as assert } from "node:assert";
import { argocdApplicationAutomatedSync as policy } from "../../../policy/policies/argocd-application-automated-sync";
import { appOfApps, application, applicationSet, set, unset, rootChildPath } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-application-automated-sync", () => {
    it("passes the compliant baselines, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, application()));
    });

    it("reports an Application without automated sync", async () => {
        const found = await messages(policy, [unset(application(), "spec.syncPolicy.automated")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /has no automated sync/);
    });

    it("reports automated sync that Argo CD 3 disables with enabled: false", async () => {
        const found = await messages(policy, [
            set(application(), "spec.syncPolicy.automated.enabled", false),
        ]);
        assert.match(found.join(), /has no automated sync/);
    });

    it("reports a missing selfHeal, unless the env does not require it", async () => {
        const app = () => set(application(), "spec.syncPolicy.automated.selfHeal", false);
        assert.match((await messages(policy, [app()])).join(), /without selfHeal/);
        assert.deepEqual(await messages(policy, [app()], { requireSelfHeal: false }), []);
    });

    it("reports a missing prune only when required", async () => {
        const app = () => set(application(), "spec.syncPolicy.automated.prune", false);
        assert.deepEqual(await messages(policy, [app()]), []);
        assert.match((await messages(policy, [app()], { requirePrune: true })).join(), /without prune/);
    });

    it("checks ApplicationSet templates and app-of-apps children", async () => {
        const appSet = unset(applicationSet(), "spec.template.spec.syncPolicy.automated");
        const root = unset(appOfApps(), rootChildPath("syncPolicy", "automated"));
        assert.equal((await messages(policy, [appSet, root])).length, 2);
    });
});
