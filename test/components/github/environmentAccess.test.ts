import { strict as assert } from "node:assert";
import { EnvironmentAccess, environmentSettings } from "../../../components/github";
import { record, type Recorder } from "../../harness";
import { gh, tlsKey } from "./types";

const publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIargocd argocd\n";

describe("EnvironmentAccess", () => {
    let recorder: Recorder;
    before(async () => {
        recorder = await record(
            () =>
                new EnvironmentAccess("prod-access", {
                    repository: "gitops",
                    environment: "prod",
                    argoCdPublicKey: publicKey,
                    webhook: { hostname: "argocd.example.com", secret: "«secret:webhook»" },
                    protection: { reviewerTeamIds: [11], preventSelfReview: true, waitTimer: 5 },
                }),
        );
    });

    it("gives Argo CD a read-only deploy key titled after the environment", () => {
        const key = recorder.find(gh.deployKey, "prod-access-argocd-key");
        assert.deepEqual(key.inputs, {
            repository: "gitops",
            title: "argocd-prod",
            key: publicKey.trim(),
            readOnly: true,
        });
    });

    it("points a push webhook at Argo CD, JSON over verified TLS, with the secret marked secret", () => {
        const webhook = recorder.find(gh.webhook, "prod-access-webhook");
        assert.deepEqual(webhook.inputs, {
            repository: "gitops",
            active: true,
            events: ["push"],
            configuration: {
                url: "https://argocd.example.com/api/webhook",
                contentType: "json",
                insecureSsl: false,
                secret: "«secret:webhook»",
            },
        });
        assert.deepEqual(webhook.secretInputs, ["configuration"]);
    });

    it("declares no webhook without a hostname", async () => {
        const polling = await record(
            () =>
                new EnvironmentAccess("dev-access", {
                    repository: "gitops",
                    environment: "dev",
                    argoCdPublicKey: publicKey,
                }),
        );
        assert.equal(polling.ofType(gh.webhook).length, 0);
        assert.equal(polling.ofType(gh.deployKey).length, 2, "still Argo CD's key and the environment's key");
    });

    it("declares the GitHub environment with its reviewers, for workflows on main only", () => {
        const environment = recorder.find(gh.environment, "prod-access-environment");
        assert.deepEqual(environment.inputs, {
            repository: "gitops",
            environment: "prod",
            waitTimer: 5,
            preventSelfReview: true,
            canAdminsBypass: false,
            reviewers: [{ teams: [11], users: [] }],
            deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        });
        const policy = recorder.find(gh.branchPolicy, "prod-access-branch-policy");
        assert.deepEqual(policy.inputs, { repository: "gitops", environment: "prod", branchPattern: "main" });
    });

    it("keeps the environment's write deploy key in the environment, as a secret", () => {
        assert.deepEqual(recorder.find(tlsKey, "prod-access-deploy-key").inputs, { algorithm: "ED25519" });
        const key = recorder.find(gh.deployKey, "prod-access-gitops-key");
        assert.equal(key.inputs.title, "deploy-prod");
        assert.equal(key.inputs.readOnly, false);
        const secret = recorder.find(gh.environmentSecret, "prod-access-deploy-key-secret");
        assert.deepEqual(secret.inputs, {
            repository: "gitops",
            environment: "prod",
            secretName: "GITOPS_DEPLOY_KEY",
            value: "«secret:prod-access-deploy-key.privateKeyOpenssh»",
        });
        assert.deepEqual(secret.secretInputs, ["value"]);
    });

    it("lets admins bypass only an environment without reviewers", () => {
        assert.equal(environmentSettings("dev").canAdminsBypass, true);
        assert.deepEqual(environmentSettings("dev").reviewers, []);
        assert.equal(environmentSettings("prod", { reviewerUserIds: [7] }).canAdminsBypass, false);
    });
});
