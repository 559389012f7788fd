import { strict as assert } from "node:assert";
import { k8sWorkloadResourcesSet as policy } from "../../../policy/policies/k8s-workload-resources-set";
import { deployment, namespace, seededManifest, unset } from "../baselines";
import { applies, messages } from "../check";

const container = ["spec", "template", "spec", "containers", 0];

describe("policy k8s-workload-resources-set", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [deployment()]), []);
        assert.ok(await applies(policy, deployment()));
        assert.equal(await applies(policy, namespace()), false);
    });

    it("reports a container without resources", async () => {
        const found = await messages(policy, [unset(deployment(), [...container, "resources"])]);
        assert.equal(found.length, 1);
        assert.match(
            found[0],
            /container web sets no resources requests.cpu, requests.memory, limits.memory/,
        );
    });

    it("reports a missing memory limit on an init container", async () => {
        const found = await messages(policy, [
            unset(deployment(), ["spec", "template", "spec", "initContainers", 0, "resources", "limits"]),
        ]);
        assert.match(found.join(), /init container migrate sets no resources limits.memory/);
    });

    it("requires a CPU limit only when configured", async () => {
        assert.equal((await messages(policy, [deployment()], { requireCpuLimit: true })).length, 2);
    });
});

describe("policy k8s-workload-resources-set on seeded manifests", () => {
    it("checks the workloads in a seeded manifest file, and nothing else in the repository", async () => {
        assert.deepEqual(await messages(policy, [seededManifest()]), []);
        assert.ok(await applies(policy, seededManifest()));
        const readme = { ...seededManifest(), inputs: { file: "README.md", content: "# gitops" } };
        assert.equal(await applies(policy, readme), false);
    });

    it("reports a seeded Rollout without resources, naming the file and the object", async () => {
        const seed = seededManifest();
        seed.inputs.content = String(seed.inputs.content).replace(
            /"resources":\{[^}]*\},"limits":\{[^}]*\}\},/,
            "",
        );
        const found = await messages(policy, [seed]);
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(
            found[0],
            /apps\/checkout\/base\/manifests\.yaml Rollout\/checkout container checkout sets no resources/,
        );
    });
});
