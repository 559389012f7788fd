import { strict as assert } from "node:assert";
import { k8sGitopsNoPlainSecrets as policy } from "../../../policy/policies/k8s-gitops-no-plain-secrets";
import { seededManifest, types, type TestResource } from "../baselines";
import { applies, messages } from "../check";

function file(path: string, objects: unknown[]): TestResource {
    return {
        type: types.repositoryFile,
        name: path.replace(/\W+/g, "-"),
        inputs: {
            repository: "gitops",
            file: path,
            content: objects.map((o) => JSON.stringify(o)).join("\n---\n"),
        },
    };
}

const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db" },
    stringData: { password: "hunter2" },
};
const externalSecret = {
    apiVersion: "external-secrets.io/v1beta1",
    kind: "ExternalSecret",
    metadata: { name: "db" },
    spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "s" }, target: { name: "db" } },
};

describe("policy k8s-gitops-no-plain-secrets", () => {
    it("passes manifests that take secrets through an ExternalSecret, and runs on them", async () => {
        const compliant = file("apps/checkout/platform/prod/manifests.yaml", [externalSecret]);
        assert.deepEqual(await messages(policy, [compliant, seededManifest()]), []);
        assert.ok(await applies(policy, compliant));
    });

    it("reports a Secret in an app's Component, its base or a platform directory, never showing its value", async () => {
        for (const path of [
            "apps/checkout/platform/prod/manifests.yaml",
            "apps/checkout/base/db.yaml",
            "platform/prod/db.yml",
        ]) {
            const found = await messages(policy, [file(path, [externalSecret, secret])]);
            assert.equal(found.length, 1, path);
            assert.match(
                found[0],
                new RegExp(`${path.replace(/\./g, "\\.")} holds Secret db: a secret in Git`),
            );
            assert.doesNotMatch(found[0], /hunter2/);
        }
    });

    it("leaves files outside the app and platform manifests alone", async () => {
        assert.equal(await applies(policy, file(".github/workflows/ci.yml", [secret])), false);
        assert.equal(await applies(policy, file("README.md", [])), false);
        assert.equal(await applies(policy, file("platform/chart/templates/applications.yaml", [])), false);
    });
});
