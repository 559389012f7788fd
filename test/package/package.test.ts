import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../harness";

const consumerSource = `
import * as pulumi from "@pulumi/pulumi";
import {
    AppRepository,
    ArgoCd,
    GitOpsApplication,
    GitOpsPlatform,
    platformReference,
    type PlatformOutputs,
} from "gitops-platform/components";

pulumi.runtime.setMocks(
    {
        newResource: (args) => ({ id: \`\${args.name}-id\`, state: args.inputs }),
        call: (args) => {
            throw new Error(\`unmocked invoke \${args.token}\`);
        },
    },
    "consumer",
    "dev",
    false,
);

const sync = {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 3, backoff: { duration: "5s", factor: 2, maxDuration: "1m" } },
    cascadeDelete: false,
};
const app = new GitOpsApplication("checkout", {
    argoCd: { namespace: "argocd" },
    project: "payments",
    source: { repoURL: "git@github.com:acme/gitops.git", targetRevision: "main", path: "apps/checkout/overlays/dev" },
    destination: { namespace: "payments" },
    sync,
});
const used: unknown[] = [AppRepository, ArgoCd, GitOpsPlatform, platformReference];
const outputs: Partial<PlatformOutputs> = { environment: "dev" };
app.applicationName.apply((name) => console.log(\`registered \${name} with \${used.length} more components, env \${outputs.environment}\`));
`;

const consumerTsconfig = {
    compilerOptions: {
        target: "ES2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        skipLibCheck: false,
        types: ["node"],
        outDir: "bin",
    },
    include: ["index.ts"],
};

describe("the published package", function () {
    this.timeout(120000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "package-"));
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("packs, installs into a fresh strict TypeScript project, type-checks and runs", () => {
        const run = (cmd: string, args: string[], cwd: string) =>
            execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        run(npm, ["run", "build", "--silent"], projectRoot);
        const tarball = run(npm, ["pack", "--silent", "--pack-destination", work], projectRoot)
            .trim()
            .split("\n")
            .pop()!;

        // A fresh project: the packed package, plus the registry dependencies it declares.
        const consumer = path.join(work, "consumer");
        const modules = path.join(consumer, "node_modules");
        fs.mkdirSync(modules, { recursive: true });
        run("tar", ["xzf", path.join(work, tarball), "-C", work], work);
        fs.renameSync(path.join(work, "package"), path.join(modules, "gitops-platform"));
        for (const entry of fs.readdirSync(path.join(projectRoot, "node_modules"))) {
            if (entry === "gitops-platform" || entry.startsWith(".")) continue;
            fs.symlinkSync(path.join(projectRoot, "node_modules", entry), path.join(modules, entry));
        }
        fs.writeFileSync(
            path.join(consumer, "package.json"),
            JSON.stringify({ name: "consumer", private: true }),
        );
        fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(consumerTsconfig));
        fs.writeFileSync(path.join(consumer, "index.ts"), consumerSource);

        const packed = JSON.parse(
            fs.readFileSync(path.join(modules, "gitops-platform", "package.json"), "utf8"),
        );
        // The README links into docs/, so both ship; nothing else does.
        assert.ok(
            packed.files.every((f: string) => f.startsWith("dist/") || f === "docs/" || f === "README.md"),
        );
        assert.ok(
            fs.existsSync(path.join(modules, "gitops-platform", "docs", "configuration.md")),
            "the README's documentation links must resolve in the package",
        );
        assert.ok(
            !fs.existsSync(path.join(modules, "gitops-platform", "test")),
            "tests must not be published",
        );

        run(
            process.execPath,
            [path.join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "."],
            consumer,
        );
        const output = run(process.execPath, [path.join(consumer, "bin", "index.js")], consumer);
        assert.match(output, /registered checkout with 4 more components, env dev/);
    });
});
