import { strict as assert } from "node:assert";
import { defaultPipelineSettings } from "../../components/github";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import {
    childApplicationValues,
    platformChart,
    platformChartFiles,
    platformChartPath,
    platformChartSpecKeys,
    platformChartTemplate,
} from "../../components/applications";
import { appOverlayFile, splitImage } from "../../components/github";
import { platformRepositoryFiles, resolveFiles } from "../../components/platformSeed";
import { writeSeedTree } from "../../scripts/seed/write";
import { projectRoot } from "../harness";
import { seed } from "../render/cli";

const sync = {
    automated: true,
    prune: true,
    selfHeal: true,
    cascadeDelete: true,
    retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
};
/** Bring your own Git + Argo CD already installed, as a stack file. */
const byoExternalFixture = path.join(projectRoot, "test", "fixtures", "stacks", "Pulumi.byo-external.yaml");

describe("platform chart", () => {
    it("is a Helm v2 application chart with an exact version, at platform/chart", () => {
        const files = platformChartFiles();
        assert.deepEqual(
            files.map((f) => f.path),
            [
                `${platformChartPath}/Chart.yaml`,
                `${platformChartPath}/values.yaml`,
                `${platformChartPath}/templates/applications.yaml`,
            ],
        );
        const chart = parse(files[0].content) as Record<string, unknown>;
        assert.deepEqual(chart, {
            apiVersion: "v2",
            name: platformChart.name,
            description: chart.description,
            type: "application",
            version: platformChart.version,
        });
        assert.match(String(chart.version), /^\d+\.\d+\.\d+$/);
        assert.deepEqual(parse(files[1].content), { applications: {} });
    });

    it("carries every spec key the root's values give a child into the Application's spec", () => {
        const values = childApplicationValues({
            project: "platform",
            applicationNamespace: "argocd",
            sync,
            children: [
                {
                    name: "metrics-server",
                    syncWave: 30,
                    project: "platform",
                    source: {
                        repoURL: "https://charts.example.com",
                        chart: "metrics-server",
                        targetRevision: "3.7.0",
                        helmValues: {},
                    },
                    destination: { namespace: "kube-system" },
                    sync,
                },
            ],
        }) as { applications: Record<string, Record<string, unknown>> };
        const metadataKeys = ["namespace", "additionalLabels", "additionalAnnotations", "finalizers"];
        const specKeys = Object.keys(values.applications["metrics-server"]).filter(
            (k) => !metadataKeys.includes(k),
        );
        assert.ok(specKeys.includes("syncPolicy"), specKeys.join(", "));
        for (const key of specKeys)
            assert.ok((platformChartSpecKeys as readonly string[]).includes(key), key);
        const template = platformChartTemplate();
        for (const key of platformChartSpecKeys) assert.ok(template.includes(`"${key}"`), key);
        for (const key of metadataKeys) assert.ok(template.includes(`$app.${key}`), key);
        assert.match(template, /^\{\{- range \$name, \$app := \.Values\.applications \}\}$/m);
        assert.match(template, /^kind: Application$/m);
    });
});

describe("seed files", () => {
    const apps = [{ name: "checkout", team: "payments" }];
    const teams = [{ name: "payments", group: "acme:payments" }];

    it("gives your own Git the same app bases and platform chart as the GitHub mode commits, without GitHub's files", async () => {
        const gitops = { repository: "gitops", branch: "main" };
        const github = {
            owner: "acme",
            sharedStack: "prod",
            registry: { kind: "ghcr", host: "ghcr.io" } as const,
            pipeline: { repository: "platform-pipeline", defaults: defaultPipelineSettings },
            requiredApprovals: 1,
            environmentProtection: {
                reviewerTeamIds: [],
                reviewerUserIds: [],
                waitTimer: 0,
                preventSelfReview: false,
            },
        };
        const onGitHub = await resolveFiles(
            platformRepositoryFiles({ environment: "dev", github, gitops, teams, apps }),
        );
        const own = await resolveFiles(
            platformRepositoryFiles({
                environment: "dev",
                gitops: { ...gitops, repoURL: "https://git.example.com/g.git" },
                teams,
                apps,
            }),
        );
        const byPath = new Map(onGitHub.map((f) => [f.path, f]));
        assert.deepEqual(own.map((f) => f.path).sort(), [
            "README.md",
            "apps/checkout/base/kustomization.yaml",
            "apps/checkout/platform/dev/kustomization.yaml",
            "apps/checkout/platform/dev/manifests.yaml",
            "platform/chart/Chart.yaml",
            "platform/chart/templates/applications.yaml",
            "platform/chart/values.yaml",
            "platform/dev/README.md",
            "platform/prod/README.md",
            "platform/staging/README.md",
        ]);
        for (const file of own.filter((f) => f.path !== "README.md")) {
            assert.deepEqual(file, byPath.get(file.path), file.path);
        }
        assert.ok(byPath.has(".github/workflows/promote.yml"));
        assert.doesNotMatch(own.find((f) => f.path === "README.md")!.content, /workflow/i);
    });

    it("writes an overlay the way CI's `kustomize edit set image` does", () => {
        assert.deepEqual(splitImage("registry.example.com:5000/acme/checkout"), {
            newName: "registry.example.com:5000/acme/checkout",
        });
        assert.deepEqual(splitImage("ghcr.io/acme/checkout:1.2.3"), {
            newName: "ghcr.io/acme/checkout",
            newTag: "1.2.3",
        });
        assert.deepEqual(splitImage("ghcr.io/acme/checkout@sha256:abc"), {
            newName: "ghcr.io/acme/checkout",
            digest: "sha256:abc",
        });
        const file = appOverlayFile("checkout", "dev", "ghcr.io/acme/checkout:1.2.3");
        assert.equal(file.path, "apps/checkout/overlays/dev/kustomization.yaml");
        assert.deepEqual(parse(String(file.content)), {
            apiVersion: "kustomize.config.k8s.io/v1beta1",
            kind: "Kustomization",
            resources: ["../../base"],
            components: ["../../platform/dev"],
            images: [{ name: "checkout", newName: "ghcr.io/acme/checkout", newTag: "1.2.3" }],
        });
        assert.throws(
            () =>
                platformRepositoryFiles(
                    {
                        environment: "dev",
                        gitops: { repository: "g", branch: "main", repoURL: "https://g/x.git" },
                        teams,
                        apps,
                    },
                    { billing: "b:1" },
                ),
            /--image billing=b:1: expected one of the stack's apps \(checkout\), got "billing"/,
        );
    });

    it("keeps seed files Git already has, rewrites platform-owned ones, and stays inside the directory", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
        const files = [
            { path: "apps/a/base/kustomization.yaml", content: "seed\n", seed: true },
            { path: "platform/chart/Chart.yaml", content: "chart\n", seed: false },
        ];
        assert.deepEqual(writeSeedTree(dir, files, { force: false }), [
            "wrote apps/a/base/kustomization.yaml",
            "wrote platform/chart/Chart.yaml",
        ]);
        fs.writeFileSync(path.join(dir, "apps/a/base/kustomization.yaml"), "changed in Git\n");
        fs.writeFileSync(path.join(dir, "platform/chart/Chart.yaml"), "changed in Git\n");
        assert.deepEqual(writeSeedTree(dir, files, { force: false }), [
            "kept apps/a/base/kustomization.yaml (seed; already there, Git owns it)",
            "wrote platform/chart/Chart.yaml",
        ]);
        assert.equal(
            fs.readFileSync(path.join(dir, "apps/a/base/kustomization.yaml"), "utf8"),
            "changed in Git\n",
        );
        assert.equal(fs.readFileSync(path.join(dir, "platform/chart/Chart.yaml"), "utf8"), "chart\n");
        assert.throws(
            () => writeSeedTree(dir, [{ path: "../escape", content: "", seed: true }], { force: false }),
            /refusing to write outside/,
        );
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("npm run seed writes a complete tree for the bring-your-own-Git fixture, with an overlay", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-cli-"));
        const result = seed([
            "--stack",
            "dev",
            "--config-file",
            byoExternalFixture,
            "--out",
            dir,
            "--image",
            "checkout=registry.example.com/checkout:1.0.0",
        ]);
        assert.equal(result.status, 0, result.stderr);
        const written = result.stdout.trim().split("\n");
        assert.ok(
            written.every((line) => line.startsWith("wrote ")),
            result.stdout,
        );
        for (const file of [
            "README.md",
            "apps/checkout/base/kustomization.yaml",
            "apps/checkout/platform/dev/kustomization.yaml",
            "apps/checkout/platform/dev/manifests.yaml",
            "apps/checkout/overlays/dev/kustomization.yaml",
            "apps/web/base/kustomization.yaml",
            "platform/dev/README.md",
            "platform/chart/templates/applications.yaml",
        ]) {
            assert.ok(fs.existsSync(path.join(dir, file)), file);
        }
        assert.ok(!fs.existsSync(path.join(dir, ".github")));
        // Every base's and platform Component's kustomization names files that exist, and the overlay
        // includes what exists.
        for (const dir_ of [
            "apps/checkout/base",
            "apps/web/base",
            "apps/checkout/platform/dev",
            "apps/web/platform/dev",
        ]) {
            const base = path.join(dir, dir_);
            const kustomization = parse(fs.readFileSync(path.join(base, "kustomization.yaml"), "utf8")) as {
                resources: string[];
            };
            for (const resource of kustomization.resources)
                assert.ok(fs.existsSync(path.join(base, resource)), `${dir_}/${resource}`);
        }
        const overlay = path.join(dir, "apps/checkout/overlays/dev");
        const included = parse(fs.readFileSync(path.join(overlay, "kustomization.yaml"), "utf8")) as {
            resources: string[];
            components: string[];
        };
        for (const entry of [...included.resources, ...included.components])
            assert.ok(fs.existsSync(path.join(overlay, entry, "kustomization.yaml")), entry);
        const bad = seed(["--stack", "dev", "--config-file", byoExternalFixture]);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--out is required/);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
