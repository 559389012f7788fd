import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { platformOutputName, type PlatformOutputs } from "../../components/outputs";
import { checkPlatformOutputs, platformReference } from "../../components/reference";
import {
    installMocks,
    isSecret,
    mockStackOutputs,
    projectName,
    record,
    runPlatform,
    settle,
    toMockConfig,
    valueOf,
} from "../harness";
import { stackConfig } from "../stacks/fixtures";

describe("platform outputs", () => {
    it("the stack exports one typed object that platformReference() can read", async () => {
        const run = await runPlatform("prod", stackConfig("prod"));
        const outputs = await valueOf(run.outputs);
        assert.deepEqual(checkPlatformOutputs("acme/gitops-platform/prod", outputs), outputs);
        assert.equal(outputs.environment, "prod");
        assert.equal(outputs.argocd.namespace, "argocd");
        assert.equal(outputs.argocd.url, "https://argocd.example.com");
        assert.deepEqual(outputs.projects, ["platform", "payments", "storefront"]);
        assert.deepEqual(outputs.gitops, {
            repository: "gitops",
            url: "git@github.com:acme/gitops.git",
            branch: "main",
            owner: "acme",
        });
        assert.equal(outputs.clusters[0].name, "acme-prod");
    });

    it("index.ts runs the program and exports it under the name platformReference() reads", async () => {
        const recorder = await installMocks(projectName, "dev");
        const config = toMockConfig(stackConfig("dev"), { fillMissingSecrets: true });
        pulumi.runtime.setAllConfig(config.values, config.secretKeys);
        const program = require("../../index") as Record<string, pulumi.Output<PlatformOutputs>>;
        await settle();
        assert.deepEqual(Object.keys(program), [platformOutputName]);
        assert.equal((await valueOf(program[platformOutputName])).environment, "dev");
        assert.ok(recorder.resources.length > 10);
    });
});

describe("platformReference", () => {
    const outputs: PlatformOutputs = {
        environment: "dev",
        argocd: { namespace: "argocd", url: "https://argocd.dev.example.com" },
        projects: ["platform", "payments"],
        gitops: {
            repository: "gitops",
            url: "git@github.com:acme/gitops.git",
            branch: "main",
            owner: "acme",
        },
        clusters: [{ name: "acme-dev", server: "https://kubernetes.default.svc", labels: {} }],
        notifications: { slackChannel: "#deploys" },
    };

    it("reads typed values from the platform stack", async () => {
        mockStackOutputs("acme/gitops-platform/dev", { [platformOutputName]: outputs });
        let ref: ReturnType<typeof platformReference> | undefined;
        await record(() => (ref = platformReference("acme/gitops-platform/dev")));
        assert.equal(await valueOf(ref!.argocdNamespace), "argocd");
        assert.deepEqual(await valueOf(ref!.projects), ["platform", "payments"]);
        assert.equal(await valueOf(ref!.gitops.url), "git@github.com:acme/gitops.git");
    });

    it("keeps secret outputs secret", async () => {
        mockStackOutputs("acme/gitops-platform/secret", { [platformOutputName]: outputs }, [
            platformOutputName,
        ]);
        let ref: ReturnType<typeof platformReference> | undefined;
        await record(() => (ref = platformReference("acme/gitops-platform/secret")));
        assert.equal(await isSecret(ref!.argocdUrl), true);
    });

    it("fails clearly when the stack has no platform output, or an incomplete one", () => {
        assert.throws(
            () => checkPlatformOutputs("acme/other/dev", undefined),
            /stack "acme\/other\/dev" has no "platform" output/,
        );
        assert.throws(
            () => checkPlatformOutputs("acme/other/dev", { environment: "dev", argocd: {} }),
            /output "platform\.argocd\.namespace" is missing/,
        );
    });
});
