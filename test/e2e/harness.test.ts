/** The e2e's process supervision (harness/process.ts), on a process that exits by itself. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SupervisedProcess, sleep, waitFor } from "./harness/process";

describe("SupervisedProcess", () => {
    let logDir: string;
    beforeEach(() => {
        logDir = fs.mkdtempSync(path.join(os.tmpdir(), "supervised-"));
    });
    afterEach(() => fs.rmSync(logDir, { recursive: true, force: true }));

    const exitsSoon = (restartOnExit: boolean) =>
        new SupervisedProcess(
            { name: "exits-soon", command: "sh", args: ["-c", "sleep 0.7; exit 3"], restartOnExit },
            logDir,
        );

    it("starts again a process that exits on its own, as the kubelet would, and says so in its log", async () => {
        const process = exitsSoon(true);
        await process.start();
        try {
            await waitFor("a restart", async () => (process.restarts >= 1 ? true : undefined), {
                timeoutMs: 10_000,
                intervalMs: 100,
            });
            assert.ok(process.running);
            assert.match(fs.readFileSync(process.logFile, "utf8"), /exited \(3\); restarting in 1000 ms/);
        } finally {
            await process.stop();
        }
        const restarts = process.restarts;
        await sleep(2_500);
        assert.equal(process.restarts, restarts, "no restart after stop()");
        assert.equal(process.running, false);
    });

    it("leaves a process that exits alone without restartOnExit", async () => {
        const process = exitsSoon(false);
        await process.start();
        await waitFor("the exit", async () => (process.running ? undefined : true), {
            timeoutMs: 5_000,
            intervalMs: 100,
        });
        await sleep(1_500);
        assert.equal(process.restarts, 0);
        assert.equal(process.running, false);
    });
});
