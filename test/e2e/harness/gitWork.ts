import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A working clone of the GitOps repository, pushing over the run's smart-HTTP server: what CI and people do
 * to the repository in the loop (commit a bump, break a manifest, revert). Every command is asynchronous:
 * the Git server runs in this process, and a synchronous child would block it.
 */
export class GitWorkTree {
    constructor(
        readonly dir: string,
        private readonly env: Record<string, string> = {},
    ) {}

    static async clone(
        url: string,
        dir: string,
        branch: string,
        env: Record<string, string> = {},
    ): Promise<GitWorkTree> {
        await run("git", ["clone", "--quiet", url, dir], process.cwd(), env);
        const work = new GitWorkTree(dir, env);
        await work.git("config", "user.name", "gitops-e2e");
        await work.git("config", "user.email", "e2e@gitops-platform.invalid");
        await work.git("checkout", "--quiet", "-B", branch);
        return work;
    }

    async git(...args: string[]): Promise<string> {
        return (await run("git", args, this.dir, this.env)).trim();
    }

    /** Runs a shell script in the work tree (e.g. the platform's own CI bump lines). */
    sh(script: string, env: Record<string, string>): Promise<string> {
        return run("bash", ["-c", script], this.dir, { ...this.env, ...env });
    }

    write(file: string, content: string): void {
        const target = path.join(this.dir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
    }

    read(file: string): string {
        return fs.readFileSync(path.join(this.dir, file), "utf8");
    }

    /** Commits every change and pushes; resolves the new HEAD. */
    async commitAndPush(message: string, branch: string): Promise<string> {
        await this.git("add", "--all");
        await this.git("commit", "--quiet", "-m", message);
        await this.git("push", "--quiet", "origin", `HEAD:${branch}`);
        return this.head();
    }

    head(): Promise<string> {
        return this.git("rev-parse", "HEAD");
    }

    /** Paths changed by a commit, for the webhook's `commits[].modified`. */
    async changedFiles(revision: string): Promise<string[]> {
        const files = await this.git("diff-tree", "--no-commit-id", "--name-only", "-r", revision);
        return files.split("\n").filter(Boolean);
    }
}

/** Runs a command; rejects with its stderr when it fails. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            command,
            args,
            { cwd, env: { ...process.env, ...env }, encoding: "utf8" },
            (error, stdout, stderr) => {
                if (error)
                    reject(new Error(`${command} ${args.join(" ")}: ${stderr.trim() || error.message}`));
                else resolve(stdout);
            },
        );
    });
}
