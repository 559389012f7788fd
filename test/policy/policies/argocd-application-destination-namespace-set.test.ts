import { strict as assert } from "node:assert";
import { argocdApplicationDestinationNamespaceSet as policy } from "../../../policy/policies/argocd-application-destination-namespace-set";
import { appOfApps, application, applicationSet, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-application-destination-namespace-set", () => {
    it("passes the compliant baselines, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, application()));
    });

    it("reports a missing destination namespace", async () => {
        const found = await messages(policy, [unset(application(), "spec.destination.namespace")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /has no destination.namespace/);
    });

    it("reports an empty namespace in an ApplicationSet template", async () => {
        const found = await messages(policy, [
            set(applicationSet(), "spec.template.spec.destination.namespace", ""),
        ]);
        assert.match(found.join(), /ApplicationSet payments-prod template has no destination.namespace/);
    });

    it("reports a missing destination, and a destination without a cluster", async () => {
        assert.match(
            (await messages(policy, [unset(application(), "spec.destination")])).join(),
            /has no destination\./,
        );
        assert.match(
            (await messages(policy, [unset(application(), "spec.destination.server")])).join(),
            /names no destination cluster/,
        );
        assert.deepEqual(
            await messages(policy, [
                set(unset(application(), "spec.destination.server"), "spec.destination.name", "hub"),
            ]),
            [],
        );
    });
});
