import * as fs from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { stackFile } from "../test/harness/stackConfig";

/** A mistake on the command line: the scripts print its message and exit 2. */
export class UsageError extends Error {}

/** The options every stack script takes. */
const stackOptions = {
    stack: { type: "string" },
    "config-file": { type: "string" },
} as const;

/**
 * Parses a stack script's command line: `--stack` (required), `--config-file`, and the script's own
 * `options`. What parseArgs refuses (an unknown option, a missing value) becomes a UsageError.
 */
export function parseStackArgs<T extends NonNullable<ParseArgsConfig["options"]>>(
    argv: string[],
    options: T,
) {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, options: { ...stackOptions, ...options }, strict: true });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const { stack } = parsed.values as { stack?: string };
    if (!stack) throw new UsageError("--stack is required, e.g. --stack dev");
    return { stack, values: parsed.values };
}

/** The stack's config file: `--config-file`, else `Pulumi.<stack>.yaml`. It must exist. */
export function stackConfigFile(stack: string, configFile: string | undefined): string {
    const file = configFile ?? stackFile(stack);
    if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${file}`);
    return file;
}
