import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { baseConfig, render, writeConfigFile } from "./cli";

/**
 * Hostile stack files through the render CLI (issue 11, part B): each exits 2 with one clear problem naming
 * the key (or file:line:column), no stack trace, and writes nothing.
 */
describe("render CLI: hostile stack files exit 2 with one clear problem", function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-hostile-"));
    const outDir = path.join(dir, "out");
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const minimal = {
        ...baseConfig,
        "gitops-platform:teams": [{ name: "payments", group: "acme:payments" }],
        "gitops-platform:apps": [{ name: "checkout", team: "payments" }],
    };

    /** Renders a config file (an object, or raw text) and checks exit 2, the problems, and no output. */
    function refuses(name: string, config: Record<string, unknown> | string, expect: RegExp[]): string {
        const file = path.join(dir, `${name}.yaml`);
        if (typeof config === "string") fs.writeFileSync(file, config);
        else writeConfigFile(file, config);
        const result = render(["--stack", "dev", "--config-file", file, "--out", outDir]);
        assert.equal(result.status, 2, result.stderr);
        const problems = result.stderr
            .split("\n")
            .filter((line) => line.startsWith("  - "))
            .map((line) => line.slice(4));
        assert.equal(problems.length, expect.length, result.stderr);
        expect.forEach((pattern, index) => assert.match(problems[index], pattern));
        assert.doesNotMatch(result.stderr, /\n\s+at |render failed/);
        assert.equal(fs.existsSync(path.join(outDir, "dev")), false, "the render wrote output");
        return result.stderr;
    }

    it("a team named platform", () =>
        refuses(
            "platform-team",
            {
                ...minimal,
                "gitops-platform:teams": [
                    { name: "payments", group: "acme:payments" },
                    { name: "platform", group: "acme:platform" },
                ],
            },
            [/^teams\[1\]\.name: expected a team name other than a reserved name \(AppProject "platform"/],
        ));

    it("two teams listing one namespace", () =>
        refuses(
            "shared-namespace",
            {
                ...minimal,
                "gitops-platform:teams": [
                    { name: "payments", group: "acme:payments", namespaces: ["shared"] },
                    { name: "billing", group: "acme:billing", namespaces: ["shared"] },
                ],
            },
            [
                /^teams\[1\]\.namespaces\[0\]: expected a namespace that no other key claims \(Namespace "shared"/,
            ],
        ));

    it("an app named 1ledger", () =>
        refuses("1ledger", { ...minimal, "gitops-platform:apps": [{ name: "1ledger", team: "payments" }] }, [
            /^apps\[0\]\.name: expected a DNS-1035 label, as Service names must be .*, got "1ledger"$/,
        ]));

    it("an app in a namespace its team does not have", () =>
        refuses(
            "app-namespace",
            {
                ...minimal,
                "gitops-platform:apps": [{ name: "checkout", team: "payments", namespace: "billing" }],
            },
            [/^apps\[0\]\.namespace: expected one of team payments's namespaces \(payments\)/],
        ));

    it("a stack file indented with tabs, with file:line:column", () =>
        refuses("tabs", "config:\n  gitops-platform:cluster:\n\tname: c\n", [
            /tabs\.yaml:3:1: expected indentation with spaces \(YAML does not allow tabs there\), got a tab$/,
        ]));

    it("a stack file with a duplicate key", () =>
        refuses(
            "duplicate",
            "config:\n  gitops-platform:cluster: {name: c}\n  gitops-platform:github: {owner: acme}\n  gitops-platform:cluster: {name: d}\n",
            [
                /duplicate\.yaml:4:3: expected each key once in a map, got "gitops-platform:cluster" a second time$/,
            ],
        ));

    it("a stack file that is a list instead of a map", () =>
        refuses("list", "- config\n", [/list\.yaml:1:1: expected a map of stack settings .*, got a list$/]));

    it("environment: production is one problem", () =>
        refuses("production", { ...minimal, "gitops-platform:environment": "production" }, [
            /^environment: expected one of "dev" \| "staging" \| "prod", got "production"$/,
        ]));

    it("a plain-text githubToken, with the pulumi config set --secret command, never its value", () => {
        const stderr = refuses(
            "plain-token",
            { ...minimal, "gitops-platform:githubToken": "ghp_planted_plain_value" },
            [
                /^githubToken: expected a secret value, got "plain text"; store it encrypted with `pulumi config set --secret --stack dev githubToken <value>`$/,
            ],
        );
        assert.doesNotMatch(stderr, /ghp_planted_plain_value/);
    });

    it("a name with an invisible character, quoted with escapes", () =>
        refuses(
            "invisible",
            { ...minimal, "gitops-platform:apps": [{ name: "led\u200bger", team: "payments" }] },
            [/^apps\[0\]\.name: expected a DNS-1035 label.*, got "led\\u200bger"$/],
        ));

    describe("registries, pipelines, adopted repositories and EKS (issue 14)", () => {
        const ecrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        const role = "arn:aws:iam::123456789012:role/github-ecr-push";
        const garLogin = {
            project: "acme-images",
            repository: "apps",
            workloadIdentityProvider:
                "projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
            serviceAccount: "ci-push@acme-images.iam.gserviceaccount.com",
        };
        const withRegistry = (registry: unknown) => ({
            ...minimal,
            "gitops-platform:github": { owner: "acme", registry },
        });

        it("an ECR registry whose host is not ECR's", () =>
            refuses("ecr-host", withRegistry({ kind: "ecr", host: "registry.example.com", roleArn: role }), [
                /^github\.registry\.host: expected an ECR registry host <account>\.dkr\.ecr\.<region>\.amazonaws\.com, which amazon-ecr-login logs in to, got "registry\.example\.com"$/,
            ]));

        it("an ECR region other than the host's", () =>
            refuses(
                "ecr-region",
                withRegistry({ kind: "ecr", host: ecrHost, region: "us-east-1", roleArn: role }),
                [
                    /^github\.registry\.region: expected the region of the registry host \(eu-west-1\), where amazon-ecr-login logs in, got "us-east-1"$/,
                ],
            ));

        it("an ECR host given alone, without the role the pipeline assumes", () =>
            refuses("ecr-bare", withRegistry(ecrHost), [
                /^github\.registry\.roleArn: expected string, got nothing$/,
            ]));

        it("a role of another AWS partition than the registry's", () =>
            refuses(
                "ecr-partition",
                withRegistry({
                    kind: "ecr",
                    host: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
                    roleArn: role,
                }),
                [/^github\.registry\.roleArn: expected a role in the registry's partition \(arn:aws-cn:…\)/],
            ));

        it("an Artifact Registry login to a host that is not <location>-docker.pkg.dev", () =>
            refuses("gar-host", withRegistry({ kind: "gar", host: "gcr.io", ...garLogin }), [
                /^github\.registry\.host: expected an Artifact Registry host <location>-docker\.pkg\.dev, such as europe-west1-docker\.pkg\.dev, got "gcr\.io"$/,
            ]));

        it("a password login to GitHub Container Registry", () =>
            refuses("basic-ghcr", withRegistry({ kind: "basic", host: "ghcr.io" }), [
                /^github\.registry\.host: expected a registry that takes a username and password, got "ghcr\.io"; use kind ghcr/,
            ]));

        it("an app image outside the registry the pipeline logs in to", () =>
            refuses(
                "image-outside",
                {
                    ...minimal,
                    "gitops-platform:apps": [
                        {
                            name: "checkout",
                            team: "payments",
                            pipeline: { image: "docker.io/acme/checkout" },
                        },
                    ],
                },
                [
                    /^apps\[0\]\.pipeline\.image: expected an image in ghcr\.io\/…, the registry the pipeline logs in to/,
                ],
            ));

        it("a pipeline pinned to a branch", () =>
            refuses(
                "pipeline-branch",
                { ...minimal, "gitops-platform:github": { owner: "acme", pipeline: { ref: "main" } } },
                [/^github\.pipeline\.ref: expected a full commit SHA or a release tag such as v1\.4\.0/],
            ));

        it("two apps adopting one repository, whatever the case", () =>
            refuses(
                "adopt-twice",
                {
                    ...minimal,
                    "gitops-platform:apps": [
                        { name: "checkout", team: "payments", repository: { name: "Shop", existing: true } },
                        { name: "ledger", team: "payments", repository: { name: "shop", existing: true } },
                    ],
                },
                [
                    /^apps\[1\]\.repository\.name: expected a repository name that no other key claims \(GitHub repository "shop" already comes from apps\[0\]\.repository\.name\), got "shop"$/,
                ],
            ));

        it("an app repository with your own Git", () =>
            refuses(
                "byo-repository",
                {
                    "gitops-platform:cluster": { name: "c" },
                    "gitops-platform:gitops": { repoURL: "https://git.example.com/acme/gitops.git" },
                    "gitops-platform:teams": [{ name: "payments", group: "acme:payments" }],
                    "gitops-platform:apps": [
                        { name: "checkout", team: "payments", repository: { existing: true } },
                    ],
                },
                [/^apps\[0\]\.repository: expected nothing with your own Git/],
            ));

        it("an IRSA role for an Argo CD the platform does not install", () =>
            refuses(
                "irsa-external",
                {
                    ...minimal,
                    "gitops-platform:argocd": {
                        install: "external",
                        awsRoleArn: "arn:aws:iam::123456789012:role/argocd",
                    },
                },
                [/^argocd\.awsRoleArn: expected no awsRoleArn with install: external/],
            ));

        it("an EKS connection next to a kubeconfig", () =>
            refuses(
                "eks-and-kubeconfig",
                {
                    ...minimal,
                    "gitops-platform:workloadClusters": [
                        {
                            name: "prod-eu",
                            server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                            connection: {
                                kubeconfigSecret: "prodEuKubeconfig",
                                eks: { clusterName: "prod-eu", caData: "LS0tLS1CRUdJTiBDRVJU" },
                            },
                        },
                    ],
                },
                [
                    /^workloadClusters\[0\]\.connection: expected exactly one of kubeconfigSecret, stackReference or eks$/,
                ],
            ));
    });
});
