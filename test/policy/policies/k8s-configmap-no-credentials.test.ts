import { strict as assert } from "node:assert";
import { k8sConfigmapNoCredentials as policy } from "../../../policy/policies/k8s-configmap-no-credentials";
import { argoCdRelease, configMap, helmRelease, set } from "../baselines";
import { applies, messages } from "../check";

const planted = "hunter2-planted-Value";

describe("policy k8s-configmap-no-credentials", () => {
    it("passes the compliant baselines ($ references, plain settings), and runs on them", async () => {
        assert.deepEqual(await messages(policy, [configMap(), argoCdRelease()]), []);
        assert.ok(await applies(policy, configMap()));
        assert.ok(await applies(policy, argoCdRelease()));
        assert.equal(await applies(policy, helmRelease()), false);
    });

    it("reports a credential-like key with a literal value, without echoing the value", async () => {
        const found = await messages(policy, [set(configMap(), "data.DB_PASSWORD", planted)]);
        assert.equal(found.length, 1);
        assert.match(found[0], /ConfigMap web-config: key "DB_PASSWORD" holds a literal credential/);
        assert.ok(!found[0].includes(planted));
    });

    it("reports credential-looking values under any key", async () => {
        const found = await messages(policy, [
            set(
                configMap(),
                "data.notes",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
            ),
            set(configMap(), "data.DATABASE_URL", `postgres://app:${planted}@db:5432/app`),
            set(configMap(), "data.hook", "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX"),
        ]);
        assert.equal(found.length, 3, found.join("\n"));
        assert.match(found.join("\n"), /a private key/);
        assert.match(found.join("\n"), /a password in a URL/);
        assert.match(found.join("\n"), /a Slack webhook URL/);
        assert.ok(!found.join("\n").includes(planted));
    });

    it("reports a literal secret embedded in a multi-line Argo CD setting", async () => {
        const release = set(
            argoCdRelease(),
            ["values", "configs", "cm", "oidc.config"],
            `name: SSO\nissuer: https://sso.example.com\nclientSecret: ${planted}\n`,
        );
        const found = await messages(policy, [release]);
        assert.equal(found.length, 1);
        assert.match(
            found[0],
            /argocd-cm \(configs.cm\) of prod-argocd-release: key "oidc.config" embeds a literal "clientSecret"/,
        );
    });

    it("reports a literal Slack token in the notifications config", async () => {
        const release = set(
            argoCdRelease(),
            ["values", "notifications", "notifiers", "service.slack"],
            `token: ${planted}\n`,
        );
        assert.match((await messages(policy, [release])).join(), /argocd-notifications-cm/);
    });

    it("checks base64 binaryData, and honours allowedKeys", async () => {
        const binary = set(
            configMap(),
            "binaryData.key.pem",
            Buffer.from("-----BEGIN RSA PRIVATE KEY-----").toString("base64"),
        );
        assert.match((await messages(policy, [binary])).join(), /a private key/);
        const token = set(configMap(), "data.tokenizer", "wordpiece");
        assert.equal((await messages(policy, [token])).length, 1);
        assert.deepEqual(await messages(policy, [token], { allowedKeys: ["tokenizer"] }), []);
    });
});
