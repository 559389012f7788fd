import * as fs from "node:fs";
import * as path from "node:path";

/** One step of the run, as `out/e2e/report.json` records it. */
export interface StepResult {
    name: string;
    ok: boolean;
    ms: number;
    detail: string;
}

export interface E2eReport {
    startedAt: string;
    steps: StepResult[];
    /** Wall time of the engine operations, ms: preview, up, previewNoChanges, destroy. */
    timings: Record<string, number>;
    /** Pinned versions of every component (Go modules and Debian packages as seen installed). */
    versions: Record<string, string>;
    /** Whether each Go tool was built in this run or came from the cache, and how long that took, s. */
    tools: { tool: string; status: string; seconds: number }[];
    /** Time to bring the control plane and Argo CD up, ms. */
    startupMs: number;
    totalMs: number;
    /** Processes that exited on their own and were restarted as the kubelet would, with how often. */
    restarts?: Record<string, number>;
    /** The fault injected with GITOPS_E2E_BREAK, if any. */
    fault?: string;
}

/** Runs one step, timing it; a step fails by throwing, and its message becomes the detail. */
export async function runStep(
    report: E2eReport,
    name: string,
    step: () => Promise<string>,
    onFailure: () => string = () => "",
): Promise<boolean> {
    const begin = Date.now();
    let result: StepResult;
    try {
        const detail = await step();
        result = { name, ok: true, ms: Date.now() - begin, detail };
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { name, ok: false, ms: Date.now() - begin, detail: message };
        const tails = onFailure();
        console.error(`\n✗ ${name}: ${message}${tails ? `\n${tails}` : ""}`);
    }
    report.steps.push(result);
    console.log(
        `${result.ok ? "✓" : "✗"} ${name} (${(result.ms / 1000).toFixed(1)} s)${result.ok ? `: ${result.detail}` : ""}`,
    );
    return result.ok;
}

export function writeReport(report: E2eReport, file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
}

/** The closing line CI reads. */
export function summaryLine(report: E2eReport): string {
    const passed = report.steps.filter((step) => step.ok).length;
    return `${passed} passed, ${report.steps.length - passed} failed`;
}
