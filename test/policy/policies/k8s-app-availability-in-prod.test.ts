import { strict as assert } from "node:assert";
import { k8sAppAvailabilityInProd as policy } from "../../../policy/policies/k8s-app-availability-in-prod";
import { types, type TestResource } from "../baselines";
import { applies, messages } from "../check";

const labels = { app: "checkout" };
const deployment = (replicas?: number) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "checkout" },
    spec: {
        ...(replicas !== undefined ? { replicas } : {}),
        template: { metadata: { labels }, spec: { containers: [{ name: "checkout" }] } },
    },
});
const pdb = {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "checkout" },
    spec: { selector: { matchLabels: labels }, maxUnavailable: 1 },
};
const hpa = (minReplicas: number) => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "checkout" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "checkout" },
        minReplicas,
        maxReplicas: 5,
    },
});

function file(objects: unknown[], path = "apps/checkout/platform/prod/manifests.yaml"): TestResource {
    return {
        type: types.repositoryFile,
        name: "gitops-apps-checkout-platform-prod-manifests",
        inputs: {
            repository: "gitops",
            file: path,
            content: objects.map((o) => JSON.stringify(o)).join("\n---\n"),
        },
    };
}

describe("policy k8s-app-availability-in-prod", () => {
    it("passes a prod app with 2+ replicas and a budget, or an autoscaler from 2, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [file([deployment(3), pdb])]), []);
        assert.deepEqual(await messages(policy, [file([deployment(), hpa(2), pdb])]), []);
        assert.ok(await applies(policy, file([deployment(3), pdb])));
    });

    it("reports one replica, an autoscaler down to one, and no budget", async () => {
        assert.match(
            (await messages(policy, [file([deployment(1), pdb])])).join(),
            /Deployment\/checkout runs 1 replica, fewer than 2/,
        );
        assert.match(
            (await messages(policy, [file([deployment(), pdb])])).join(),
            /runs 1 replica/,
            "no replicas means 1",
        );
        assert.match(
            (await messages(policy, [file([deployment(), hpa(1), pdb])])).join(),
            /runs an autoscaler down to 1 replica/,
        );
        const unbudgeted = await messages(policy, [file([deployment(3)])]);
        assert.equal(unbudgeted.length, 1);
        assert.match(unbudgeted[0], /has no PodDisruptionBudget over its pods/);
        const elsewhere = { ...pdb, spec: { ...pdb.spec, selector: { matchLabels: { app: "ledger" } } } };
        assert.match(
            (await messages(policy, [file([deployment(3), elsewhere])])).join(),
            /no PodDisruptionBudget/,
        );
    });

    it("checks Rollouts and seeded bases too, and honours minReplicas", async () => {
        const rollout = { ...deployment(2), apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" };
        assert.deepEqual(
            await messages(policy, [file([rollout, pdb], "apps/checkout/base/manifests.yaml")]),
            [],
        );
        assert.match(
            (await messages(policy, [file([rollout, pdb])], { minReplicas: 3 })).join(),
            /Rollout\/checkout runs 2 replicas, fewer than 3/,
        );
    });

    it("leaves other environments' Components, other environments and other files alone", async () => {
        assert.equal(
            await applies(policy, file([deployment(1)], "apps/checkout/platform/dev/manifests.yaml")),
            false,
        );
        assert.equal(await applies(policy, file([deployment(1)]), { environment: "dev" }), false);
        assert.equal(
            await applies(policy, file([deployment(1)], "apps/checkout/platform/prod/kustomization.yaml")),
            false,
        );
    });
});
