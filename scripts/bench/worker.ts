/**
 * One benchmark measurement in a fresh process, so peak RSS belongs to it alone:
 *   platform <env> <apps> [file]   renders the whole platform for a generated fleet; writes what it
 *                                  registered to `file`, for `replay`
 *   replay <file>                  registers the same resources again, with none of the program (replay.ts)
 *   floor <count>                  registers <count> bare resources under the same mocks (the SDK floor)
 * Prints one JSON line: { resources, ms, rssMB }.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle } from "../../test/harness/mocks";
import { runPlatform } from "../../test/harness/run";
import { withoutStackTraces } from "../render/stacks";
import { fleetConfig } from "./fleet";
import { replay, type Registration } from "./replay";

class Bare extends pulumi.CustomResource {
    constructor(name: string, props: Record<string, unknown>) {
        super("bench:index:Bare", name, props);
    }
}

async function measure(work: () => Promise<number>): Promise<void> {
    const started = process.hrtime.bigint();
    const resources = await work();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const rssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ resources, ms: Math.round(ms), rssMB: Math.round(rssMB) }) + "\n");
}

async function main(): Promise<void> {
    // As in the render, for the program and the floors alike.
    withoutStackTraces();
    const [mode, a, b, c] = process.argv.slice(2);
    if (mode === "platform") {
        const config = fleetConfig(a, Number(b));
        let registrations: Registration[] = [];
        await measure(async () => {
            registrations = (await runPlatform(a, config)).resources;
            return registrations.length;
        });
        const kept = registrations.map(({ type, name, custom, inputs }) => ({ type, name, custom, inputs }));
        if (c) fs.writeFileSync(c, JSON.stringify(kept));
    } else if (mode === "replay") {
        const registrations = JSON.parse(fs.readFileSync(a, "utf8")) as Registration[];
        await installMocks("gitops-platform", "replay");
        await measure(async () => {
            replay(registrations);
            await settle();
            return registrations.length;
        });
    } else if (mode === "floor") {
        await installMocks("gitops-platform", "floor");
        await measure(async () => {
            for (let i = 0; i < Number(a); i++)
                new Bare(`bare-${i}`, { index: i, labels: { app: `app-${i}` } });
            await settle();
            return Number(a);
        });
    } else {
        throw new Error(`unknown mode ${mode}`);
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
    process.exit(1);
});
