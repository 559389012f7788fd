/**
 * The e2e's tool build scripts on a machine whose Go module cache is empty: a module directory they cannot
 * find must stop the build, not become "" (`cp -r "$mod"/.` then copies the whole filesystem; seen on a new
 * machine, where it filled the disk).
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { goTools, toolVersion } from "./harness/tools";

const toolsDir = path.join(__dirname, "tools");

/**
 * Runs one tool's build.sh as ../build.sh would, with a `go` that knows no module, and a `cp` that logs
 * what it is asked to copy and refuses the filesystem root (so the old script fails safely here).
 */
function buildWithEmptyModuleCache(tool: string): {
    status: number | null;
    stderr: string;
    copies: string[];
} {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tool-build-"));
    const bin = path.join(scratch, "bin");
    const out = path.join(scratch, "out");
    const tmp = path.join(scratch, "tmp");
    fs.mkdirSync(bin);
    fs.mkdirSync(out);
    fs.mkdirSync(tmp);
    // `go list -m -f {{.Dir}}` and `go mod download -json` of a module not yet downloaded: no directory.
    fs.writeFileSync(
        path.join(bin, "go"),
        '#!/bin/sh\ncase "$*" in *-json*) echo "{}" ;; *) echo "" ;; esac\n',
        { mode: 0o755 },
    );
    const cpLog = path.join(scratch, "cp.log");
    fs.writeFileSync(
        path.join(bin, "cp"),
        `#!/bin/sh\necho "$*" >>"${cpLog}"\ncase " $* " in *" /. "*|*" / "*) exit 1 ;; esac\nexec /bin/cp "$@"\n`,
        { mode: 0o755 },
    );
    try {
        const result = spawnSync("bash", ["-euo", "pipefail", "build.sh"], {
            cwd: path.join(toolsDir, tool),
            env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, out, TMPDIR: tmp },
            encoding: "utf8",
            timeout: 20_000,
        });
        const copies = fs.existsSync(cpLog) ? fs.readFileSync(cpLog, "utf8").trim().split("\n") : [];
        return { status: result.status, stderr: result.stderr, copies };
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

describe("e2e tool builds on an empty module cache", () => {
    it("pulumi-kubernetes stops with a message instead of copying the filesystem", () => {
        const result = buildWithEmptyModuleCache("pulumi-kubernetes");
        assert.notEqual(result.status, 0);
        assert.match(result.stderr, /provider module not in the module cache/);
        assert.deepEqual(result.copies, []);
    });
});

describe("e2e tool versions for the report", () => {
    it("reads each tool's pinned module version from its go.mod, not the `// indirect` comment", () => {
        assert.equal(toolVersion("kubernetes"), "v1.34.4");
        assert.equal(toolVersion("argocd"), "v3.6.1");
        for (const tool of goTools) assert.match(toolVersion(tool), /^v\d+\.\d+\.\d+/, tool);
    });
});
