import { strict as assert } from "node:assert";
import { stringify } from "yaml";
import { WorkloadCluster, clusterSecretConfig, kubeconfigCredentials } from "../../components/clusters";
import { record, validateObject } from "../harness";

const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "eu",
    contexts: [{ name: "eu", context: { cluster: "prod-eu", user: "argocd" } }],
    clusters: [
        {
            name: "prod-eu",
            cluster: { server: "https://eu.k8s.example.com", "certificate-authority-data": "Q0E=" },
        },
    ],
    users: [{ name: "argocd", user: { token: "tok" } }],
});

describe("kubeconfigCredentials", () => {
    it("reads the current context's token and CA", () => {
        assert.deepEqual(kubeconfigCredentials(kubeconfig, "prod-eu"), {
            bearerToken: "tok",
            caData: "Q0E=",
        });
    });

    it("refuses a kubeconfig without a token", () => {
        const noToken = kubeconfig.replace("token: tok", "username: admin");
        assert.throws(
            () => kubeconfigCredentials(noToken, "prod-eu"),
            /needs a user token and certificate-authority-data/,
        );
    });

    it("derives placeholders from a placeholder, so the offline render keeps the shape", () => {
        assert.deepEqual(kubeconfigCredentials("«secret:euKubeconfig»", "prod-eu"), {
            bearerToken: "«secret:euKubeconfig».token",
            caData: "«secret:euKubeconfig».caData",
        });
    });

    it("builds the config Argo CD reads, with TLS verification on", () => {
        assert.deepEqual(JSON.parse(clusterSecretConfig({ bearerToken: "t", caData: "c" })), {
            bearerToken: "t",
            tlsClientConfig: { insecure: false, caData: "c" },
        });
    });
});

describe("WorkloadCluster", () => {
    it("registers a labelled cluster Secret whose data is secret", async () => {
        const recorder = await record(() => {
            new WorkloadCluster("prod-eu", {
                argoCd: { namespace: "argocd" },
                server: "https://eu.k8s.example.com",
                labels: { environment: "prod", "enable_cert-manager": "true" },
                annotations: { "gitops-platform/domain": "eu.example.com" },
                credentials: { bearerToken: "«secret:t»", caData: "Q0E=" },
            });
        });
        const secret = recorder.find("kubernetes:core/v1:Secret", "prod-eu-cluster");
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        const metadata = secret.inputs.metadata as { name: string; labels: Record<string, string> };
        assert.equal(metadata.name, "cluster-prod-eu");
        assert.equal(metadata.labels["argocd.argoproj.io/secret-type"], "cluster");
        assert.equal(metadata.labels["enable_cert-manager"], "true");
        const data = secret.inputs.stringData as { name: string; server: string; config: string };
        assert.equal(data.server, "https://eu.k8s.example.com");
        assert.equal(JSON.parse(data.config).bearerToken, "«secret:t»");
        assert.deepEqual(await validateObject(secret.inputs), []);
    });
});
