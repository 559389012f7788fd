import { strict as assert } from "node:assert";
import { argocdApplicationNoCascadeFinalizerInProd as policy } from "../../../policy/policies/argocd-application-no-cascade-finalizer-in-prod";
import { appOfApps, application, applicationSet, set, rootChildPath } from "../baselines";
import { applies, check, messages } from "../check";

const finalizer = "resources-finalizer.argocd.argoproj.io";

describe("policy argocd-application-no-cascade-finalizer-in-prod", () => {
    it("passes the compliant baselines in prod, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, application()));
    });

    it("reports the resources finalizer (and its foreground variant) in prod", async () => {
        const found = await messages(policy, [
            set(application(), "metadata.finalizers", [finalizer]),
            set(applicationSet(), "spec.template.metadata.finalizers", [`${finalizer}/foreground`]),
            set(appOfApps(), rootChildPath("finalizers"), [finalizer]),
        ]);
        assert.equal(found.length, 3, found.join("\n"));
        assert.match(found.join("\n"), /deleting it deletes everything it deployed/);
    });

    it("reports an ApplicationSet that does not preserve resources, unless the knob is off", async () => {
        const appSet = () => set(applicationSet(), "spec.syncPolicy.preserveResourcesOnDeletion", false);
        assert.match((await messages(policy, [appSet()])).join(), /does not preserve resources/);
        assert.deepEqual(
            await messages(policy, [appSet()], { requirePreserveResourcesOnDeletion: false }),
            [],
        );
    });

    it("does not apply outside prod", async () => {
        const report = await check(policy, [set(application(), "metadata.finalizers", [finalizer])], {
            environment: "dev",
        });
        assert.deepEqual(report.violations, []);
        assert.ok(report.notApplicable.some((na) => /only applies in prod/.test(na.reason ?? "")));
    });
});
