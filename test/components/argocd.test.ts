import { strict as assert } from "node:assert";
import { ArgoCd, argoCdChart, repositorySlug } from "../../components/argocd";
import { record } from "../harness";

describe("ArgoCd", () => {
    const build = () =>
        record(() => {
            new ArgoCd("acd", {
                hostname: "argocd.example.com",
                webhookSecret: "«secret:webhook»",
                repositories: [
                    {
                        url: "git@github.com:acme/gitops.git",
                        auth: { type: "ssh", sshPrivateKey: "«secret:key»" },
                    },
                ],
                protect: true,
            });
        });

    it("installs the pinned chart into its own namespace, after its secrets", async () => {
        const recorder = await build();
        const release = recorder.find("kubernetes:helm.sh/v3:Release", "acd-release");
        assert.equal(release.inputs.chart, "argo-cd");
        assert.equal(release.inputs.version, argoCdChart.version);
        assert.equal(release.inputs.namespace, "argocd");
        assert.deepEqual(release.opts.dependsOn, [
            "kubernetes:core/v1:Namespace::acd-ns",
            "kubernetes:core/v1:Secret::acd-repo-0",
            "kubernetes:core/v1:Secret::acd-secret",
        ]);
        assert.deepEqual(release.secretInputs, [], "Helm values must never carry a secret");
    });

    it("puts the webhook secret into a Pulumi-managed argocd-secret, marked secret", async () => {
        const recorder = await build();
        const secret = recorder.find("kubernetes:core/v1:Secret", "acd-secret");
        assert.equal((secret.inputs.metadata as { name: string }).name, "argocd-secret");
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        assert.deepEqual(secret.inputs.stringData, { "webhook.github.secret": "«secret:webhook»" });
    });

    it("stores the GitOps repository credentials in a labelled repository Secret", async () => {
        const recorder = await build();
        const repo = recorder.find("kubernetes:core/v1:Secret", "acd-repo-0");
        assert.deepEqual((repo.inputs.metadata as { labels: unknown }).labels, {
            "argocd.argoproj.io/secret-type": "repository",
        });
        assert.deepEqual(repo.secretInputs, ["stringData"]);
        assert.equal((repo.inputs.stringData as { sshPrivateKey: string }).sshPrivateKey, "«secret:key»");
    });

    it("protects and retains its namespace when asked", async () => {
        const recorder = await build();
        const ns = recorder.find("kubernetes:core/v1:Namespace", "acd-ns");
        assert.equal(ns.opts.protect, true);
        assert.equal(ns.opts.retainOnDelete, true);
    });

    it("polls every 60s without a webhook secret", async () => {
        const recorder = await record(() => {
            new ArgoCd("nohook", {});
        });
        const values = recorder.find("kubernetes:helm.sh/v3:Release", "nohook-release").inputs.values as {
            configs: { cm: Record<string, unknown> };
        };
        assert.equal(values.configs.cm["timeout.reconciliation"], "60s");
    });

    it("names repository Secrets after the repository", () => {
        assert.equal(repositorySlug("git@github.com:acme/gitops.git"), "acme-gitops");
        assert.equal(repositorySlug("https://github.com/Acme/Platform_Config"), "acme-platform-config");
    });
});
