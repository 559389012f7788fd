import { strict as assert } from "node:assert";
import { argocdClusterRegisteredOnce as policy } from "../../../policy/policies/argocd-cluster-registered-once";
import { clusterSecret } from "../baselines";
import { check, messages } from "../check";

describe("policy argocd-cluster-registered-once", () => {
    it("passes distinct clusters", async () => {
        assert.deepEqual(
            await messages(policy, [
                clusterSecret("prod-eu"),
                clusterSecret("prod-us", "https://prod-us.k8s.example.com"),
            ]),
            [],
        );
    });

    it("is not applicable to a stack without cluster Secrets", async () => {
        const report = await check(policy, []);
        assert.ok(report.notApplicable.some((na) => na.policy === policy.name));
    });

    it("reports one server registered under two names", async () => {
        const found = await messages(policy, [clusterSecret("prod-eu"), clusterSecret("prod-eu-again")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /Cluster server https:\/\/prod-eu\.k8s\.example\.com is registered by both/);
    });

    it("reports one name on two servers", async () => {
        const moved = {
            ...clusterSecret("prod-eu", "https://other.example.com"),
            name: "spokes-prod-eu-moved",
        };
        const found = await messages(policy, [clusterSecret("prod-eu"), moved]);
        assert.match(found.join(), /Cluster name prod-eu is registered by both/);
    });
});
