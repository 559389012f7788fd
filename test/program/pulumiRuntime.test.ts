import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parse } from "yaml";
import * as fs from "node:fs";
import { projectRoot } from "../harness";

/**
 * `pulumi up` does not use tsx: the Node.js language host registers ts-node (the SDK's vendored 7.0.1
 * unless the project installs one) with the project's TypeScript and these options, type-checking as it
 * loads. This compiles the program the same way, so a change that only breaks under the real engine fails here.
 */
const registerScript = `
const path = require("path");
const tsn = require("@pulumi/pulumi/vendor/ts-node@7.0.1");
const service = tsn.register({
    compiler: "typescript",
    transpileOnly: false,
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" },
});
const source = process.argv[1];
if (source) {
    service.compile(source, path.resolve("probe.ts"));
} else {
    require("./stacks/program.ts");
    require("./components/index.ts");
    service.compile(require("fs").readFileSync("index.ts", "utf8"), path.resolve("index.ts"));
}
console.log("compiled");
`;

function compile(source?: string): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, ["-e", registerScript, ...(source ? [source] : [])], {
        cwd: projectRoot,
        encoding: "utf8",
    });
    return { status: result.status, output: result.stdout + result.stderr };
}

describe("the program under Pulumi's own TypeScript runtime", function () {
    this.timeout(120000);

    it("Pulumi.yaml runs index.ts with TypeScript on", () => {
        const project = parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
            main: string;
            runtime: { name: string; options: { typescript: boolean } };
        };
        assert.equal(project.main, "index.ts");
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options.typescript, true);
    });

    it("type-checks and loads the program with the vendored ts-node and the engine's options", () => {
        const result = compile();
        assert.equal(result.status, 0, result.output);
        assert.match(result.output, /compiled/);
    });

    it("would report a type error the way `pulumi up` does", () => {
        const result = compile('const n: number = "not a number";\nexport {};\n');
        assert.notEqual(result.status, 0);
        assert.match(result.output, /TS2322/);
    });
});
