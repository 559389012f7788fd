/**
 * One benchmark measurement in a fresh process, so peak RSS belongs to it alone:
 *   platform <env> <apps>   renders the whole platform for a generated fleet
 *   floor <count>           registers <count> bare resources under the same mocks (the SDK floor)
 * Prints one JSON line: { resources, ms, rssMB }.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle } from "../../test/harness/mocks";
import { runPlatform } from "../../test/harness/run";
import { withoutStackTraces } from "../render/stacks";
import { fleetConfig } from "./fleet";

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
    // As in the render, for the program and the floor alike.
    withoutStackTraces();
    const [mode, a, b] = process.argv.slice(2);
    if (mode === "platform") {
        const config = fleetConfig(a, Number(b));
        await measure(async () => (await runPlatform(a, config)).resources.length);
    } else if (mode === "floor") {
        await installMocks("gitops-platform", "floor");
        await measure(async () => {
            for (let i = 0; i < Number(a); i++) new Bare(`bare-${i}`, { index: i, labels: { app: `app-${i}` } });
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
