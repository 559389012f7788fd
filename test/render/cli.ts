import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { projectRoot } from "../harness";

/** Runs the render CLI as a user would, in a child process. */
export function render(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(projectRoot, "scripts", "render.ts"), ...args],
        {
            cwd: projectRoot,
            encoding: "utf8",
        },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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
