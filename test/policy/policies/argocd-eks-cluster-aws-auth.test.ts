import { strict as assert } from "node:assert";
import { argocdEksClusterAwsAuth as policy } from "../../../policy/policies/argocd-eks-cluster-aws-auth";
import { clusterSecret, set } from "../baselines";
import { applies, messages } from "../check";

const eksServer = "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com";

function eks(config: Record<string, unknown>) {
    return set(clusterSecret("prod-eu", eksServer), "stringData.config", JSON.stringify(config));
}

const awsAuth = {
    awsAuthConfig: { clusterName: "prod-eu", roleARN: "arn:aws:iam::123456789012:role/argocd-deployer" },
    tlsClientConfig: { insecure: false, caData: "Q0E=" },
};

describe("policy argocd-eks-cluster-aws-auth", () => {
    it("passes an EKS cluster reached through awsAuthConfig with a role", async () => {
        assert.deepEqual(await messages(policy, [eks(awsAuth)]), []);
        assert.ok(await applies(policy, eks(awsAuth)));
    });

    it("applies only to cluster Secrets of EKS endpoints", async () => {
        assert.equal(await applies(policy, clusterSecret()), false);
        assert.equal(await applies(policy, set(eks(awsAuth), "metadata.labels", {})), false);
        assert.ok(
            await applies(policy, clusterSecret("cn", "https://ABC.yl4.cn-north-1.eks.amazonaws.com.cn")),
        );
    });

    it("reports an EKS cluster reached with a bearer token", async () => {
        const found = await messages(policy, [
            eks({ bearerToken: "t", tlsClientConfig: { insecure: false, caData: "Q0E=" } }),
        ]);
        assert.match(found.join(), /without awsAuthConfig \(it holds a bearer token\)/);
    });

    it("reports awsAuthConfig without a role, unless the env allows the hub's own identity", async () => {
        const noRole = eks({ ...awsAuth, awsAuthConfig: { clusterName: "prod-eu" } });
        assert.match((await messages(policy, [noRole])).join(), /has no roleARN/);
        assert.deepEqual(await messages(policy, [noRole], { requireRoleArn: false }), []);
    });
});
