import { strict as assert } from "node:assert";
import { argocdHaAndAdminDisabledInProd as policy } from "../../../policy/policies/argocd-ha-and-admin-disabled-in-prod";
import { argoCdRelease, helmRelease, set, unset } from "../baselines";
import { applies, check, messages } from "../check";

describe("policy argocd-ha-and-admin-disabled-in-prod", () => {
    it("passes the compliant baseline in prod, and runs on it but not on other charts", async () => {
        assert.deepEqual(await messages(policy, [argoCdRelease()]), []);
        assert.ok(await applies(policy, argoCdRelease()));
        assert.equal(await applies(policy, helmRelease()), false);
    });

    it("reports a single Redis", async () => {
        const found = await messages(policy, [
            set(argoCdRelease(), ["values", "redis-ha", "enabled"], false),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /single Redis/);
    });

    it("reports too few server or repo-server replicas, unless autoscaled", async () => {
        const release = () => set(argoCdRelease(), "values.server.replicas", 1);
        assert.match((await messages(policy, [release()])).join(), /1 server replica/);
        assert.match(
            (await messages(policy, [unset(argoCdRelease(), "values.repoServer")])).join(),
            /1 repoServer replica/,
        );
        const autoscaled = set(release(), "values.server.autoscaling", { enabled: true, minReplicas: 2 });
        assert.deepEqual(await messages(policy, [autoscaled]), []);
    });

    it("reports the local admin account, enabled or left at the chart default", async () => {
        assert.match(
            (
                await messages(policy, [
                    set(argoCdRelease(), ["values", "configs", "cm", "admin.enabled"], true),
                ])
            ).join(),
            /keeps the local admin account/,
        );
        assert.match(
            (
                await messages(policy, [unset(argoCdRelease(), ["values", "configs", "cm", "admin.enabled"])])
            ).join(),
            /keeps the local admin account/,
        );
    });

    it("does not apply outside prod", async () => {
        const report = await check(policy, [set(argoCdRelease(), ["values", "redis-ha", "enabled"], false)], {
            environment: "dev",
        });
        assert.deepEqual(report.violations, []);
    });
});
