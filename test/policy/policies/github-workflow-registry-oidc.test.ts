import { strict as assert } from "node:assert";
import { stringify } from "yaml";
import { pipelineWorkflow, workflowYaml } from "../../../components/github";
import { githubWorkflowRegistryOidc as policy } from "../../../policy/policies/github-workflow-registry-oidc";
import { registries } from "../../components/github/types";
import { seededManifest, type TestResource } from "../baselines";
import { applies, messages } from "../check";

function workflowFile(content: string, file = ".github/workflows/build.yml"): TestResource {
    return {
        type: "github:index/repositoryFile:RepositoryFile",
        name: "pipeline-workflow",
        inputs: { repository: "platform-pipeline", file, content },
    };
}

function pipeline(kind: keyof typeof registries): TestResource {
    return workflowFile(
        workflowYaml(
            pipelineWorkflow({
                registry: registries[kind],
                gitopsRepository: "acme/gitops",
                gitopsBranch: "main",
            }),
        ),
    );
}

/** A one-job workflow with these steps and job permissions. */
function job(steps: Record<string, unknown>[], permissions: Record<string, string> = { contents: "read" }) {
    return workflowFile(
        stringify({ on: "push", jobs: { push: { "runs-on": "ubuntu-22.04", permissions, steps } } }),
    );
}

describe("policy github-workflow-registry-oidc", () => {
    it("passes the pipeline of every OIDC or GITHUB_TOKEN registry, and runs only on workflow files", async () => {
        for (const kind of ["ghcr", "ecr", "gar"] as const)
            assert.deepEqual(await messages(policy, [pipeline(kind)]), [], kind);
        assert.ok(await applies(policy, pipeline("ghcr")));
        assert.equal(await applies(policy, seededManifest()), false);
    });

    it("reports a basic registry's stored password unless the env allows that host", async () => {
        assert.match(
            (await messages(policy, [pipeline("basic")])).join(),
            /logs in to registry\.example\.com:5000 with a stored password/,
        );
        assert.deepEqual(
            await messages(policy, [pipeline("basic")], {
                allowedPasswordRegistries: ["registry.example.com:5000"],
            }),
            [],
        );
    });

    it("reports stored AWS keys, a stored Google key and a cloud registry password", async () => {
        const found = await messages(policy, [
            job(
                [
                    {
                        uses: "aws-actions/configure-aws-credentials@v4",
                        with: {
                            "aws-access-key-id": "${{ secrets.K }}",
                            "aws-secret-access-key": "${{ secrets.S }}",
                        },
                    },
                    {
                        uses: "google-github-actions/auth@v2",
                        with: { credentials_json: "${{ secrets.GCP_KEY }}" },
                    },
                    {
                        uses: "docker/login-action@v3",
                        with: {
                            registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                            username: "AWS",
                            password: "${{ secrets.ECR_PASSWORD }}",
                        },
                    },
                ],
                { contents: "read", "id-token": "write" },
            ),
        ]);
        assert.equal(found.length, 3, found.join("\n"));
        const all = found.join("\n");
        assert.match(all, /stored access keys/);
        assert.match(all, /stored service account key/);
        assert.match(all, /logs in to ECR .* with a stored password/);
    });

    it("reports an OIDC login whose job is not granted id-token: write", async () => {
        const found = await messages(policy, [
            job([
                {
                    uses: "aws-actions/configure-aws-credentials@v4",
                    with: { "role-to-assume": "arn:aws:iam::123456789012:role/r", "aws-region": "eu-west-1" },
                },
            ]),
        ]);
        assert.match(found.join(), /without id-token: write/);
    });
});
