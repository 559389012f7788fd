import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A working clone of the GitOps repository, pushing over the run's smart-HTTP server: what CI and people do
 * to the repository in the loop (commit a bump, break a manifest, revert).
 */
export class GitWorkTree {
    constructor(
        readonly dir: string,
        private readonly env: Record<string, string> = {},
    ) {}

    static clone(url: string, dir: string, branch: string, env: Record<string, string> = {}): GitWorkTree {
        const work = new GitWorkTree(dir, env);
        execFileSync("git", ["clone", "--quiet", url, dir], {
            env: { ...process.env, ...env },
            stdio: "pipe",
        });
        work.git("config", "user.name", "gitops-e2e");
        work.git("config", "user.email", "e2e@gitops-platform.invalid");
        work.git("checkout", "--quiet", "-B", branch);
        return work;
    }

    git(...args: string[]): string {
        return execFileSync("git", args, {
            cwd: this.dir,
            env: { ...process.env, ...this.env },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        }).trim();
    }

    /** Runs a shell script in the work tree (e.g. the platform's own CI bump lines). */
    sh(script: string, env: Record<string, string>): string {
        return execFileSync("bash", ["-c", script], {
            cwd: this.dir,
            env: { ...process.env, ...this.env, ...env },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
    }

    write(file: string, content: string): void {
        const target = path.join(this.dir, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
    }

    read(file: string): string {
        return fs.readFileSync(path.join(this.dir, file), "utf8");
    }

    /** Commits everything staged or changed and pushes; returns the new HEAD. */
    commitAndPush(message: string, branch: string): string {
        this.git("add", "--all");
        this.git("commit", "--quiet", "-m", message);
        this.git("push", "--quiet", "origin", `HEAD:${branch}`);
        return this.head();
    }

    head(): string {
        return this.git("rev-parse", "HEAD");
    }

    /** Paths changed by a commit, for the webhook's `commits[].modified`. */
    changedFiles(revision: string): string[] {
        return this.git("diff-tree", "--no-commit-id", "--name-only", "-r", revision)
            .split("\n")
            .filter(Boolean);
    }
}
