/**
 * Benchmark: renders fleets of 10, 100 and 1,000 apps for dev, staging and prod, and measures wall time,
 * peak RSS and registered resources, against the SDK floor (the same number of bare resources under the
 * same mocks). Writes bench/results.json and prints a table.
 *
 *   npm run bench [-- --sizes 10,100,1000]
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
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

function main(): void {
    const { values } = parseArgs({ options: { sizes: { type: "string", default: "10,100,1000" } } });
    const sizes = values.sizes.split(",").map(Number);
    const results = sizes.map((apps) => {
        const runs = environments.map((env) => sample(["platform", env, String(apps)]));
        const resources = runs.reduce((n, r) => n + r.resources, 0);
        const ms = runs.reduce((n, r) => n + r.ms, 0);
        const floors = runs.map((r) => sample(["floor", String(r.resources)]));
        const floorMs = floors.reduce((n, r) => n + r.ms, 0);
        return {
            apps,
            envs: environments.length,
            resources,
            ms,
            rssMB: Math.max(...runs.map((r) => r.rssMB)),
            floorMs,
            ratio: Math.round((ms / floorMs) * 100) / 100,
        };
    });
    fs.mkdirSync(path.join(root, "bench"), { recursive: true });
    fs.writeFileSync(
        path.join(root, "bench", "results.json"),
        JSON.stringify({ sizes: results }, null, 2) + "\n",
    );
    const rows = [["APPS", "ENVS", "RESOURCES", "MS", "PEAK RSS MB", "FLOOR MS", "RATIO"]];
    for (const r of results)
        rows.push([r.apps, r.envs, r.resources, r.ms, r.rssMB, r.floorMs, r.ratio].map(String));
    process.stdout.write(table(rows) + "\n");
}

main();
