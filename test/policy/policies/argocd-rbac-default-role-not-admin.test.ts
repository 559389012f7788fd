import { strict as assert } from "node:assert";
import { argocdRbacDefaultRoleNotAdmin as policy } from "../../../policy/policies/argocd-rbac-default-role-not-admin";
import { argoCdRelease, configMap, set, types } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-rbac-default-role-not-admin", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [argoCdRelease(), configMap()]), []);
        assert.ok(await applies(policy, argoCdRelease()));
        assert.equal(await applies(policy, configMap()), false);
    });

    it("reports role:admin as the chart's default role", async () => {
        const found = await messages(policy, [
            set(argoCdRelease(), ["values", "configs", "rbac", "policy.default"], "role:admin"),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /makes role:admin the default role/);
    });

    it("reports role:admin in a Pulumi-managed argocd-rbac-cm", async () => {
        const cm = {
            type: types.configMap,
            name: "rbac",
            inputs: {
                metadata: { name: "argocd-rbac-cm", namespace: "argocd" },
                data: { "policy.default": "role:admin" },
            },
        };
        assert.match((await messages(policy, [cm])).join(), /ConfigMap argocd-rbac-cm/);
    });
});
