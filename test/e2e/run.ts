/**
 * `npm run e2e`: the platform and the whole GitOps loop on real engines, on one machine (docs/e2e.md).
 * Started by e2e.sh inside a network namespace of the run's own; writes out/e2e/report.json and ends with
 * the plain line `N passed, N failed`.
 *
 * Environment: GITOPS_E2E_KEEP=1 keeps everything running after the steps until Ctrl-C (to look around
 * with kubectl and the Argo CD API); GITOPS_E2E_TOOLS names the tools report of e2e.sh.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { injectedFault } from "./faults";
import { runStep, summaryLine, writeReport, type E2eReport } from "./harness/report";
import { toolVersion, goTools } from "./harness/tools";
import { ControlPlane } from "./harness/controlPlane";
import { bringUp, type E2eRun } from "./setup";
import * as steps from "./steps";

const repoRoot = path.join(__dirname, "..", "..");
const outDir = path.join(repoRoot, "out", "e2e");

/** The loop, in the seed's order: each step one function of steps.ts. */
const loop: [string, (run: E2eRun) => Promise<string>][] = [
    ["preview-policy", steps.previewWithPolicy],
    ["up", steps.up],
    ["preview-no-changes", steps.previewNoChanges],
    ["platform-synced", steps.platformSynced],
    ["app-template", steps.appTemplate],
    ["canary-fails-closed", steps.canaryFailsClosed],
    ["deploy", steps.deploy],
    // Before the failed sync: after it, Argo CD 3.6.1 skips self-heal until a sync succeeds ("failed
    // previous sync attempt to <broken> and will not retry for <revert>"); only a new revision syncs.
    ["self-heal", steps.selfHeal],
    ["subscriptions-kept", steps.subscriptionsKept],
    ["notify", steps.notify],
    ["rollback", steps.rollback],
    ["rollback-release", steps.rollbackRelease],
    ["deploy-feedback", steps.deployFeedback],
    ["secrets", steps.secretsStayEncrypted],
    ["destroy", steps.destroy],
];

/**
 * Whether each tool was built in this run or came from the cache: e2e.sh's own build lines, merged with
 * those of the background build CI starts first (`out/e2e/tools-background.log`), where a tool built there
 * shows as built.
 */
function toolsReport(): E2eReport["tools"] {
    const tools = new Map<string, E2eReport["tools"][number]>();
    for (const file of [process.env.GITOPS_E2E_TOOLS, path.join(outDir, "tools-background.log")]) {
        if (!file || !fs.existsSync(file)) continue;
        for (const line of fs.readFileSync(file, "utf8").split("\n")) {
            const [tool, status, seconds] = line.split(" ");
            if (status !== "built" && status !== "cached") continue;
            if (tools.get(tool)?.status === "built") continue;
            tools.set(tool, { tool, status, seconds: Number(seconds) });
        }
    }
    return [...tools.values()];
}

function debianVersions(): Record<string, string> {
    const file = path.join(outDir, "debian-packages.txt");
    if (!fs.existsSync(file)) return {};
    return Object.fromEntries(
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => line.split("\t") as [string, string]),
    );
}

async function main(): Promise<number> {
    const begin = Date.now();
    const fault = injectedFault();
    if (fault) console.log(`GITOPS_E2E_BREAK=${fault}: the step guarding it is expected to fail`);
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-e2e-"));
    const logDir = path.join(outDir, "logs");
    fs.rmSync(logDir, { recursive: true, force: true });
    fs.mkdirSync(logDir, { recursive: true });
    const report: E2eReport = {
        startedAt: new Date(begin).toISOString(),
        steps: [],
        timings: {},
        versions: {
            ...Object.fromEntries(goTools.map((tool) => [tool, toolVersion(tool)])),
            ...debianVersions(),
            node: process.version,
        },
        tools: toolsReport(),
        startupMs: 0,
        totalMs: 0,
        ...(fault ? { fault } : {}),
    };
    let run: E2eRun | undefined;
    const controlPlane = new ControlPlane();
    const stopAll = () => controlPlane.stop();
    process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
    process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));
    try {
        const started = await runStep(report, "start", async () => {
            run = await bringUp(runDir, logDir, controlPlane);
            return `control planes, Git server, chart mirror, receivers and Argo CD up in ${((Date.now() - begin) / 1000).toFixed(1)} s`;
        });
        report.startupMs = Date.now() - begin;
        if (started && run) {
            const current = run;
            for (const [name, step] of loop) {
                const ok = await runStep(
                    report,
                    name,
                    () => step(current),
                    () => current.controlPlane.tails(),
                );
                // Later steps build on earlier ones; after a failure only the teardown still means something.
                if (!ok && name !== "destroy") {
                    await runStep(report, "destroy", () => steps.destroy(current));
                    break;
                }
            }
            report.timings = current.timings;
            if (process.env.GITOPS_E2E_KEEP === "1") {
                console.log(
                    `\nKept running (Ctrl-C stops it). KUBECONFIG=${current.hubEndpoints.kubeconfig} (hub), ${current.spokeEndpoints.kubeconfig} (spoke); Argo CD API ${current.argoCd.serverUrl}; logs in ${logDir}`,
                );
                await new Promise(() => undefined);
            }
        }
    } finally {
        report.restarts = controlPlane.restarts();
        await stopAll();
        report.totalMs = Date.now() - begin;
        writeReport(report, path.join(outDir, "report.json"));
        fs.rmSync(runDir, { recursive: true, force: true });
    }
    console.log(summaryLine(report));
    return report.steps.every((step) => step.ok) ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error);
        console.log("0 passed, 1 failed");
        process.exit(1);
    },
);
