/**
 * Benchmark: renders fleets of 10, 100 and 1,000 apps for dev, staging and prod, and measures wall time,
 * peak RSS and registered resources against two floors, each under the same mocks: the SDK floor (the same
 * number of bare two-property resources) and the replay (the program's own registrations sent again through
 * the same provider classes, with none of the program's code). Writes bench/results.json, prints a table.
 *
 *   npm run bench [-- --sizes 10,100,1000] [--runs N]   (N rounds per measurement; the median is kept)
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { table } from "./render/summary";

const environments = ["dev", "staging", "prod"];
const root = path.resolve(__dirname, "..");

interface Sample {
    resources: number;
    ms: number;
    rssMB: number;
}

function sample(args: string[]): Sample {
    const output = execFileSync(
        process.execPath,
        ["--import", "tsx", path.join(__dirname, "bench", "worker.ts"), ...args],
        {
            cwd: root,
            encoding: "utf8",
            maxBuffer: 16 * 1024 * 1024,
        },
    );
    return JSON.parse(output.trim().split("\n").pop() ?? "{}") as Sample;
}

/** The sample with the median time (rounds interleave the three kinds, so drift hits each alike). */
function median(samples: Sample[]): Sample {
    return [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)];
}

function ratio(ms: number, floorMs: number): number {
    return Math.round((ms / floorMs) * 100) / 100;
}

function main(): void {
    const { values } = parseArgs({
        options: {
            sizes: { type: "string", default: "10,100,1000" },
            runs: { type: "string", default: "1" },
        },
    });
    const sizes = values.sizes.split(",").map(Number);
    const rounds = Array.from({ length: Math.max(1, Number(values.runs)) }, (_, i) => i);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-bench-"));
    const results = sizes.map((apps) => {
        const runs = environments.map((env) => {
            const registrations = path.join(scratch, `${env}-${apps}.json`);
            const samples = rounds.map(() => {
                const run = sample(["platform", env, String(apps), registrations]);
                return {
                    run,
                    replay: sample(["replay", registrations]),
                    floor: sample(["floor", String(run.resources)]),
                };
            });
            return {
                run: median(samples.map((s) => s.run)),
                replay: median(samples.map((s) => s.replay)),
                floor: median(samples.map((s) => s.floor)),
            };
        });
        const total = (pick: (r: (typeof runs)[number]) => Sample) =>
            runs.reduce((n, r) => n + pick(r).ms, 0);
        const ms = total((r) => r.run);
        const floorMs = total((r) => r.floor);
        const replayMs = total((r) => r.replay);
        return {
            apps,
            envs: environments.length,
            resources: runs.reduce((n, r) => n + r.run.resources, 0),
            ms,
            rssMB: Math.max(...runs.map((r) => r.run.rssMB)),
            floorMs,
            ratio: ratio(ms, floorMs),
            replayMs,
            replayRatio: ratio(ms, replayMs),
        };
    });
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, "bench"), { recursive: true });
    fs.writeFileSync(
        path.join(root, "bench", "results.json"),
        JSON.stringify({ sizes: results }, null, 2) + "\n",
    );
    const rows = [
        ["APPS", "ENVS", "RESOURCES", "MS", "PEAK RSS MB", "FLOOR MS", "RATIO", "REPLAY MS", "REPLAY RATIO"],
    ];
    for (const r of results)
        rows.push(
            [r.apps, r.envs, r.resources, r.ms, r.rssMB, r.floorMs, r.ratio, r.replayMs, r.replayRatio].map(
                String,
            ),
        );
    process.stdout.write(table(rows) + "\n");
}

main();
