import { strict as assert } from "node:assert";
import { githubWebhookHttpsWithSecret as policy } from "../../../policy/policies/github-webhook-https-with-secret";
import { repository, set, unset, webhook } from "../baselines";
import { applies, check, messages } from "../check";

describe("policy github-webhook-https-with-secret", () => {
    it("passes the compliant baseline, and runs on it", async () => {
        assert.deepEqual(await messages(policy, [webhook()]), []);
        assert.ok(await applies(policy, webhook()));
        assert.equal(await applies(policy, repository()), false);
    });

    it("reports plain HTTP, without echoing the URL's path or credentials", async () => {
        const found = await messages(policy, [
            set(webhook(), "configuration.url", "http://user:pw@argocd.example.com/api/webhook?t=1"),
        ]);
        assert.equal(found.length, 1);
        assert.match(found[0], /delivers to http:\/\/argocd.example.com, not over HTTPS/);
        assert.ok(!found[0].includes("pw"));
    });

    it("reports a missing or empty secret", async () => {
        assert.match(
            (await messages(policy, [unset(webhook(), "configuration.secret")])).join(),
            /has no secret/,
        );
        assert.match(
            (await messages(policy, [set(webhook(), "configuration.secret", "")])).join(),
            /has no secret/,
        );
    });

    it("reports insecureSsl", async () => {
        assert.match(
            (await messages(policy, [set(webhook(), "configuration.insecureSsl", true)])).join(),
            /skips TLS/,
        );
    });

    it("treats a secret unknown during preview as set", async () => {
        const report = await check(policy, [
            set(webhook(), "configuration.secret", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
        ]);
        assert.deepEqual(report.violations, []);
    });
});
