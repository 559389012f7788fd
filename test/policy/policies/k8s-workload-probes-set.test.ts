import { strict as assert } from "node:assert";
import { k8sWorkloadProbesSet as policy } from "../../../policy/policies/k8s-workload-probes-set";
import { deployment, seededManifest, types, unset } from "../baselines";
import { applies, messages } from "../check";

const container = ["spec", "template", "spec", "containers", 0];

describe("policy k8s-workload-probes-set", () => {
    it("passes the compliant baseline (init containers need no probes), and runs on it", async () => {
        assert.deepEqual(await messages(policy, [deployment()]), []);
        assert.ok(await applies(policy, deployment()));
    });

    it("reports missing readiness and liveness probes", async () => {
        const found = await messages(policy, [
            unset(unset(deployment(), [...container, "readinessProbe"]), [...container, "livenessProbe"]),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /container web has no readinessProbe or livenessProbe/);
    });

    it("honours the knobs", async () => {
        const noLiveness = unset(deployment(), [...container, "livenessProbe"]);
        assert.equal((await messages(policy, [noLiveness])).length, 1);
        assert.deepEqual(await messages(policy, [noLiveness], { requireLiveness: false }), []);
    });

    it("leaves Jobs alone", async () => {
        const job = {
            type: types.job,
            name: "once",
            inputs: { spec: { template: { spec: { containers: [{ name: "x" }] } } } },
        };
        assert.equal(await applies(policy, job), false);
    });
});

describe("policy k8s-workload-probes-set on seeded manifests", () => {
    it("passes a seeded Rollout with both probes", async () => {
        assert.deepEqual(await messages(policy, [seededManifest()]), []);
    });

    it("reports a seeded workload without a readiness probe", async () => {
        const seed = seededManifest();
        seed.inputs.content = String(seed.inputs.content).replace(/"readinessProbe":\{[^}]*\}\},/, "");
        assert.match(
            (await messages(policy, [seed])).join(),
            /Rollout\/checkout container checkout has no readinessProbe/,
        );
    });
});
