import { strict as assert } from "node:assert";
import { argocdClusterSecretCredentials as policy } from "../../../policy/policies/argocd-cluster-secret-credentials";
import { clusterSecret, configMap, set } from "../baselines";
import { applies, messages } from "../check";

function withConfig(config: Record<string, unknown>) {
    return set(clusterSecret(), "stringData.config", JSON.stringify(config));
}

describe("policy argocd-cluster-secret-credentials", () => {
    it("passes the compliant baseline, and runs only on cluster Secrets", async () => {
        assert.deepEqual(await messages(policy, [clusterSecret()]), []);
        assert.ok(await applies(policy, clusterSecret()));
        assert.equal(await applies(policy, set(clusterSecret(), "metadata.labels", {})), false);
        assert.equal(await applies(policy, configMap()), false);
    });

    it("reports a config without credentials", async () => {
        assert.match(
            (await messages(policy, [withConfig({ tlsClientConfig: { caData: "x" } })])).join(),
            /no credentials/,
        );
    });

    it("accepts EKS's awsAuthConfig as credentials, but not without a cluster name", async () => {
        const tls = { tlsClientConfig: { insecure: false, caData: "Q0E=" } };
        assert.deepEqual(
            await messages(policy, [
                withConfig({ awsAuthConfig: { clusterName: "prod-eu", roleARN: "arn:r" }, ...tls }),
            ]),
            [],
        );
        assert.match(
            (await messages(policy, [withConfig({ awsAuthConfig: { roleARN: "arn:r" }, ...tls })])).join(),
            /no credentials/,
        );
    });

    it("reports TLS verification turned off", async () => {
        const found = await messages(policy, [
            withConfig({ bearerToken: "t", tlsClientConfig: { insecure: true } }),
        ]);
        assert.match(found.join(), /turns off TLS verification/);
    });

    it("reports a token in the annotations", async () => {
        const leaky = set(clusterSecret(), ["metadata", "annotations", "note"], '{"bearerToken":"abc"}');
        assert.match((await messages(policy, [leaky])).join(), /credentials in its labels or annotations/);
    });

    it("reports a plain-HTTP server, also when given base64-encoded in data", async () => {
        const secret = clusterSecret();
        const data = secret.inputs.stringData as Record<string, string>;
        delete secret.inputs.stringData;
        secret.inputs.data = Object.fromEntries(
            Object.entries({ ...data, server: "http://prod-eu" }).map(([k, v]) => [
                k,
                Buffer.from(v).toString("base64"),
            ]),
        );
        assert.match((await messages(policy, [secret])).join(), /has no https server/);
    });
});
