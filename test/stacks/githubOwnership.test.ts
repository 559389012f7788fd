import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeRender } from "../../scripts/render/write";
import { runPlatform, type ProgramRun, type RecordedResource } from "../harness";
import { render, writeConfigFile } from "../render/cli";
import { stackConfig } from "./fixtures";

const stacks = ["dev", "staging", "prod"] as const;

/**
 * What a GitHub object is, on GitHub, independent of its Pulumi name: two stacks that declare the same
 * identity would fight over one object. Every GitHub type the program uses must be listed here.
 */
function gitHubIdentity(resource: RecordedResource): string {
    const i = resource.inputs as Record<string, string> & { configuration?: { url: string } };
    switch (resource.type.split(":").pop()) {
        case "Repository":
            return `repository ${i.name}`;
        case "RepositoryFile":
            return `file ${i.repository}/${i.file}`;
        case "RepositoryRuleset":
            return `ruleset ${i.repository}/${i.name}`;
        case "TeamRepository":
            return `team access ${i.repository}/${i.teamId}`;
        case "RepositoryDeployKey":
            return `deploy key ${i.repository}/${i.title}`;
        case "RepositoryWebhook":
            return `webhook ${i.repository} ${i.configuration?.url}`;
        case "RepositoryEnvironment":
            return `environment ${i.repository}/${i.environment}`;
        case "RepositoryEnvironmentDeploymentPolicy":
            return `environment branch policy ${i.repository}/${i.environment}/${i.branchPattern}`;
        case "ActionsSecret":
            return `actions secret ${i.repository}/${i.secretName}`;
        case "ActionsEnvironmentSecret":
            return `environment secret ${i.repository}/${i.environment}/${i.secretName}`;
        case "ActionsOrganizationVariable":
            return `organisation variable ${i.variableName}`;
        case "ActionsRepositoryAccessLevel":
            return `actions access level ${i.repository}`;
        default:
            throw new Error(`no identity for ${resource.type}: add it to gitHubIdentity`);
    }
}

function gitHubObjects(run: ProgramRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && r.type.startsWith("github:index/"));
}

describe("GitHub objects across the dev, staging and prod stacks", () => {
    const runs = new Map<string, ProgramRun>();
    before(async () => {
        for (const stack of stacks) runs.set(stack, await runPlatform(stack, stackConfig(stack)));
    });
    const run = (stack: string): ProgramRun => runs.get(stack)!;

    it("declares every GitHub object exactly once across the stacks", () => {
        const declaredBy = new Map<string, string[]>();
        for (const stack of stacks) {
            for (const resource of gitHubObjects(run(stack))) {
                const identity = gitHubIdentity(resource);
                declaredBy.set(identity, [...(declaredBy.get(identity) ?? []), stack]);
            }
        }
        const twice = [...declaredBy]
            .filter(([, by]) => by.length > 1)
            .map(([id, by]) => `${id}: ${by.join(", ")}`);
        assert.deepEqual(twice, []);

        const identities = new Set(declaredBy.keys());
        const apps = (run("prod").stack.config.apps ?? []).map((app) => app.name);
        const expected = [
            "repository gitops",
            "ruleset gitops/main via pull request",
            "file gitops/README.md",
            "file gitops/.github/CODEOWNERS",
            "file gitops/.github/workflows/promote.yml",
            "file gitops/.github/workflows/rollback.yml",
            "file gitops/.github/workflows/validate.yml",
            "team access gitops/payments",
            "team access gitops/storefront",
            "organisation variable PLATFORM_REGISTRY",
            "repository platform-pipeline",
            "ruleset platform-pipeline/main via pull request",
            "file platform-pipeline/.github/workflows/build.yml",
            "file platform-pipeline/README.md",
            "actions access level platform-pipeline",
            "organisation variable PLATFORM_GITOPS_REPOSITORY",
            ...apps.flatMap((app) => [
                `repository ${app}`,
                `ruleset ${app}/main via pull request`,
                `file ${app}/.github/CODEOWNERS`,
                `file ${app}/.github/workflows/gitops-platform.yml`,
                `file gitops/apps/${app}/base/kustomization.yaml`,
                ...stacks.flatMap((env) => [
                    `file gitops/apps/${app}/platform/${env}/kustomization.yaml`,
                    `file gitops/apps/${app}/platform/${env}/manifests.yaml`,
                ]),
                `deploy key gitops/ci-${app}`,
                `actions secret ${app}/GITOPS_DEPLOY_KEY`,
            ]),
            ...stacks.flatMap((env) => [
                `deploy key gitops/argocd-${env}`,
                `deploy key gitops/deploy-${env}`,
                `environment gitops/${env}`,
                `environment secret gitops/${env}/GITOPS_DEPLOY_KEY`,
            ]),
            "webhook gitops https://argocd.dev.example.com/api/webhook",
            "webhook gitops https://argocd.staging.example.com/api/webhook",
            "webhook gitops https://argocd.example.com/api/webhook",
        ];
        assert.deepEqual(
            expected.filter((id) => !identities.has(id)),
            [],
            "objects no stack declares",
        );
    });

    it("lets only the stack named by github.sharedStack declare shared objects", () => {
        for (const stack of stacks) {
            assert.equal(run(stack).stack.config.github?.sharedStack, "prod", `${stack} names another owner`);
        }
        const perEnvironment = new Set([
            // Only the apps' platform Components of the stack's own environment (checked below).
            "RepositoryFile",
            "RepositoryDeployKey",
            "RepositoryWebhook",
            "RepositoryEnvironment",
            "RepositoryEnvironmentDeploymentPolicy",
            "ActionsEnvironmentSecret",
        ]);
        for (const stack of ["dev", "staging"]) {
            const types = new Set(gitHubObjects(run(stack)).map((r) => r.type.split(":").pop()!));
            assert.deepEqual(
                [...types].filter((type) => !perEnvironment.has(type)),
                [],
                stack,
            );
            const files = run(stack).resources.filter((r) => r.type.endsWith("RepositoryFile"));
            for (const file of files)
                assert.match(String(file.inputs.file), new RegExp(`^apps/[a-z-]+/platform/${stack}/`));
            const keys = run(stack).resources.filter((r) => r.type.endsWith("RepositoryDeployKey"));
            assert.deepEqual(keys.map((k) => k.inputs.title).sort(), [`argocd-${stack}`, `deploy-${stack}`]);
        }
        assert.equal(run("prod").resources.filter((r) => r.type === "gitops:github:AppRepository").length, 3);
    });

    for (const stack of stacks) {
        it(`${stack}: Argo CD's webhook secret and the GitHub webhook's secret are the same generated value`, () => {
            const resources = run(stack).resources;
            const password = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
            assert.equal(password.length, 1);
            const generated = `«secret:${password[0].name}»`;

            const argoCdSecret = resources.find(
                (r) =>
                    r.type === "kubernetes:core/v1:Secret" &&
                    (r.inputs.metadata as { name: string }).name === "argocd-secret",
            );
            assert.ok(argoCdSecret);
            const argoCdSide = (argoCdSecret.inputs.stringData as Record<string, string>)[
                "webhook.github.secret"
            ];
            const webhook = resources.filter((r) => r.type.endsWith("RepositoryWebhook"));
            assert.equal(webhook.length, 1);
            const gitHubSide = (webhook[0].inputs.configuration as { secret: string }).secret;

            assert.equal(argoCdSide, generated);
            assert.equal(gitHubSide, argoCdSide);
            assert.ok(argoCdSecret.secretInputs.includes("stringData"));
            assert.ok(webhook[0].secretInputs.includes("configuration"));
        });

        it(`${stack}: Argo CD's deploy key on GitHub is the public half of the key in its repository Secret`, () => {
            const resources = run(stack).resources;
            const key = resources.find(
                (r) => r.type.endsWith("RepositoryDeployKey") && r.inputs.title === `argocd-${stack}`,
            );
            assert.ok(key);
            assert.equal(key.inputs.readOnly, true);
            const keyName = `${stack}-argocd-deploy-key`;
            assert.ok(String(key.inputs.key).endsWith(` ${keyName}`), String(key.inputs.key));
            const repoSecret = resources.find(
                (r) =>
                    r.type === "kubernetes:core/v1:Secret" &&
                    (r.inputs.metadata as { labels?: Record<string, string> }).labels?.[
                        "argocd.argoproj.io/secret-type"
                    ] === "repository",
            );
            assert.equal(
                (repoSecret?.inputs.stringData as Record<string, string>).sshPrivateKey,
                `«secret:${keyName}.privateKeyOpenssh»`,
            );
        });

        it(`${stack}: generated secrets appear only in inputs marked secret`, () => {
            for (const resource of run(stack).resources.filter((r) => r.type.startsWith("github:"))) {
                for (const [key, value] of Object.entries(resource.inputs)) {
                    if (JSON.stringify(value).includes("«secret:")) {
                        assert.ok(
                            resource.secretInputs.includes(key),
                            `${resource.name}.${key} is not secret`,
                        );
                    }
                }
            }
        });
    }

    it("writes no private key material into out/, only placeholders listed in secretInputs", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "github-render-"));
        try {
            writeRender(dir, run("prod").resources);
            const text = fs.readFileSync(path.join(dir, "resources.json"), "utf8");
            assert.doesNotMatch(text, /PRIVATE KEY|BEGIN OPENSSH/);
            const rendered = JSON.parse(text) as {
                type: string;
                inputs: Record<string, unknown>;
                secretInputs: string[];
            }[];
            const secrets = rendered.filter(
                (r) => r.type.endsWith(":ActionsSecret") || r.type.endsWith(":ActionsEnvironmentSecret"),
            );
            assert.equal(secrets.length, 4, "three app keys and prod's environment key");
            for (const secret of secrets) {
                assert.deepEqual(secret.secretInputs, ["value"]);
                assert.match(String(secret.inputs.value), /^«secret:.*\.privateKeyOpenssh»$/);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("guards against data loss: repositories are archived on destroy and protected", () => {
        const repositories = run("prod").resources.filter(
            (r) => r.type === "github:index/repository:Repository",
        );
        assert.equal(repositories.length, 5, "the GitOps repository, the pipeline's and three apps'");
        for (const repo of repositories) {
            assert.equal(repo.inputs.archiveOnDestroy, true, repo.name);
            assert.equal(repo.opts.protect, true, repo.name);
        }
    });

    it("requires approvals in the owning stack's rulesets (prod: 1)", () => {
        for (const ruleset of run("prod").resources.filter((r) => r.type.endsWith("RepositoryRuleset"))) {
            const rules = ruleset.inputs.rules as { pullRequest: { requiredApprovingReviewCount: number } };
            assert.equal(rules.pullRequest.requiredApprovingReviewCount, 1, ruleset.name);
        }
    });

    it("uses the one explicit github provider for every GitHub object", () => {
        for (const stack of stacks) {
            for (const resource of gitHubObjects(run(stack))) {
                assert.equal(resource.opts.provider, "pulumi:providers:github::github", resource.name);
            }
        }
    });
});

describe("GitHub objects as the platform grows", () => {
    const withApps = (stack: string, extra: number): Record<string, unknown> => {
        const config = stackConfig(stack);
        const apps = config["gitops-platform:apps"] as { name: string; team: string }[];
        for (let i = 0; i < extra; i++) apps.push({ name: `extra-${i}`, team: "payments" });
        return config;
    };
    const custom = (run: ProgramRun) => run.resources.filter((r) => r.custom);

    it("adds at most 12 resources per onboarded app, 10 of them GitHub API objects, in the owning stack", async () => {
        const baseRun = await runPlatform("prod", withApps("prod", 0));
        const moreRun = await runPlatform("prod", withApps("prod", 5));
        const [base, more] = [custom(baseRun), custom(moreRun)];
        const perApp = (more.length - base.length) / 5;
        const gitHubPerApp =
            (more.filter((r) => r.type.startsWith("github:")).length -
                base.filter((r) => r.type.startsWith("github:")).length) /
            5;
        assert.ok(perApp <= 12, `${perApp} resources per app`);
        assert.equal(gitHubPerApp, 10);
        const components = (resources: RecordedResource[]) =>
            resources.filter((r) => r.type === "gitops:github:AppRepository").length;
        assert.equal(
            components(moreRun.resources) - components(baseRun.resources),
            5,
            "one AppRepository component per app",
        );
    });

    it("adds only the app's platform Component (two files) per app in the other stacks", async () => {
        const base = (await runPlatform("dev", withApps("dev", 0))).resources.filter((r) =>
            r.type.startsWith("github:"),
        );
        const more = (await runPlatform("dev", withApps("dev", 5))).resources.filter((r) =>
            r.type.startsWith("github:"),
        );
        assert.equal(more.length - base.length, 5 * 2);
        const added = more.filter((r) => !base.some((b) => b.name === r.name));
        for (const file of added)
            assert.match(
                String(file.inputs.file),
                /^apps\/extra-\d\/platform\/dev\/(kustomization|manifests)\.yaml$/,
            );
    });
});

describe("an environment without an Argo CD hostname", () => {
    let run: ProgramRun;
    before(async () => {
        const config = stackConfig("staging");
        const argocd = config["gitops-platform:argocd"] as Record<string, unknown>;
        delete argocd.hostname;
        run = await runPlatform("staging", config);
    });

    it("gets no webhook and no webhook secret, but keeps its deploy key and GitHub environment", () => {
        assert.equal(run.resources.filter((r) => r.type.endsWith("RepositoryWebhook")).length, 0);
        assert.equal(run.resources.filter((r) => r.type.endsWith("RandomPassword")).length, 0);
        assert.ok(
            run.resources.some(
                (r) => r.type.endsWith("RepositoryDeployKey") && r.inputs.title === "argocd-staging",
            ),
        );
        assert.ok(run.resources.some((r) => r.type.endsWith("RepositoryEnvironment")));
    });

    it("polls more often", () => {
        const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const values = release?.inputs.values as { configs: { cm: Record<string, string> } };
        assert.equal(values.configs.cm["timeout.reconciliation"], "60s");
    });

    it("warns in the render summary", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "github-nohost-"));
        try {
            const config = stackConfig("staging");
            delete (config["gitops-platform:argocd"] as Record<string, unknown>).hostname;
            const file = writeConfigFile(path.join(dir, "Pulumi.staging.yaml"), config);
            const result = render([
                "--stack",
                "staging",
                "--config-file",
                file,
                "--out",
                path.join(dir, "out"),
            ]);
            assert.equal(result.status, 0, result.stderr);
            assert.match(
                result.stdout,
                /- argocd\.hostname is not set: no GitHub webhook for staging; Argo CD polls the GitOps repository every 60s instead/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
