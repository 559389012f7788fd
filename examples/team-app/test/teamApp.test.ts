import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformOutputs } from "gitops-platform/components";
import { onboardApp } from "../app";

/** The platform stack's output, as a StackReference would read it. */
const platformOutputs: PlatformOutputs = {
    environment: "dev",
    argocd: { namespace: "argocd", url: "https://argocd.dev.example.com" },
    projects: ["platform", "payments"],
    gitops: { repository: "gitops", url: "git@github.com:acme/gitops.git", branch: "main", owner: "acme" },
    clusters: [{ name: "acme-dev", server: "https://kubernetes.default.svc", labels: {} }],
    pipeline: {
        workflow: "acme/platform-pipeline/.github/workflows/build.yml",
        ref: "v1.4.0",
        registryKind: "ecr",
    },
    notifications: {},
};

/** The app the example onboards. */
const invoices = {
    platformStack: "acme/gitops-platform/dev",
    owner: "acme",
    name: "invoices",
    team: "payments",
    namespace: "payments",
};

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** Mocks that answer the StackReference with the platform's outputs and fail on anything unmocked. */
async function mock(): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                if (args.type === "pulumi:pulumi:StackReference") {
                    if (args.inputs.name !== "acme/gitops-platform/dev")
                        throw new Error(`unknown stack ${args.inputs.name}`);
                    return {
                        id: args.inputs.name,
                        state: {
                            name: args.inputs.name,
                            outputs: { platform: platformOutputs },
                            secretOutputNames: [],
                        },
                    };
                }
                if (args.type === "tls:index/privateKey:PrivateKey") {
                    const key = {
                        publicKeyOpenssh: `ssh-ed25519 AAAA${args.name}`,
                        privateKeyOpenssh: "«private»",
                    };
                    return { id: `${args.name}-id`, state: { ...args.inputs, ...key } };
                }
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call(args) {
                throw new Error(`unmocked invoke ${args.token}`);
            },
        },
        "team-app",
        "dev",
        false,
    );
    return registered;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("team-app example", () => {
    it("reads the platform stack and declares the app's Application in the team's project", async () => {
        const registered = await mock();
        const { application } = onboardApp(invoices);
        await valueOf(application.resource.id);
        const cr = registered.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
        assert.ok(cr, registered.map((r) => r.type).join(", "));
        const spec = cr.inputs.spec as {
            project: string;
            source: { repoURL: string; path: string; targetRevision: string };
        };
        assert.equal(spec.project, "payments");
        assert.deepEqual(spec.source, {
            repoURL: "git@github.com:acme/gitops.git",
            targetRevision: "main",
            path: "apps/invoices/overlays/dev",
        });
        assert.equal((cr.inputs.metadata as { namespace: string }).namespace, "argocd");
        assert.ok(registered.some((r) => r.type === "pulumi:providers:kubernetes"));
    });

    it("declares the app's repository calling the platform's pinned pipeline, and seeds its base into the GitOps repository", async () => {
        const registered = await mock();
        const { application } = onboardApp(invoices);
        await valueOf(application.resource.id);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const repo = registered.find((r) => r.type === "github:index/repository:Repository");
        assert.equal(repo?.inputs.name, "invoices");
        assert.equal(repo?.inputs.visibility, "private");
        const files = registered.filter((r) => r.type === "github:index/repositoryFile:RepositoryFile");
        const byPath = new Map(files.map((f) => [`${f.inputs.repository}:${f.inputs.file}`, f]));
        const caller = byPath.get("invoices:.github/workflows/gitops-platform.yml");
        assert.ok(caller, [...byPath.keys()].join(", "));
        assert.match(
            String(caller.inputs.content),
            /uses: acme\/platform-pipeline\/\.github\/workflows\/build\.yml@v1\.4\.0 # v1\.4\.0/,
        );
        assert.match(String(caller.inputs.content), /id-token: write/, "ECR logs in through OIDC");
        assert.ok(byPath.has("gitops:apps/invoices/base/kustomization.yaml"), [...byPath.keys()].join(", "));
        for (const environment of ["dev", "staging", "prod"]) {
            for (const file of ["kustomization.yaml", "manifests.yaml"]) {
                const path = `gitops:apps/invoices/platform/${environment}/${file}`;
                assert.ok(byPath.has(path), path);
                // Kept up to date, not seeded: an enforced file's commit message says "update".
                assert.match(
                    String(byPath.get(path)?.inputs.commitMessage),
                    /^chore\(platform\): update /,
                    path,
                );
            }
        }
        assert.match(
            String(byPath.get("gitops:apps/invoices/platform/dev/manifests.yaml")?.inputs.content),
            /kind: Deployment[\s\S]*namespace: payments/,
        );
        assert.match(
            String(byPath.get("gitops:apps/invoices/base/kustomization.yaml")?.inputs.content),
            /namespace: payments/,
        );
        const key = registered.find((r) => r.type === "github:index/repositoryDeployKey:RepositoryDeployKey");
        assert.equal(key?.inputs.repository, "gitops");
        assert.equal(key?.inputs.readOnly, false);
    });

    it("refuses a team the platform has no project for", async () => {
        await mock();
        const { application } = onboardApp({ ...invoices, name: "x", team: "billing", namespace: "x" });
        const failure = await new Promise<unknown>((resolve) => {
            (application.applicationName as unknown as { promise(): Promise<unknown> })
                .promise()
                .then(() => resolve(undefined), resolve);
        });
        assert.match(String(failure), /team "billing" has no project on acme\/gitops-platform\/dev/);
    });
});
