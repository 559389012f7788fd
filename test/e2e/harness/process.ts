import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * One supervised process of the e2e, modelled on controller-runtime's envtest `process.State`: it starts,
 * waits for its own readiness probe, logs to a file of its own, and is stopped by its PID (SIGTERM, then
 * SIGKILL after `stopTimeoutMs`). Nothing here searches for or signals processes it did not start.
 */
export interface ProcessSpec {
    /** Short name, also the log file's name: `<logDir>/<name>.log`. */
    name: string;
    /** Executable path (resolved by the caller from its env variable or the tool cache). */
    command: string;
    args: string[];
    /** Extra environment on top of the harness's own. */
    env?: Record<string, string>;
    cwd?: string;
    /**
     * Readiness: resolves true once the process serves. Polled every 200 ms until `startTimeoutMs`.
     * Default: ready as soon as it has been running for 500 ms.
     */
    ready?: () => Promise<boolean>;
    /** Default: 120,000 ms. */
    startTimeoutMs?: number;
    /** Default: 10,000 ms. */
    stopTimeoutMs?: number;
    /**
     * Start it again whenever it exits after it was ready, as the kubelet restarts a Deployment's container
     * (`restartPolicy: Always`, back-off doubling from 1 s to 10 s here). Argo CD's API server exits on
     * purpose when its settings change twice in a row. Each restart is counted and logged. Default: false.
     */
    restartOnExit?: boolean;
}

export class SupervisedProcess {
    readonly name: string;
    readonly logFile: string;
    private child?: ChildProcess;
    private exited?: Promise<void>;
    private exitCode: number | null = null;
    private stopping = false;
    /** How often it was started again after exiting (`restartOnExit`). */
    restarts = 0;

    constructor(
        readonly spec: ProcessSpec,
        logDir: string,
    ) {
        this.name = spec.name;
        this.logFile = path.join(logDir, `${spec.name}.log`);
    }

    get pid(): number | undefined {
        return this.child?.pid;
    }

    /** Starts the process and waits for its readiness probe; throws with the log's tail if it dies or times out. */
    async start(): Promise<void> {
        this.spawn();
        const deadline = Date.now() + (this.spec.startTimeoutMs ?? 120_000);
        const started = Date.now();
        for (;;) {
            if (this.exitCode !== null) {
                throw new Error(
                    `${this.spec.name} exited (${this.exitCode}) before it was ready\n${this.tail()}`,
                );
            }
            const ready = this.spec.ready
                ? await this.spec.ready().catch(() => false)
                : Date.now() - started > 500;
            if (ready) break;
            if (Date.now() > deadline) {
                throw new Error(
                    `${this.spec.name} was not ready in ${this.spec.startTimeoutMs ?? 120_000} ms\n${this.tail()}`,
                );
            }
            await sleep(200);
        }
        if (this.spec.restartOnExit) void this.restartWhenExited(1_000);
    }

    /** The kubelet's part: after an exit that `stop()` did not ask for, back off, start again, repeat. */
    private async restartWhenExited(backoffMs: number): Promise<void> {
        await this.exited;
        if (this.stopping) return;
        fs.appendFileSync(
            this.logFile,
            `[e2e] exited (${this.exitCode}); restarting in ${backoffMs} ms, as the kubelet would\n`,
        );
        await sleep(backoffMs);
        if (this.stopping) return;
        this.restarts++;
        this.spawn();
        void this.restartWhenExited(Math.min(backoffMs * 2, 10_000));
    }

    private spawn(): void {
        this.exitCode = null;
        const log = fs.openSync(this.logFile, "a");
        const child = spawn(this.spec.command, this.spec.args, {
            cwd: this.spec.cwd,
            env: { ...process.env, ...this.spec.env },
            stdio: ["ignore", log, log],
        });
        fs.closeSync(log);
        this.child = child;
        this.exited = new Promise((resolve) => {
            child.once("exit", (code, signal) => {
                this.exitCode = code ?? (signal ? 128 : -1);
                resolve();
            });
            child.once("error", (error) => {
                fs.appendFileSync(this.logFile, `spawn failed: ${error.message}\n`);
                this.exitCode = -1;
                resolve();
            });
        });
    }

    /** Whether it is still running (a crash after start shows up here and in the log). */
    get running(): boolean {
        return this.child !== undefined && this.exitCode === null;
    }

    /** SIGTERM by PID, SIGKILL after the stop timeout. Safe to call twice or before start. */
    async stop(): Promise<void> {
        this.stopping = true;
        if (!this.child || this.exitCode !== null) return;
        this.child.kill("SIGTERM");
        const killed = await Promise.race([
            this.exited!.then(() => false),
            sleep(this.spec.stopTimeoutMs ?? 10_000).then(() => true),
        ]);
        if (killed) {
            this.child.kill("SIGKILL");
            await this.exited;
        }
    }

    /** The last lines of the log, for failure messages. */
    tail(lines = 40): string {
        if (!fs.existsSync(this.logFile)) return "";
        const text = fs.readFileSync(this.logFile, "utf8").trimEnd().split("\n");
        return text
            .slice(-lines)
            .map((line) => `  ${this.spec.name} | ${line}`)
            .join("\n");
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or throws after
 * `timeoutMs` with the last reason `probe` gave (through `why`).
 */
export async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    { timeoutMs = 60_000, intervalMs = 500 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError = "";
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
        } catch (error) {
            lastError = error instanceof Error ? error.message : String(error);
        }
        if (Date.now() > deadline) {
            throw new Error(
                `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`,
            );
        }
        await sleep(intervalMs);
    }
}
