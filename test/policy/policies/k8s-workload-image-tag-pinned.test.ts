import { strict as assert } from "node:assert";
import { k8sWorkloadImageTagPinned as policy } from "../../../policy/policies/k8s-workload-image-tag-pinned";
import { parseImage } from "../../../policy/lib/workloads";
import { configMap, deployment, set, types } from "../baselines";
import { applies, messages } from "../check";

const image = ["spec", "template", "spec", "containers", 0, "image"];

describe("policy k8s-workload-image-tag-pinned", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [deployment()]), []);
        assert.ok(await applies(policy, deployment()));
        assert.equal(await applies(policy, configMap()), false);
    });

    it("parses registry ports, tags and digests", () => {
        assert.deepEqual(parseImage("registry:5000/team/app"), {
            repository: "registry:5000/team/app",
            digest: undefined,
        });
        assert.deepEqual(parseImage("registry:5000/app:1.0"), {
            repository: "registry:5000/app",
            tag: "1.0",
            digest: undefined,
        });
        assert.equal(parseImage("app:1.0@sha256:abc").digest, "sha256:abc");
    });

    it("reports latest and untagged images", async () => {
        const found = await messages(policy, [
            set(deployment(), image, "ghcr.io/acme/web:latest"),
            set(deployment(), image, "registry:5000/acme/web"),
        ]);
        assert.equal(found.length, 2);
        assert.match(found.join("\n"), /moving tag latest/);
        assert.match(found.join("\n"), /has no tag/);
    });

    it("checks init containers and CronJob pod templates", async () => {
        const cron = {
            type: types.cronJob,
            name: "nightly",
            inputs: {
                spec: {
                    jobTemplate: {
                        spec: { template: { spec: { containers: [{ name: "job", image: "busybox" }] } } },
                    },
                },
            },
        };
        const init = set(
            deployment(),
            ["spec", "template", "spec", "initContainers", 0, "image"],
            "migrate:latest",
        );
        const found = await messages(policy, [cron, init]);
        assert.equal(found.length, 2, found.join("\n"));
        assert.match(found.join("\n"), /init container migrate/);
    });

    it("accepts digests, and requires them when configured", async () => {
        const pinned = set(deployment(), image, "ghcr.io/acme/web@sha256:0123");
        assert.deepEqual(await messages(policy, [pinned]), []);
        assert.equal((await messages(policy, [deployment()], { requireDigest: true })).length, 2);
    });
});
