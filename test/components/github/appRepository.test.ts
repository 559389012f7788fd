import { strict as assert } from "node:assert";
import { AppRepository, appCiWorkflow, appCodeowners, workflowYaml } from "../../../components/github";
import { record, type Recorder } from "../../harness";
import { gh, tlsKey } from "./types";

describe("AppRepository", () => {
    let recorder: Recorder;
    before(async () => {
        recorder = await record(
            () =>
                new AppRepository("checkout", {
                    owner: "acme",
                    app: "checkout",
                    team: "payments",
                    gitopsRepository: "gitops",
                }),
        );
    });

    it("declares a handful of resources, all children of the component", () => {
        const children = recorder.resources.filter((r) => r.custom);
        assert.deepEqual(children.map((r) => r.type).sort(), [
            gh.secret,
            gh.repository,
            gh.deployKey,
            gh.file,
            gh.file,
            gh.ruleset,
            gh.team,
            tlsKey,
        ]);
        for (const child of children) assert.equal(child.parent, "gitops:github:AppRepository::checkout");
    });

    it("is a private repository named after the app, archived on destroy and protected", () => {
        const repo = recorder.find(gh.repository, "checkout-repo");
        assert.equal(repo.inputs.name, "checkout");
        assert.equal(repo.inputs.visibility, "private");
        assert.equal(repo.inputs.archiveOnDestroy, true);
        assert.equal(repo.opts.protect, true);
    });

    it("gives the owning team push access and ownership in CODEOWNERS", () => {
        const team = recorder.find(gh.team, "checkout-team");
        assert.deepEqual(team.inputs, { repository: "checkout", teamId: "payments", permission: "push" });
        const codeowners = recorder.find(gh.file, "checkout-codeowners");
        assert.equal(codeowners.inputs.file, ".github/CODEOWNERS");
        assert.equal(codeowners.inputs.content, appCodeowners("acme", "payments"));
        assert.match(String(codeowners.inputs.content), /^\* @acme\/payments$/m);
    });

    it("commits the standard CI workflow and enforces it", () => {
        const ci = recorder.find(gh.file, "checkout-ci");
        assert.equal(ci.inputs.repository, "checkout");
        assert.equal(ci.inputs.file, ".github/workflows/ci.yml");
        assert.equal(ci.inputs.content, workflowYaml(appCiWorkflow({ app: "checkout" })));
        assert.equal(ci.inputs.overwriteOnCreate, true);
        assert.deepEqual(ci.opts.ignoreChanges, []);
        assert.deepEqual(recorder.find(gh.file, "checkout-codeowners").opts.ignoreChanges, []);
    });

    it("requires a reviewed pull request with passing tests; only Pulumi bypasses", () => {
        const ruleset = recorder.find(gh.ruleset, "checkout-ruleset");
        assert.deepEqual(ruleset.inputs.conditions, {
            refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] },
        });
        const rules = ruleset.inputs.rules as Record<string, Record<string, unknown>>;
        assert.equal(rules.pullRequest.requiredApprovingReviewCount, 1);
        assert.deepEqual(rules.requiredStatusChecks.requiredChecks, [
            { context: "test", integrationId: 15368 },
        ]);
        assert.deepEqual(ruleset.inputs.bypassActors, [
            { actorType: "OrganizationAdmin", bypassMode: "always" },
        ]);
        assert.deepEqual(ruleset.opts.dependencies, [
            `${gh.repository}::checkout-repo`,
            `${gh.file}::checkout-ci`,
            `${gh.file}::checkout-codeowners`,
        ]);
    });

    it("generates its own ED25519 write deploy key on the GitOps repository", () => {
        assert.deepEqual(recorder.find(tlsKey, "checkout-deploy-key").inputs, { algorithm: "ED25519" });
        const key = recorder.find(gh.deployKey, "checkout-gitops-key");
        assert.equal(key.inputs.repository, "gitops");
        assert.equal(key.inputs.readOnly, false);
        assert.equal(key.inputs.title, "ci-checkout");
        assert.match(
            String(key.inputs.key),
            /^ssh-ed25519 \S+ checkout-deploy-key$/,
            "the public half, trimmed",
        );
    });

    it("stores the private half as a secret Actions secret in the app repository", () => {
        const secret = recorder.find(gh.secret, "checkout-deploy-key-secret");
        assert.equal(secret.inputs.repository, "checkout");
        assert.equal(secret.inputs.secretName, "GITOPS_DEPLOY_KEY");
        assert.equal(secret.inputs.value, "«secret:checkout-deploy-key.privateKeyOpenssh»");
        assert.deepEqual(secret.secretInputs, ["value"]);
    });

    it("declares no per-repository Actions variables: registry and GitOps repo are organisation-wide", () => {
        assert.equal(recorder.ofType("github:index/actionsVariable:ActionsVariable").length, 0);
    });

    it("follows the requested approvals and Pulumi identity", async () => {
        const custom = await record(
            () =>
                new AppRepository("web", {
                    owner: "acme",
                    app: "web",
                    team: "storefront",
                    gitopsRepository: "gitops",
                    requiredApprovals: 0,
                    pulumiActor: { actorType: "Integration", actorId: 42, bypassMode: "always" },
                    protect: false,
                }),
        );
        const ruleset = custom.find(gh.ruleset, "web-ruleset");
        const rules = ruleset.inputs.rules as Record<string, Record<string, unknown>>;
        assert.equal(rules.pullRequest.requiredApprovingReviewCount, 0);
        assert.deepEqual(ruleset.inputs.bypassActors, [
            { actorType: "Integration", actorId: 42, bypassMode: "always" },
        ]);
        assert.equal(custom.find(gh.repository, "web-repo").opts.protect, false);
    });
});
