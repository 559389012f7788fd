/**
 * Offline render: runs the real program for a stack under Pulumi's mock monitor and writes what it would
 * send to the engine. No cluster, no GitHub, no credentials, no real secret values.
 *
 *   npm run render -- --stack <name> [--config-file <file>] [--out <dir>]
 *
 * Exit codes: 0 success; 2 bad config or usage; 1 a schema error, a mandatory policy violation, or any
 * other failure.
 */
import * as path from "node:path";
import { runPlatform } from "../test/harness/run";
import { projectRoot, readStackFile } from "../test/harness/stackConfig";
import { platformWarnings } from "../components/platform";
import { appTemplateWarnings } from "../components/apps";
import { ConfigError } from "../stacks/errors";
import { writeRender } from "./render/write";
import { schemaLines, validateRender } from "./render/schema";
import { checkPolicies, policyLines, writePolicyReport } from "./render/policy";
import { Progress } from "./render/progress";
import { renderDebug, withoutStackTraces } from "./render/stacks";
import { summaryTable } from "./render/summary";
import { parseStackArgs, stackConfigFile, UsageError } from "./stackArgs";

interface RenderOptions {
    stack: string;
    configFile: string;
    outDir: string;
}

function parseOptions(argv: string[]): RenderOptions {
    const { stack, values } = parseStackArgs(argv, { out: { type: "string" } });
    const configFile = stackConfigFile(stack, values["config-file"]);
    return { stack, configFile, outDir: path.resolve(values.out ?? path.join(projectRoot, "out")) };
}

async function main(): Promise<number> {
    const started = process.hrtime.bigint();
    const options = parseOptions(process.argv.slice(2));
    const progress = new Progress(process.stderr);
    const restoreStackTraces = withoutStackTraces();
    const run = await runPlatform(options.stack, readStackFile(options.configFile), {
        onMocks: (recorder) => (recorder.onCapture = (count) => progress.registered(count)),
    }).finally(restoreStackTraces);
    const warnings = [
        ...platformWarnings(run.stack.config),
        ...appTemplateWarnings(run.stack.config),
        ...run.missingSecrets.map(
            (key) => `secret ${key} is not set; rendered with a placeholder (a real deploy needs it)`,
        ),
    ];
    const written = writeRender(path.join(options.outDir, options.stack), run.resources);
    const schema = await validateRender(run.resources, (done, total) =>
        progress.step("checking schemas and workflows", done, total),
    );
    progress.phase(`running the policy pack over ${run.resources.length} resources`, run.resources.length);
    const policy = await checkPolicies(options.stack, run.stack.config.environment, run.resources);
    progress.done();
    written.push(writePolicyReport(path.join(options.outDir, options.stack), policy));
    const elapsedMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    process.stdout.write(
        summaryTable({ stack: options.stack, resources: run.resources, warnings, written, elapsedMs }),
    );
    process.stdout.write(schemaLines(schema).join("\n") + "\n");
    process.stdout.write(policyLines(policy).join("\n") + "\n");
    return schema.errors.length > 0 || policy.mandatory.length > 0 ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        if (err instanceof UsageError) {
            process.stderr.write(
                `usage error: ${err.message}\nusage: npm run render -- --stack <name> [--config-file <file>] [--out <dir>]\n`,
            );
            process.exit(2);
        }
        if (ConfigError.isConfigError(err)) {
            process.stderr.write(`${err.message}\n`);
            process.exit(2);
        }
        process.stderr.write(
            `render failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n` +
                (renderDebug ? "" : "(rerun with GITOPS_RENDER_DEBUG=1 for a full stack trace)\n"),
        );
        process.exit(1);
    },
);
