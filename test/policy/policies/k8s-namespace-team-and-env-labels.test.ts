import { strict as assert } from "node:assert";
import { labelKeys } from "../../../components/common/labels";
import { k8sNamespaceTeamAndEnvLabels as policy } from "../../../policy/policies/k8s-namespace-team-and-env-labels";
import { namespace, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy k8s-namespace-team-and-env-labels", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [namespace()], { environment: "prod" }), []);
        assert.ok(await applies(policy, namespace()));
    });

    it("defaults to the label keys the platform writes", () => {
        const props = policy.configSchema.properties;
        assert.equal((props.teamLabel as { default: string }).default, labelKeys.team);
        assert.equal((props.environmentLabel as { default: string }).default, labelKeys.environment);
    });

    it("reports a missing team or environment label", async () => {
        const found = await messages(policy, [
            unset(namespace(), ["metadata", "labels", labelKeys.team]),
            unset(namespace("storefront", "storefront"), ["metadata", "labels", labelKeys.environment]),
        ]);
        assert.equal(found.length, 2);
        assert.match(found.join("\n"), /Namespace payments has no gitops-platform\/team label/);
        assert.match(found.join("\n"), /Namespace storefront has no gitops-platform\/environment label/);
    });

    it("reports an environment label that is not the stack's", async () => {
        const found = await messages(policy, [namespace()], { environment: "dev" });
        assert.match(found.join(), /labelled gitops-platform\/environment=prod in the dev stack/);
    });

    it("leaves Kubernetes' own namespaces alone", async () => {
        const system = set(unset(namespace(), "metadata.labels"), "metadata.name", "kube-system");
        assert.equal(await applies(policy, system), false);
    });
});
