import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { RenderedResource } from "../../scripts/render/write";
import { stackConfig } from "../stacks/fixtures";
import { render, writeConfigFile } from "./cli";

/**
 * Adopting a company's estate (issue 14), through the render CLI as a reviewer would run it: existing
 * repositories, ECR and Artifact Registry pipelines, EKS workload clusters. Each render runs the schema
 * checks, the current actionlint on every workflow it commits, and the prod policy pack.
 */
describe("render CLI: adopting an existing estate", function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-estate-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The prod stack file with some keys replaced. */
    function prod(overrides: Record<string, unknown>): Record<string, unknown> {
        const config = stackConfig("prod");
        for (const [key, value] of Object.entries(overrides)) config[`gitops-platform:${key}`] = value;
        return config;
    }

    /** Renders a config; returns stdout and the resources, failing on anything but exit 0. */
    function renders(name: string, config: Record<string, unknown>) {
        const file = writeConfigFile(path.join(dir, `${name}.yaml`), config);
        const out = path.join(dir, name);
        const result = render(["--stack", "prod", "--config-file", file, "--out", out]);
        assert.equal(result.status, 0, result.stderr + result.stdout);
        const resources = JSON.parse(
            fs.readFileSync(path.join(out, "prod", "resources.json"), "utf8"),
        ) as RenderedResource[];
        return { stdout: result.stdout, resources };
    }

    function file(resources: RenderedResource[], repository: string, filePath: string) {
        return resources.find(
            (r) =>
                r.type.endsWith("RepositoryFile") &&
                r.inputs.repository === repository &&
                r.inputs.file === filePath,
        );
    }

    function buildJob(resources: RenderedResource[]) {
        const workflow = file(resources, "platform-pipeline", ".github/workflows/build.yml");
        assert.ok(workflow, "the reusable workflow");
        const parsed = parse(String(workflow.inputs.content)) as {
            jobs: {
                build: {
                    permissions: Record<string, string>;
                    steps: { uses?: string; with?: Record<string, unknown> }[];
                };
            };
        };
        return parsed.jobs.build;
    }

    function callerJob(resources: RenderedResource[], repository: string) {
        const caller = file(resources, repository, ".github/workflows/gitops-platform.yml");
        assert.ok(caller, `the caller in ${repository}`);
        return (
            parse(String(caller.inputs.content)) as {
                jobs: { pipeline: { permissions: Record<string, string>; uses: string } };
            }
        ).jobs.pipeline;
    }

    it("adopts an existing repository with another name: imported, kept on destroy, never replaced, its ci.yml left alone", () => {
        const apps = stackConfig("prod")["gitops-platform:apps"] as Record<string, unknown>[];
        const { stdout, resources } = renders("adopt", {
            ...prod({}),
            "gitops-platform:apps": [
                { ...apps[0], repository: { name: "checkout-service", existing: true, branch: "master" } },
                ...apps.slice(1),
            ],
        });
        const repo = resources.find(
            (r) => r.type === "github:index/repository:Repository" && r.inputs.name === "checkout-service",
        );
        assert.ok(repo, "the adopted repository");
        assert.equal(repo.opts.import, "checkout-service");
        assert.equal(repo.opts.retainOnDelete, true);
        assert.equal(repo.opts.protect, true);
        assert.equal(repo.opts.deleteBeforeReplace, false);
        assert.equal(repo.opts.replaceOnChanges, undefined, "no property replaces it");
        for (const createOnly of ["autoInit", "archiveOnDestroy", "template"])
            assert.equal(repo.inputs[createOnly], undefined);
        // Only repositories the platform adopts are imported; no other repository is touched that way.
        assert.deepEqual(
            resources.filter((r) => r.opts.import).map((r) => r.opts.import),
            ["checkout-service"],
        );
        assert.equal(
            file(resources, "checkout-service", ".github/workflows/ci.yml"),
            undefined,
            "ci.yml left alone",
        );
        assert.equal(
            file(resources, "checkout-service", ".github/CODEOWNERS"),
            undefined,
            "its CODEOWNERS too",
        );
        const caller = file(resources, "checkout-service", ".github/workflows/gitops-platform.yml");
        assert.equal(caller?.inputs.overwriteOnCreate, false);
        assert.equal(caller?.inputs.branch, "master");
        // The app keeps its name everywhere else: overlays, deploy key, Applications.
        assert.ok(file(resources, "gitops", "apps/checkout/base/kustomization.yaml"));
        assert.ok(
            resources.some((r) => r.type.endsWith("RepositoryDeployKey") && r.inputs.title === "ci-checkout"),
        );
        assert.match(stdout, /^adopts Repository checkout-service \(import; destroy leaves it\)$/m);
        // The team's AppProject may read the repository under its real name.
        const project = resources.find(
            (r) =>
                r.inputs.kind === "AppProject" &&
                (r.inputs.metadata as { name: string }).name === apps[0].team,
        );
        const sourceRepos = (project?.inputs.spec as { sourceRepos: string[] }).sourceRepos;
        assert.ok(
            sourceRepos.some((url) => url.endsWith("/checkout-service.git")),
            sourceRepos.join(", "),
        );
        assert.ok(!sourceRepos.some((url) => url.endsWith("/checkout.git")), sourceRepos.join(", "));
    });

    it("an ECR stack: the push role through GitHub's OIDC token, the ECR login, id-token: write on the pushing jobs", () => {
        const { resources, stdout } = renders(
            "ecr",
            prod({
                github: {
                    ...(stackConfig("prod")["gitops-platform:github"] as object),
                    registry: {
                        kind: "ecr",
                        host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                        roleArn: "arn:aws:iam::123456789012:role/github-ecr-push",
                    },
                },
            }),
        );
        const build = buildJob(resources);
        assert.deepEqual(build.permissions, { contents: "read", "id-token": "write" });
        const assume = build.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.deepEqual(assume?.with, {
            "role-to-assume": "arn:aws:iam::123456789012:role/github-ecr-push",
            "aws-region": "eu-west-1",
            "role-session-name": "gitops-platform-${{ github.run_id }}",
        });
        assert.ok(build.steps.some((s) => s.uses?.startsWith("aws-actions/amazon-ecr-login@")));
        assert.equal(build.steps.filter((s) => s.uses?.startsWith("docker/login-action@")).length, 0);
        assert.deepEqual(callerJob(resources, "checkout").permissions, {
            contents: "read",
            "id-token": "write",
        });
        const variable = resources.find((r) => r.inputs.variableName === "PLATFORM_REGISTRY");
        assert.equal(variable?.inputs.value, "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assert.match(stdout, /workflows linted, 0 errors/);
        assert.match(stdout, /0 mandatory, 0 advisory violations/);
    });

    it("an Artifact Registry stack: workload identity federation, then docker login to <location>-docker.pkg.dev", () => {
        const { resources, stdout } = renders(
            "gar",
            prod({
                github: {
                    ...(stackConfig("prod")["gitops-platform:github"] as object),
                    registry: {
                        kind: "gar",
                        host: "europe-west1-docker.pkg.dev",
                        project: "acme-images",
                        repository: "apps",
                        workloadIdentityProvider:
                            "projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
                        serviceAccount: "ci-push@acme-images.iam.gserviceaccount.com",
                    },
                },
            }),
        );
        const build = buildJob(resources);
        assert.deepEqual(build.permissions, { contents: "read", "id-token": "write" });
        const auth = build.steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"));
        assert.equal(auth?.with?.token_format, "access_token");
        const login = build.steps.find((s) => s.uses?.startsWith("docker/login-action@"));
        assert.deepEqual(login?.with, {
            registry: "europe-west1-docker.pkg.dev",
            username: "oauth2accesstoken",
            password: "${{ steps.gcp-auth.outputs.access_token }}",
        });
        assert.deepEqual(callerJob(resources, "web").permissions, { contents: "read", "id-token": "write" });
        assert.match(stdout, /0 mandatory, 0 advisory violations/);
    });

    it("an EKS workload cluster: its cluster Secret carries awsAuthConfig and the CA, as secret data; Argo CD gets its IRSA role", () => {
        const clusters = stackConfig("prod")["gitops-platform:workloadClusters"] as Record<string, unknown>[];
        const { resources, stdout } = renders(
            "eks",
            prod({
                argocd: {
                    ...(stackConfig("prod")["gitops-platform:argocd"] as object),
                    awsRoleArn: "arn:aws:iam::123456789012:role/argocd",
                },
                workloadClusters: [
                    {
                        ...clusters[0],
                        server: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
                        connection: {
                            eks: {
                                clusterName: "prod-eu",
                                roleArn: "arn:aws:iam::123456789012:role/argocd-deployer",
                                caData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
                            },
                        },
                    },
                    clusters[1],
                ],
            }),
        );
        const secret = resources.find(
            (r) =>
                r.type === "kubernetes:core/v1:Secret" &&
                (r.inputs.metadata as { name: string }).name === "cluster-prod-eu",
        );
        assert.ok(secret);
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        const data = secret.inputs.stringData as { name: string; server: string; config: string };
        assert.deepEqual(JSON.parse(data.config), {
            awsAuthConfig: {
                clusterName: "prod-eu",
                roleARN: "arn:aws:iam::123456789012:role/argocd-deployer",
            },
            tlsClientConfig: { insecure: false, caData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" },
        });
        assert.doesNotMatch(data.config, /bearerToken/);
        // The hub's controller and server get the AWS identity awsAuthConfig uses (IRSA).
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const values = release?.inputs.values as Record<
            string,
            { serviceAccount?: { annotations?: Record<string, string> } }
        >;
        for (const component of ["controller", "server"])
            assert.equal(
                values[component].serviceAccount?.annotations?.["eks.amazonaws.com/role-arn"],
                "arn:aws:iam::123456789012:role/argocd",
                component,
            );
        assert.match(stdout, /0 mandatory, 0 advisory violations/);
    });
});
