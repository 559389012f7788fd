import { strict as assert } from "node:assert";
import * as path from "node:path";
import { ConfigError } from "../../stacks/errors";
import { platformChartPath } from "../../components/applications";
import { platformWarnings } from "../../components/platform";
import {
    projectRoot,
    readStackFile,
    runPlatform,
    valueOf,
    type ProgramRun,
    type Recorder,
    type RecordedResource,
} from "../harness";
import { stackConfig } from "./fixtures";

/** Bring your own Git + Argo CD already installed, as a stack file. */
const byoExternalFixture = path.join(projectRoot, "test", "fixtures", "stacks", "Pulumi.byo-external.yaml");

function byoConfig(): Record<string, unknown> {
    return structuredClone(readStackFile(byoExternalFixture));
}

const p = (key: string) => `gitops-platform:${key}`;

/** Runs the program with a config it must refuse; returns the problems and what was registered. */
async function reject(config: Record<string, unknown>): Promise<{ problems: string[]; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform("dev", config, {
            fillMissingSecrets: false,
            env: {},
            onMocks: (r) => (recorder = r),
        });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

const foreignPackages = /^(github|random|tls):|^pulumi:providers:(github|random|tls)$/;

function named(resources: RecordedResource[], type: string, name: string): RecordedResource {
    const found = resources.find(
        (r) => r.type === type && (r.inputs.metadata as { name?: string } | undefined)?.name === name,
    );
    assert.ok(found, `no ${type} named ${name}`);
    return found;
}

describe("bring your own Git + Argo CD already installed (stack fixture)", () => {
    let run: ProgramRun;
    let github: ProgramRun;
    before(async () => {
        run = await runPlatform("dev", byoConfig(), { fillMissingSecrets: false, env: {} });
        github = await runPlatform("dev", stackConfig("dev"), { env: { GITHUB_TOKEN: "t" } });
    });

    it("registers no @pulumi/github, @pulumi/random or @pulumi/tls resource, not even a provider", () => {
        assert.ok(run.resources.length > 20, `only ${run.resources.length} resources`);
        assert.deepEqual(
            run.resources.filter((r) => foreignPackages.test(r.type)).map((r) => `${r.type}::${r.name}`),
            [],
        );
        // The GitHub mode of the same program does register them: the assertion above can fail.
        const types = new Set(github.resources.map((r) => r.type));
        for (const type of ["pulumi:providers:github", "tls:index/privateKey:PrivateKey"]) {
            assert.ok(types.has(type), type);
        }
    });

    it("installs no Argo CD: no Helm release for it, no argocd Namespace; configuration as patches", () => {
        assert.deepEqual(
            run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.name),
            [],
        );
        const namespaces = run.resources
            .filter((r) => r.type === "kubernetes:core/v1:Namespace")
            .map((r) => (r.inputs.metadata as { name: string }).name);
        assert.deepEqual(namespaces.sort(), ["payments", "storefront"]);
        const patched = run.resources
            .filter((r) => r.type.endsWith("Patch"))
            .map((r) => `${r.type.split(":").pop()} ${(r.inputs.metadata as { name: string }).name}`)
            .sort();
        assert.deepEqual(patched, [
            "ConfigMapPatch argocd-cm",
            "ConfigMapPatch argocd-cmd-params-cm",
            "ConfigMapPatch argocd-notifications-cm",
            "ConfigMapPatch argocd-rbac-cm",
            "SecretPatch argocd-notifications-secret",
            "SecretPatch argocd-secret",
        ]);
    });

    it("makes every Argo CD custom resource wait for the configuration patches instead of a release", () => {
        const crs = run.resources.filter((r) => r.type.startsWith("kubernetes:argoproj.io/"));
        assert.ok(crs.length >= 6, `${crs.length} custom resources`);
        for (const cr of crs) {
            for (const patch of [
                "kubernetes:core/v1:ConfigMapPatch::dev-argocd-argocd-cm",
                "kubernetes:core/v1:ConfigMapPatch::dev-argocd-argocd-rbac-cm",
                "kubernetes:core/v1:SecretPatch::dev-argocd-secret-patch",
            ]) {
                assert.ok(cr.opts.dependencies.includes(patch), `${cr.name} does not wait for ${patch}`);
            }
        }
    });

    it("stores the webhook secret from secret config under the Git server's argocd-secret key", () => {
        const patch = named(run.resources, "kubernetes:core/v1:SecretPatch", "argocd-secret");
        const data = patch.inputs.data as Record<string, string>;
        assert.deepEqual(Object.keys(data), ["webhook.gitlab.secret"]);
        assert.equal(
            Buffer.from(data["webhook.gitlab.secret"], "base64").toString(),
            "«secret:gitopsWebhookSecret»",
        );
        assert.deepEqual(patch.secretInputs, ["data"]);
    });

    it("declares the GitOps repository with the http(s) credentials from secret config", () => {
        const repo = named(run.resources, "kubernetes:core/v1:Secret", "repo-acme-gitops");
        assert.deepEqual(repo.inputs.stringData, {
            type: "git",
            url: "https://git.example.com/acme/gitops.git",
            username: "«secret:gitopsUsername»",
            password: "«secret:gitopsPassword»",
        });
        assert.deepEqual(repo.secretInputs, ["stringData"]);
    });

    it("lets team projects read the GitOps repository only; the platform project no argo-helm for the root", () => {
        const projects = run.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:AppProject");
        const sourceRepos = (r: RecordedResource) => (r.inputs.spec as { sourceRepos: string[] }).sourceRepos;
        for (const team of ["payments", "storefront"]) {
            const project = projects.find((r) => (r.inputs.metadata as { name: string }).name === team)!;
            assert.deepEqual(sourceRepos(project), ["https://git.example.com/acme/gitops.git"]);
        }
        const platform = projects.find((r) => (r.inputs.metadata as { name: string }).name === "platform")!;
        assert.equal(sourceRepos(platform)[0], "https://git.example.com/acme/gitops.git");
        // The add-on mirror replaces the catalog's repository for metrics-server.
        assert.ok(sourceRepos(platform).includes("https://charts.mirror.example.com/metrics-server"));
        assert.ok(!sourceRepos(platform).includes("https://kubernetes-sigs.github.io/metrics-server"));
    });

    it("renders the root's children with the platform chart from the GitOps repository, with the add-on mirror", () => {
        const root = named(run.resources, "kubernetes:argoproj.io/v1alpha1:Application", "platform-root");
        const source = (root.inputs.spec as { source: Record<string, unknown> }).source;
        assert.equal(source.repoURL, "https://git.example.com/acme/gitops.git");
        assert.equal(source.path, platformChartPath);
        assert.equal(source.targetRevision, "main");
        assert.equal(source.chart, undefined);
        const children = (
            source.helm as { valuesObject: { applications: Record<string, { source: { repoURL: string } }> } }
        ).valuesObject.applications;
        assert.ok(Object.keys(children).includes("platform-manifests"));
        assert.equal(
            children["metrics-server"].source.repoURL,
            "https://charts.mirror.example.com/metrics-server",
        );
    });

    it("exports the repository URL and no GitHub owner", async () => {
        const outputs = await valueOf(run.outputs);
        assert.deepEqual(outputs.gitops, {
            repository: "gitops",
            url: "https://git.example.com/acme/gitops.git",
            branch: "main",
        });
    });
});

describe("bring your own Git over ssh, without a webhook", () => {
    it("reads the repository with the ssh key from secret config, and warns that Argo CD polls", async () => {
        const config = byoConfig();
        config[p("gitops")] = { repoURL: "ssh://git@git.example.com:2222/acme/gitops.git" };
        for (const key of ["gitopsUsername", "gitopsPassword", "gitopsWebhookSecret"]) delete config[p(key)];
        config[p("gitopsSshPrivateKey")] = { secure: "v1:placeholder" };
        const run = await runPlatform("dev", config, { fillMissingSecrets: false, env: {} });
        const repo = named(run.resources, "kubernetes:core/v1:Secret", "repo-acme-gitops");
        assert.deepEqual(repo.inputs.stringData, {
            type: "git",
            url: "ssh://git@git.example.com:2222/acme/gitops.git",
            sshPrivateKey: "«secret:gitopsSshPrivateKey»",
        });
        const argoCdSecret = run.resources.find(
            (r) =>
                r.type === "kubernetes:core/v1:SecretPatch" &&
                (r.inputs.metadata as { name: string }).name === "argocd-secret",
        );
        assert.equal(argoCdSecret, undefined, "no webhook, no OIDC: nothing to patch in argocd-secret");
        assert.deepEqual(platformWarnings(run.stack.config), [
            "gitops.webhook is not set: your Git server does not notify Argo CD in dev; Argo CD polls the GitOps repository every 60s instead",
        ]);
    });
});

describe("bring your own Git: config checks", () => {
    it("refuses both github and gitops.repoURL, and neither, naming the key", async () => {
        const both = byoConfig();
        both[p("github")] = { owner: "acme" };
        delete both[p("gitops")];
        both[p("gitops")] = { repoURL: "https://git.example.com/acme/gitops.git" };
        const first = await reject(both);
        assert.equal(first.registered, 0);
        assert.ok(
            first.problems.some((line) =>
                /^gitops\.repoURL: expected no repoURL when the github section is set .*got "https:\/\/git\.example\.com\/acme\/gitops\.git"; remove one of them$/.test(
                    line,
                ),
            ),
            first.problems.join("\n"),
        );

        const neither = byoConfig();
        neither[p("gitops")] = { branch: "main" };
        const second = await reject(neither);
        assert.ok(
            second.problems.some((line) =>
                /^gitops\.repoURL: expected the URL of your GitOps repository \(bring your own Git\), or a github section instead, got nothing$/.test(
                    line,
                ),
            ),
            second.problems.join("\n"),
        );
    });

    it("refuses a URL Argo CD cannot match webhooks to", async () => {
        const config = byoConfig();
        config[p("gitops")] = { repoURL: "git://git.example.com/acme/gitops.git" };
        const { problems } = await reject(config);
        assert.ok(
            problems.some((line) =>
                /^gitops\.repoURL: expected an http\(s\) or ssh Git URL .*got "git:\/\/git\.example\.com/.test(
                    line,
                ),
            ),
            problems.join("\n"),
        );
    });

    it("needs the ssh key for an ssh URL, naming the command that sets it", async () => {
        const config = byoConfig();
        config[p("gitops")] = { repoURL: "git@git.example.com:acme/gitops.git" };
        delete config[p("gitopsUsername")];
        delete config[p("gitopsPassword")];
        const { problems, registered } = await reject(config);
        assert.equal(registered, 0);
        assert.ok(
            problems.some(
                (line) =>
                    line.startsWith(
                        "gitopsSshPrivateKey: expected the private key (OpenSSH PEM) Argo CD reads",
                    ) &&
                    line.endsWith(
                        "set it with `pulumi config set --secret --stack dev gitopsSshPrivateKey <value>`",
                    ),
            ),
            problems.join("\n"),
        );
    });

    it("needs the webhook secret when gitops.webhook is set", async () => {
        const config = byoConfig();
        delete config[p("gitopsWebhookSecret")];
        const { problems } = await reject(config);
        assert.ok(
            problems.some(
                (line) =>
                    line.startsWith(
                        "gitopsWebhookSecret: expected the shared secret of your Git server's push webhook",
                    ) &&
                    line.includes("`pulumi config set --secret --stack dev gitopsWebhookSecret <value>`"),
            ),
            problems.join("\n"),
        );
    });

    it("needs gitopsPassword with gitopsUsername", async () => {
        const config = byoConfig();
        delete config[p("gitopsPassword")];
        const { problems, registered } = await reject(config);
        assert.equal(registered, 0);
        assert.deepEqual(problems, [
            "gitopsPassword: expected the password or access token of gitopsUsername, got nothing; set it with `pulumi config set --secret --stack dev gitopsPassword <value>`",
        ]);
    });

    it("refuses gitops.webhook in GitHub mode, where the platform makes the webhook", async () => {
        const config = stackConfig("dev");
        config[p("gitops")] = { webhook: { provider: "github" } };
        const { problems } = await reject(config);
        assert.ok(
            problems.some((line) => /^gitops\.webhook: expected nothing in GitHub mode/.test(line)),
            problems.join("\n"),
        );
    });

    it("refuses a chart repository that is no URL", async () => {
        const config = byoConfig();
        config[p("argocd")] = { install: "helm", chartRepository: "charts.example.com" };
        config[p("addons")] = { "metrics-server": { repoURL: "oci://registry.example.com/charts" } };
        const { problems } = await reject(config);
        assert.ok(
            problems.some((line) =>
                /^argocd\.chartRepository: expected a Helm repository URL \(https:\/\/…\) or an OCI registry/.test(
                    line,
                ),
            ),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((line) =>
                /^addons\.metrics-server\.repoURL: expected a Helm repository URL such as https:/.test(line),
            ),
            problems.join("\n"),
        );
    });
});
