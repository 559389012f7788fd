import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import {
    PlatformGitHub,
    declaresSharedObjects,
    defaultPipelineSettings,
    pipelineWorkflow,
    workflowYaml,
    gitHubWarnings,
    gitopsApps,
    type GitHubSettings,
    type PlatformGitHubArgs,
} from "../../../components/github";
import { record, type Recorder } from "../../harness";
import { gh, registries } from "./types";

const settings: GitHubSettings = {
    owner: "acme",
    sharedStack: "prod",
    registry: registries.ghcr,
    pipeline: { repository: "platform-pipeline", defaults: defaultPipelineSettings },
    requiredApprovals: 1,
    environmentProtection: {
        reviewerTeamIds: [5],
        reviewerUserIds: [],
        waitTimer: 0,
        preventSelfReview: true,
    },
};

function platformArgs(environment: string, apps = ["checkout", "ledger"]): PlatformGitHubArgs {
    return {
        settings,
        environment,
        gitops: { repository: "gitops", branch: "main" },
        teams: [{ name: "payments", namespaces: ["payments", "payments-jobs"] }],
        apps: apps.map((name) => ({ name, team: "payments" })),
        argocd: {
            hostname: `argocd.${environment}.example.com`,
            deployPublicKey: "ssh-ed25519 AAAA argocd",
            webhookSecret: "«secret:webhook»",
        },
    };
}

const custom = (recorder: Recorder) => recorder.resources.filter((r) => r.custom);

describe("PlatformGitHub", () => {
    it("in the stack that owns shared objects: GitOps repo, app repos, org variables and this environment", async () => {
        const recorder = await record(() => new PlatformGitHub("prod-github", platformArgs("prod")));
        assert.equal(recorder.ofType("gitops:github:GitOpsRepository").length, 1);
        assert.equal(recorder.ofType("gitops:github:AppRepository").length, 2);
        assert.equal(recorder.ofType("gitops:github:EnvironmentAccess").length, 1);
        const variables = recorder.ofType(gh.orgVariable).map((v) => [v.inputs.variableName, v.inputs.value]);
        assert.deepEqual(variables, [
            ["PLATFORM_REGISTRY", "ghcr.io"],
            ["PLATFORM_GITOPS_REPOSITORY", "acme/gitops"],
            ["PLATFORM_GITOPS_BRANCH", "main"],
        ]);
        for (const variable of recorder.ofType(gh.orgVariable))
            assert.equal(variable.inputs.visibility, "all");
    });

    it("declares the pipeline repository, its reusable workflow, and callers pinned to the commit that wrote it", async () => {
        const recorder = await record(() => new PlatformGitHub("prod-github", platformArgs("prod")));
        assert.equal(recorder.ofType("gitops:github:PipelineRepository").length, 1);
        const workflow = recorder.find(gh.file, "prod-github-pipeline-workflow");
        assert.equal(workflow.inputs.repository, "platform-pipeline");
        assert.equal(workflow.inputs.file, ".github/workflows/build.yml");
        assert.equal(
            workflow.inputs.content,
            workflowYaml(
                pipelineWorkflow({
                    registry: registries.ghcr,
                    gitopsRepository: "acme/gitops",
                    gitopsBranch: "main",
                    deployEnvironment: "dev",
                    defaults: defaultPipelineSettings,
                }),
            ),
        );
        const access = recorder.find(
            "github:index/actionsRepositoryAccessLevel:ActionsRepositoryAccessLevel",
            "prod-github-pipeline-access",
        );
        assert.deepEqual(access.inputs, { repository: "platform-pipeline", accessLevel: "organization" });
        const caller = recorder.find(gh.file, "prod-github-app-checkout-pipeline");
        assert.match(
            String(caller.inputs.content),
            /uses: acme\/platform-pipeline\/\.github\/workflows\/build\.yml@[0-9a-f]{40} # gitops-platform pipeline/,
        );
    });

    it("pins a configured release of the pipeline, and an app's own version over it", async () => {
        const args = platformArgs("prod");
        args.settings = { ...settings, pipeline: { ...settings.pipeline, ref: "v1.4.0" } };
        args.apps[1] = { ...args.apps[1], pipeline: { ref: "v2.0.0-rc.1", platforms: ["linux/arm64"] } };
        const recorder = await record(() => new PlatformGitHub("prod-github", args));
        const content = (app: string) =>
            String(recorder.find(gh.file, `prod-github-app-${app}-pipeline`).inputs.content);
        assert.match(content("checkout"), /build\.yml@v1\.4\.0 # v1\.4\.0$/m);
        assert.match(content("ledger"), /build\.yml@v2\.0\.0-rc\.1 # v2\.0\.0-rc\.1$/m);
        assert.match(content("ledger"), /platforms: linux\/arm64/);
    });

    it("in any other stack: only this environment's deploy keys, webhook and GitHub environment", async () => {
        const recorder = await record(() => new PlatformGitHub("dev-github", platformArgs("dev")));
        assert.deepEqual([...new Set(custom(recorder).map((r) => r.type))].sort(), [
            gh.environmentSecret,
            gh.deployKey,
            gh.environment,
            gh.branchPolicy,
            gh.webhook,
            "tls:index/privateKey:PrivateKey",
        ]);
        for (const resource of custom(recorder).filter((r) => r.type.startsWith("github:"))) {
            assert.equal(resource.inputs.repository, "gitops");
        }
    });

    it("adds at most 10 resources per app, 8 of them GitHub API objects, and none outside the owning stack", async () => {
        const count = async (environment: string, apps: string[]) => {
            const recorder = await record(
                () => new PlatformGitHub(`${environment}-github`, platformArgs(environment, apps)),
            );
            const resources = custom(recorder);
            return {
                all: resources.length,
                github: resources.filter((r) => r.type.startsWith("github:")).length,
            };
        };
        const two = await count("prod", ["checkout", "ledger"]);
        const three = await count("prod", ["checkout", "ledger", "billing"]);
        assert.ok(three.all - two.all <= 10, `${three.all - two.all} resources per app`);
        assert.equal(three.github - two.github, 8);
        const devTwo = await count("dev", ["checkout", "ledger"]);
        const devThree = await count("dev", ["checkout", "ledger", "billing"]);
        assert.deepEqual(devThree, devTwo);
    });

    it("lets every stack, not only the owning one, keep its environment's files enforced", async () => {
        const environmentFiles = [
            { path: "apps/checkout/platform/dev/kustomization.yaml", content: "x", seed: false },
            { path: "apps/checkout/platform/dev/manifests.yaml", content: "y", seed: false },
        ];
        const recorder = await record(
            () => new PlatformGitHub("dev-github", { ...platformArgs("dev"), environmentFiles }),
        );
        const committed = recorder.ofType(gh.file);
        assert.deepEqual(
            committed.map((f) => [f.inputs.file, f.inputs.repository, f.opts.ignoreChanges]),
            environmentFiles.map((f) => [f.path, "gitops", []]),
        );
    });

    it("bypasses rulesets as the GitHub App when the provider authenticates as one", async () => {
        const args = platformArgs("prod");
        args.settings = { ...settings, app: { id: 987, installationId: 654 } };
        const recorder = await record(() => new PlatformGitHub("prod-github", args));
        for (const ruleset of recorder.ofType(gh.ruleset)) {
            assert.ok(
                (ruleset.inputs.bypassActors as unknown[]).some((actor) =>
                    isDeepStrictEqual(actor, {
                        actorType: "Integration",
                        actorId: 987,
                        bypassMode: "always",
                    }),
                ),
                ruleset.name,
            );
        }
    });

    it("waits for the GitOps repository before adding keys to it, in the owning stack", async () => {
        const recorder = await record(() => new PlatformGitHub("prod-github", platformArgs("prod")));
        const repo = `${gh.repository}::prod-github-gitops-repo`;
        for (const key of recorder.ofType(gh.deployKey))
            assert.ok(key.opts.dependencies.includes(repo), key.name);
        assert.ok(recorder.find(gh.webhook, "prod-github-prod-webhook").opts.dependencies.includes(repo));
    });

    it("resolves each app's namespace and team slug", () => {
        assert.deepEqual(
            gitopsApps(
                [{ name: "payments", githubTeam: "pay", namespaces: ["pay-ns"] }, { name: "web" }],
                [
                    { name: "checkout", team: "payments" },
                    { name: "shop", team: "web", namespace: "shop", port: 3000 },
                ],
            ),
            [
                {
                    name: "checkout",
                    team: "payments",
                    githubTeam: "pay",
                    namespace: "pay-ns",
                    port: undefined,
                },
                { name: "shop", team: "web", githubTeam: "web", namespace: "shop", port: 3000 },
            ],
        );
        assert.throws(() => gitopsApps([], [{ name: "x", team: "nobody" }]), /team nobody is not configured/);
    });

    it("knows which stack owns the shared objects, and warns about a prod environment nobody reviews", () => {
        assert.equal(declaresSharedObjects(settings, "prod"), true);
        assert.equal(declaresSharedObjects(settings, "dev"), false);
        assert.deepEqual(gitHubWarnings({ settings, environment: "prod" }), []);
        const unreviewed = {
            ...settings,
            environmentProtection: { reviewerTeamIds: [], reviewerUserIds: [] },
        };
        assert.match(gitHubWarnings({ settings: unreviewed, environment: "prod" })[0], /no reviewers/);
        assert.deepEqual(gitHubWarnings({ settings: unreviewed, environment: "dev" }), []);
    });
});
