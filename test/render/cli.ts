import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { projectRoot } from "../harness";

/** Runs a script of scripts/ as a user would, in a child process. */
function runScript(
    script: string,
    args: string[],
): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(projectRoot, "scripts", script), ...args],
        {
            cwd: projectRoot,
            encoding: "utf8",
        },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the render CLI (`npm run render`). */
export function render(args: string[]): ReturnType<typeof runScript> {
    return runScript("render.ts", args);
}

/** Runs the seed CLI (`npm run seed`). */
export function seed(args: string[]): ReturnType<typeof runScript> {
    return runScript("seed.ts", args);
}

/** Writes a config file shaped like `Pulumi.<stack>.yaml` and returns its path. */
export function writeConfigFile(file: string, config: Record<string, unknown>): string {
    fs.writeFileSync(file, stringify({ config }));
    return file;
}

/** The smallest valid cluster and GitHub settings, for config files that test one other key. */
export const baseConfig = {
    "gitops-platform:cluster": { name: "c" },
    "gitops-platform:github": { owner: "acme" },
};
