/**
 * Seed a GitOps repository: writes every file the platform would commit to it for a stack, from the same
 * builders the GitHub mode's RepositoryFile resources use. For bring-your-own-Git stacks (`gitops.repoURL`),
 * whose repository the platform cannot commit to: run it, commit the tree, push.
 *
 *   npm run seed -- --stack <name> --out <dir> [--config-file <file>] [--image <app>=<image> ...] [--force]
 *
 * Seed files (app bases, READMEs, overlays) are created once and then belong to Git: an existing one is
 * kept unless `--force`. Platform-owned files (the platform chart; GitHub workflows in GitHub mode) are
 * always rewritten. Needs no engine, cluster, Git server or secret.
 *
 * Exit codes: 0 success; 2 bad config or usage; 1 any other failure.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { platformRepositoryFiles, resolveFiles } from "../components/platformSeed";
import { ConfigError } from "../stacks/errors";
import { loadStack, pulumiConfigSource } from "../stacks/loader";
import { installMocks } from "../test/harness/mocks";
import { projectName, readStackFile, toMockConfig } from "../test/harness/stackConfig";
import { writeSeedTree, type SeedOptions } from "./seed/write";
import { parseStackArgs, stackConfigFile, UsageError } from "./stackArgs";

/** Parses the command line. Exported for tests. */
export function parseSeedOptions(argv: string[]): SeedOptions & { stack: string; configFile: string } {
    const { stack, values } = parseStackArgs(argv, {
        out: { type: "string" },
        image: { type: "string", multiple: true },
        force: { type: "boolean" },
    });
    const { out } = values;
    if (!out) throw new UsageError("--out is required: the directory to write the repository's files to");
    const configFile = stackConfigFile(stack, values["config-file"]);
    const images: Record<string, string> = {};
    for (const pair of values.image ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0 || eq === pair.length - 1) {
            throw new UsageError(
                `--image expects <app>=<image>, e.g. checkout=registry.example.com/checkout:1.0.0; got "${pair}"`,
            );
        }
        images[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return { stack, configFile, outDir: path.resolve(out), images, force: values.force ?? false };
}

async function main(): Promise<number> {
    const options = parseSeedOptions(process.argv.slice(2));
    // The stack's config is read and validated exactly as `pulumi up` would, with secrets as placeholders:
    // no file the seed writes depends on a secret.
    await installMocks(projectName, options.stack);
    const config = toMockConfig(readStackFile(options.configFile), { fillMissingSecrets: true });
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const { config: platform } = loadStack({ ...pulumiConfigSource(), env: {} });
    let specs;
    try {
        specs = platformRepositoryFiles(platform, options.images);
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const files = await resolveFiles(specs);
    const written = writeSeedTree(options.outDir, files, options);
    for (const line of written) process.stdout.write(`${line}\n`);
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            if (err instanceof UsageError || ConfigError.isConfigError(err)) {
                process.stderr.write(`${(err as Error).message}\n`);
                process.exit(2);
            }
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
