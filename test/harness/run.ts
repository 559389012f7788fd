import * as pulumi from "@pulumi/pulumi";
import { loadStack, pulumiConfigSource, type LoadedStack } from "../../stacks/loader";
import { deployPlatform, type PlatformOutputs } from "../../stacks/program";
import { missingRequiredSecrets } from "../../stacks/secrets";
import { installMocks, settle } from "./mocks";
import type { RecordedResource } from "./recorder";
import { projectName, toMockConfig, type MockConfig } from "./stackConfig";

/** The outcome of one mocked run of the program. */
export interface ProgramRun {
    stack: LoadedStack;
    outputs: PlatformOutputs;
    resources: RecordedResource[];
    config: MockConfig;
    /** Secrets a real deploy of this config would need that the stack file lacks (rendered as placeholders). */
    missingSecrets: string[];
}

/**
 * Runs the real program for a stack under the recording mocks, with the given stack-file config, and
 * waits until every registration is answered. Throws what the program throws (e.g. a ConfigError).
 */
export async function runPlatform(
    stack: string,
    stackConfig: Record<string, unknown>,
    options: { fillMissingSecrets?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<ProgramRun> {
    const recorder = await installMocks(projectName, stack);
    const config = toMockConfig(stackConfig, { fillMissingSecrets: options.fillMissingSecrets ?? true });
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const env = options.env ?? process.env;
    const loaded = loadStack({ ...pulumiConfigSource(), env });
    const outputs = deployPlatform(loaded);
    await settle();
    const unset = new Set(config.missingSecrets.map((key) => key.split(":").pop()));
    const missingSecrets = missingRequiredSecrets(loaded.config, env, (key) => !unset.has(key)).map(
        (s) => s.key,
    );
    return { stack: loaded, outputs, resources: recorder.resources, config, missingSecrets };
}
