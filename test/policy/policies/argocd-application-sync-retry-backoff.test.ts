import { strict as assert } from "node:assert";
import { argocdApplicationSyncRetryBackoff as policy } from "../../../policy/policies/argocd-application-sync-retry-backoff";
import { appOfApps, application, applicationSet, set, unset } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-application-sync-retry-backoff", () => {
    it("passes the compliant baselines, and runs on them", async () => {
        assert.deepEqual(await messages(policy, [application(), appOfApps(), applicationSet()]), []);
        assert.ok(await applies(policy, applicationSet()));
    });

    it("reports an Application without retry", async () => {
        const found = await messages(policy, [unset(application(), "spec.syncPolicy.retry")]);
        assert.equal(found.length, 1);
        assert.match(found[0], /has no syncPolicy.retry/);
    });

    it("reports a limit below the minimum, and unlimited retries", async () => {
        assert.match(
            (await messages(policy, [set(application(), "spec.syncPolicy.retry.limit", 1)])).join(),
            /below 2/,
        );
        assert.match(
            (await messages(policy, [set(application(), "spec.syncPolicy.retry.limit", -1)])).join(),
            /forever/,
        );
        assert.deepEqual(
            await messages(policy, [set(application(), "spec.syncPolicy.retry.limit", 1)], { minLimit: 1 }),
            [],
        );
    });

    it("reports a missing or non-exponential backoff", async () => {
        assert.match(
            (await messages(policy, [unset(application(), "spec.syncPolicy.retry.backoff")])).join(),
            /no retry.backoff/,
        );
        assert.match(
            (await messages(policy, [set(application(), "spec.syncPolicy.retry.backoff.factor", 1)])).join(),
            /factor 1 is below 2/,
        );
        assert.match(
            (
                await messages(policy, [
                    set(application(), "spec.syncPolicy.retry.backoff.maxDuration", "soon"),
                ])
            ).join(),
            /maxDuration is not a duration/,
        );
    });
});
