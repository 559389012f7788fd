import { strict as assert } from "node:assert";
import { argocdApplicationProjectNotDefault as policy } from "../../../policy/policies/argocd-application-project-not-default";
import { appOfApps, application, applicationSet, namespace, set, unset, rootChildPath } from "../baselines";
import { applies, check, messages } from "../check";

describe("policy argocd-application-project-not-default", () => {
    it("passes the compliant baselines, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, application()));
        assert.ok(await applies(policy, applicationSet()));
    });

    it("is not applicable to other types", async () => {
        assert.equal(await applies(policy, namespace()), false);
    });

    it("reports an Application in the default project", async () => {
        const found = await messages(policy, [set(application(), "spec.project", "default")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /Application checkout-prod uses the "default" project/);
        assert.match(found[0], /Fix: /);
    });

    it("reports an empty project, which Argo CD reads as default", async () => {
        const found = await messages(policy, [unset(application(), "spec.project")]);
        assert.match(found.join("\n"), /spec.project is empty/);
    });

    it("reports an ApplicationSet template and an app-of-apps child in the default project", async () => {
        const set1 = set(applicationSet(), "spec.template.spec.project", "default");
        const root = set(appOfApps(), rootChildPath("project"), "default");
        const found = await messages(policy, [set1, root]);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.join("\n"), /ApplicationSet payments-prod template/);
        assert.match(found.join("\n"), /child Application platform-manifests of Application platform-root/);
    });

    it("honours the forbiddenProjects knob", async () => {
        const report = await check(policy, [application()], { forbiddenProjects: ["payments"] });
        assert.equal(report.violations.length, 1);
    });
});
