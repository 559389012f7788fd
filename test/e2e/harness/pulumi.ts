import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import type * as pulumi from "@pulumi/pulumi";
import { toolDir } from "./tools";

const repoRoot = path.join(__dirname, "..", "..", "..");

/**
 * The policy pack as the engine can start it here. The CLI (pkg v3.276.0, resource/plugin/analyzer_plugin.go)
 * runs a policy pack *directory* only through its language plugin (`pulumi-language-nodejs`), which cannot be
 * had; a policy pack path that is an *executable file* it launches directly as an analyzer plugin, with the
 * engine address as its argument. This launcher runs the SDK's own `cmd/run-policy-pack` on the pack's
 * directory, as the language plugin would. Returns the launcher's path, to pass as the policy pack.
 */
export function policyPackLauncher(binDir: string, policyDir: string): string {
    const runner = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const launcher = path.join(binDir, "gitops-platform-policy");
    fs.writeFileSync(
        launcher,
        `#!/bin/sh\ncd "${policyDir}" && exec "${process.execPath}" "${runner}" "$1" .\n`,
        { mode: 0o755 },
    );
    return launcher;
}

export interface PulumiRunOptions {
    runDir: string;
    projectName: string;
    stackName: string;
    /** The inline program: the same entry function `index.ts` calls. */
    program: () => Promise<Record<string, unknown> | pulumi.Output<unknown> | void>;
    config: ConfigMap;
    /** Extra environment for the engine and the program's providers. */
    env?: Record<string, string>;
}

/**
 * The real Pulumi engine (CLI built from github.com/pulumi/pulumi/pkg/v3) and Kubernetes provider
 * (github.com/pulumi/pulumi-kubernetes/provider/v4) on PATH, a file backend in the run's directory, and the
 * program inline through the Automation API: the Node.js language host cannot be had here, and an inline
 * program does not need one.
 */
export async function pulumiStack(options: PulumiRunOptions): Promise<Stack> {
    const home = path.join(options.runDir, "pulumi");
    const bin = path.join(home, "bin");
    const state = path.join(home, "state");
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(state, { recursive: true });
    const pulumiDir = toolDir("pulumi");
    const envVars: Record<string, string> = {
        PATH: [bin, toolDir("pulumi-kubernetes"), path.dirname(process.execPath), process.env.PATH].join(":"),
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "gitops-e2e",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        ...options.env,
    };
    // The providers the program creates read some settings from the process environment.
    for (const [key, value] of Object.entries(envVars)) process.env[key] = value;
    // PulumiCommand looks for <root>/bin/pulumi.
    fs.rmSync(path.join(bin, "pulumi"), { force: true });
    fs.symlinkSync(path.join(pulumiDir, "pulumi"), path.join(bin, "pulumi"));
    const pulumiCommand = await PulumiCommand.get({ root: home, skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: options.stackName, projectName: options.projectName, program: options.program },
        {
            pulumiHome: home,
            pulumiCommand,
            envVars,
            workDir: home,
            projectSettings: {
                name: options.projectName,
                runtime: "nodejs",
                backend: { url: `file://${state}` },
            },
        },
    );
    await stack.setAllConfig(options.config);
    return stack;
}
