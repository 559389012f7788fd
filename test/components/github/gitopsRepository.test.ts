import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    GitOpsRepository,
    fileSlug,
    gitopsRepositoryFiles,
    promoteWorkflow,
    workflowYaml,
    type GitOpsRepositoryArgs,
} from "../../../components/github";
import { record, type Recorder, type RecordedResource } from "../../harness";
import { gh } from "./types";

const args: GitOpsRepositoryArgs = {
    owner: "acme",
    repositoryName: "gitops",
    branch: "main",
    apps: [
        {
            name: "checkout",
            team: "payments",
            githubTeam: "payments-team",
            namespace: "payments",
            port: 8080,
        },
        { name: "web", team: "storefront", namespace: "storefront" },
    ],
    requiredApprovals: 2,
};

function files(recorder: Recorder): Map<string, RecordedResource> {
    return new Map(recorder.ofType(gh.file).map((file) => [String(file.inputs.file), file]));
}

describe("GitOpsRepository", () => {
    let recorder: Recorder;
    before(async () => {
        recorder = await record(() => new GitOpsRepository("ops", args));
    });

    it("is a private, squash-only repository that deletes merged branches and alerts on vulnerabilities", () => {
        const repo = recorder.find(gh.repository, "ops-repo");
        assert.equal(repo.parent, "gitops:github:GitOpsRepository::ops");
        assert.equal(repo.inputs.name, "gitops");
        assert.equal(repo.inputs.visibility, "private");
        assert.equal(repo.inputs.deleteBranchOnMerge, true);
        assert.equal(repo.inputs.allowSquashMerge, true);
        assert.equal(repo.inputs.allowMergeCommit, false);
        assert.equal(repo.inputs.allowRebaseMerge, false);
        assert.equal(repo.inputs.squashMergeCommitTitle, "PR_TITLE", "rollback finds deploys by PR title");
        assert.equal(repo.inputs.vulnerabilityAlerts, true);
        assert.equal(repo.inputs.autoInit, true, "files need a branch to commit to");
    });

    it("is archived, never deleted, and protected by default", () => {
        const repo = recorder.find(gh.repository, "ops-repo");
        assert.equal(repo.inputs.archiveOnDestroy, true);
        assert.equal(repo.opts.protect, true);
    });

    it("can be left unprotected", async () => {
        const unprotected = await record(() => new GitOpsRepository("ops", { ...args, protect: false }));
        assert.equal(unprotected.find(gh.repository, "ops-repo").opts.protect, false);
    });

    it("requires a reviewed, checked pull request on the branch Argo CD follows", () => {
        const ruleset = recorder.find(gh.ruleset, "ops-ruleset");
        assert.equal(ruleset.inputs.repository, "gitops");
        assert.equal(ruleset.inputs.target, "branch");
        assert.equal(ruleset.inputs.enforcement, "active");
        assert.deepEqual(ruleset.inputs.conditions, {
            refName: { includes: ["refs/heads/main"], excludes: [] },
        });
        const rules = ruleset.inputs.rules as Record<string, Record<string, unknown>>;
        assert.equal(rules.deletion, true);
        assert.equal(rules.nonFastForward, true);
        assert.equal(rules.pullRequest.requiredApprovingReviewCount, 2);
        assert.equal(rules.pullRequest.requireCodeOwnerReview, true);
        assert.deepEqual(rules.pullRequest.allowedMergeMethods, ["squash"]);
        assert.deepEqual(rules.requiredStatusChecks.requiredChecks, [
            { context: "validate", integrationId: 15368 },
        ]);
    });

    it("lets CI's write deploy keys (and Pulumi itself) push past the ruleset", () => {
        const ruleset = recorder.find(gh.ruleset, "ops-ruleset");
        assert.deepEqual(ruleset.inputs.bypassActors, [
            { actorType: "DeployKey", bypassMode: "always" },
            { actorType: "OrganizationAdmin", bypassMode: "always" },
        ]);
    });

    it("lets a GitHub App bypass instead, when Pulumi authenticates as one", async () => {
        const asApp = await record(
            () =>
                new GitOpsRepository("ops", {
                    ...args,
                    pulumiActor: { actorType: "Integration", actorId: 123, bypassMode: "always" },
                }),
        );
        assert.deepEqual(asApp.find(gh.ruleset, "ops-ruleset").inputs.bypassActors, [
            { actorType: "DeployKey", bypassMode: "always" },
            { actorType: "Integration", actorId: 123, bypassMode: "always" },
        ]);
    });

    it("creates the ruleset after the enforced files", () => {
        const ruleset = recorder.find(gh.ruleset, "ops-ruleset");
        assert.deepEqual(ruleset.opts.dependencies, [
            `${gh.repository}::ops-repo`,
            `${gh.file}::ops-codeowners`,
            `${gh.file}::ops-platform-chart-chart`,
            `${gh.file}::ops-platform-chart-templates-applications`,
            `${gh.file}::ops-platform-chart-values`,
            `${gh.file}::ops-workflows-promote`,
            `${gh.file}::ops-workflows-rollback`,
            `${gh.file}::ops-workflows-validate`,
        ]);
    });

    it("seeds README and each app's base create-only, so Pulumi never reverts what Git changed", () => {
        const byPath = files(recorder);
        for (const path of [
            "README.md",
            "apps/checkout/base/kustomization.yaml",
            "apps/web/base/kustomization.yaml",
        ]) {
            const file = byPath.get(path);
            assert.ok(file, `${path} is not seeded`);
            assert.deepEqual(file.opts.ignoreChanges, ["content"], path);
            assert.equal(file.inputs.overwriteOnCreate, true, path);
            assert.equal(file.inputs.branch, "main", path);
        }
    });

    it("enforces CODEOWNERS, the workflows and the platform chart: no ignoreChanges", () => {
        const byPath = files(recorder);
        for (const path of [
            ".github/CODEOWNERS",
            ".github/workflows/validate.yml",
            ".github/workflows/promote.yml",
            ".github/workflows/rollback.yml",
            "platform/chart/Chart.yaml",
            "platform/chart/values.yaml",
            "platform/chart/templates/applications.yaml",
        ]) {
            const file = byPath.get(path);
            assert.ok(file, `${path} is not committed`);
            assert.deepEqual(file.opts.ignoreChanges, [], path);
            assert.equal(file.inputs.overwriteOnCreate, true, path);
        }
        assert.equal(
            byPath.get(".github/workflows/promote.yml")?.inputs.content,
            workflowYaml(promoteWorkflow({ branch: "main", promotionOrder: ["dev", "staging", "prod"] })),
        );
    });

    it("holds no overlay: the pipeline creates apps/<app>/overlays/<env> on first deploy", () => {
        assert.equal([...files(recorder).keys()].filter((path) => path.includes("/overlays/")).length, 0);
        assert.equal(
            recorder.ofType(gh.file).length,
            5 + 3 + 3 + 2,
            "five repository files, one platform directory per environment, the platform chart's three, one per app (its base; its template is each environment's)",
        );
    });

    it("seeds the team's base empty, in the app's namespace: the template is each environment's platform Component", () => {
        const byPath = files(recorder);
        assert.equal(byPath.has("apps/checkout/base/manifests.yaml"), false);
        const kustomization = parse(String(byPath.get("apps/web/base/kustomization.yaml")?.inputs.content));
        assert.equal(kustomization.namespace, "storefront");
        assert.deepEqual(kustomization.resources, []);
    });

    it("gives each app's directory to its team in CODEOWNERS", () => {
        const content = String(files(recorder).get(".github/CODEOWNERS")?.inputs.content);
        assert.match(content, /^\/apps\/checkout\/ @acme\/payments-team$/m);
        assert.match(content, /^\/apps\/web\/ @acme\/storefront$/m);
    });

    it("gives every team push access, to open and review promotion PRs", () => {
        const teams = recorder
            .ofType(gh.team)
            .map((t) => [t.inputs.teamId, t.inputs.permission, t.inputs.repository]);
        assert.deepEqual(teams, [
            ["payments-team", "push", "gitops"],
            ["storefront", "push", "gitops"],
        ]);
    });

    it("can be declared twice in one program: children are named after the component", async () => {
        const twice = await record(() => {
            new GitOpsRepository("a", { ...args, repositoryName: "gitops-a" });
            new GitOpsRepository("b", { ...args, repositoryName: "gitops-b" });
        });
        const names = twice.resources.map((r) => `${r.type}::${r.name}`);
        assert.equal(new Set(names).size, names.length);
    });

    it("names files by path", () => {
        assert.equal(fileSlug("apps/checkout/base/manifests.yaml"), "apps-checkout-base-manifests");
        assert.equal(fileSlug(".github/workflows/promote.yml"), "workflows-promote");
        assert.equal(fileSlug(".github/CODEOWNERS"), "codeowners");
        const slugs = gitopsRepositoryFiles(args).map((file) => fileSlug(file.path));
        assert.equal(new Set(slugs).size, slugs.length, "no two files share a resource name");
    });
});

describe("platform directories", () => {
    it("seeds platform/<env>/ for every environment, so each root Application has a path to sync", () => {
        const files = gitopsRepositoryFiles({ owner: "acme" }).filter(
            (f) => f.path.startsWith("platform/") && !f.path.startsWith("platform/chart/"),
        );
        assert.deepEqual(
            files.map((f) => [f.path, f.seed]),
            [
                ["platform/dev/README.md", true],
                ["platform/staging/README.md", true],
                ["platform/prod/README.md", true],
            ],
        );
    });
});
