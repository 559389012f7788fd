import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    AppRepository,
    adoptedRepositoryIgnoreChanges,
    appCallerYaml,
    appCodeowners,
    type AppRepositoryArgs,
} from "../../../components/github";
import { record, type Recorder } from "../../harness";
import { gh, pipelineUses, tlsKey } from "./types";

const created: AppRepositoryArgs = {
    owner: "acme",
    app: "checkout",
    team: "payments",
    gitopsRepository: "gitops",
    pipeline: { workflow: pipelineUses, registryKind: "ghcr" },
};

describe("AppRepository", () => {
    let recorder: Recorder;
    before(async () => {
        recorder = await record(() => new AppRepository("checkout", created));
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

    it("creates a private repository named after the app, archived on destroy and protected", () => {
        const repo = recorder.find(gh.repository, "checkout-repo");
        assert.equal(repo.inputs.name, "checkout");
        assert.equal(repo.inputs.visibility, "private");
        assert.equal(repo.inputs.autoInit, true);
        assert.equal(repo.inputs.archiveOnDestroy, true);
        assert.equal(repo.opts.protect, true);
        assert.equal(repo.opts.importId, null, "a created repository is not imported");
    });

    it("gives the owning team push access and ownership in CODEOWNERS", () => {
        const team = recorder.find(gh.team, "checkout-team");
        assert.deepEqual(team.inputs, { repository: "checkout", teamId: "payments", permission: "push" });
        const codeowners = recorder.find(gh.file, "checkout-codeowners");
        assert.equal(codeowners.inputs.file, ".github/CODEOWNERS");
        assert.equal(codeowners.inputs.content, appCodeowners("acme", "payments"));
        assert.match(String(codeowners.inputs.content), /^\* @acme\/payments$/m);
    });

    it("commits the pipeline's caller in a file of its own, gitops-platform.yml, and enforces it", () => {
        const caller = recorder.find(gh.file, "checkout-pipeline");
        assert.equal(caller.inputs.repository, "checkout");
        assert.equal(caller.inputs.file, ".github/workflows/gitops-platform.yml");
        assert.equal(caller.inputs.content, appCallerYaml(created, pipelineUses, "ghcr"));
        assert.equal(caller.inputs.overwriteOnCreate, true, "a new repository has no file of its own there");
        assert.deepEqual(caller.opts.ignoreChanges, []);
        const workflow = parse(String(caller.inputs.content)) as { jobs: { pipeline: { uses: string } } };
        assert.equal(workflow.jobs.pipeline.uses, pipelineUses);
        assert.equal(
            recorder.resources.filter((r) => r.inputs.file === ".github/workflows/ci.yml").length,
            0,
        );
    });

    it("requires a reviewed pull request whose pipeline tests pass; only Pulumi bypasses", () => {
        const ruleset = recorder.find(gh.ruleset, "checkout-ruleset");
        assert.deepEqual(ruleset.inputs.conditions, {
            refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] },
        });
        const rules = ruleset.inputs.rules as Record<string, Record<string, unknown>>;
        assert.equal(rules.pullRequest.requiredApprovingReviewCount, 1);
        assert.deepEqual(rules.requiredStatusChecks.requiredChecks, [
            { context: "pipeline / test", integrationId: 15368 },
        ]);
        assert.deepEqual(ruleset.inputs.bypassActors, [
            { actorType: "OrganizationAdmin", bypassMode: "always" },
        ]);
        assert.deepEqual(ruleset.opts.dependencies, [
            `${gh.repository}::checkout-repo`,
            `${gh.file}::checkout-codeowners`,
            `${gh.file}::checkout-pipeline`,
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

    it("follows the requested approvals and Pulumi identity", async () => {
        const custom = await record(
            () =>
                new AppRepository("web", {
                    ...created,
                    app: "web",
                    team: "storefront",
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

describe("AppRepository adopting an existing repository", () => {
    let recorder: Recorder;
    const adopted: AppRepositoryArgs = {
        ...created,
        repository: { name: "Checkout-Service", existing: true, branch: "master", visibility: "internal" },
    };
    before(async () => {
        recorder = await record(() => new AppRepository("checkout", adopted));
    });

    it("imports the repository by its real name, keeps it on destroy, and can never replace it", () => {
        const repo = recorder.find(gh.repository, "checkout-repo");
        assert.equal(repo.opts.importId, "Checkout-Service");
        assert.equal(repo.inputs.name, "Checkout-Service");
        assert.equal(repo.opts.retainOnDelete, true, "destroy never deletes or archives it");
        assert.equal(repo.opts.protect, true);
        assert.deepEqual(repo.opts.replaceOnChanges, []);
        assert.equal(repo.opts.deleteBeforeReplace, false);
    });

    it("declares only what the platform needs of it, and no create-only field", () => {
        const repo = recorder.find(gh.repository, "checkout-repo");
        assert.deepEqual(repo.inputs, {
            name: "Checkout-Service",
            visibility: "internal",
            allowSquashMerge: true,
            vulnerabilityAlerts: true,
        });
        // Every other setting stays as the repository has it: Pulumi sends back what it imported.
        const ignored = new Set<string>(repo.opts.ignoreChanges);
        assert.deepEqual([...ignored].sort(), [...adoptedRepositoryIgnoreChanges].sort());
        for (const createOnly of [
            "autoInit",
            "template",
            "archiveOnDestroy",
            "licenseTemplate",
            "gitignoreTemplate",
        ])
            assert.ok(ignored.has(createOnly), createOnly);
    });

    it("leaves its ci.yml and CODEOWNERS alone and adds the caller file, never over an existing one", () => {
        const files = recorder.ofType(gh.file);
        assert.deepEqual(
            files.map((f) => f.inputs.file),
            [".github/workflows/gitops-platform.yml"],
        );
        const caller = files[0];
        assert.equal(caller.inputs.repository, "Checkout-Service");
        assert.equal(caller.inputs.branch, "master");
        assert.equal(caller.inputs.overwriteOnCreate, false);
        const workflow = parse(String(caller.inputs.content)) as {
            on: { push: { branches: string[] } };
            jobs: { pipeline: { with: { app: string } } };
        };
        assert.deepEqual(workflow.on.push.branches, ["master"]);
        assert.equal(workflow.jobs.pipeline.with.app, "checkout", "the app keeps its own name");
    });

    it("still gets the ruleset, the team's access and the app's deploy key, named after the app", () => {
        assert.equal(recorder.find(gh.ruleset, "checkout-ruleset").inputs.repository, "Checkout-Service");
        assert.equal(recorder.find(gh.team, "checkout-team").inputs.repository, "Checkout-Service");
        assert.equal(recorder.find(gh.deployKey, "checkout-gitops-key").inputs.title, "ci-checkout");
        assert.equal(
            recorder.find(gh.secret, "checkout-deploy-key-secret").inputs.repository,
            "Checkout-Service",
        );
    });

    it("commits no caller when the repository's own workflow calls the pipeline", async () => {
        const own = await record(
            () =>
                new AppRepository("ledger", {
                    ...adopted,
                    app: "ledger",
                    pipeline: { ...adopted.pipeline, callerFile: false },
                }),
        );
        assert.equal(own.ofType(gh.file).length, 0);
        const rules = own.find(gh.ruleset, "ledger-ruleset").inputs.rules as Record<
            string,
            Record<string, unknown>
        >;
        assert.deepEqual(rules.requiredStatusChecks.requiredChecks, [
            { context: "pipeline / test", integrationId: 15368 },
        ]);
    });
});
