import * as pulumi from "@pulumi/pulumi";
import { loadStack, pulumiConfigSource, type LoadedStack } from "../../stacks/loader";
import type { PlatformOutputs } from "../../components/outputs";
import { deployPlatform } from "../../stacks/program";
import { missingRequiredSecrets } from "../../stacks/secrets";
import { clusterStackReferences } from "../../stacks/sections/clusters";
import { secretPlaceholder } from "../../stacks/secrets";
import { installMocks, mockStackOutputs, settle } from "./mocks";
import type { RecordedResource, Recorder } from "./recorder";
import { projectName, toMockConfig, type MockConfig } from "./stackConfig";

/** The outcome of one mocked run of the program. */
export interface ProgramRun {
    stack: LoadedStack;
    outputs: pulumi.Output<PlatformOutputs>;
    resources: RecordedResource[];
    config: MockConfig;
    /** Secrets a real deploy of this config would need that the stack file lacks (rendered as placeholders). */
    missingSecrets: string[];
}

export interface RunOptions {
    /** Fill secrets the stack file lacks with placeholders, as the render does. Default: true. */
    fillMissingSecrets?: boolean;
    /** Environment variables the program sees. Default: `process.env`. */
    env?: NodeJS.ProcessEnv;
    /** Called with the fresh recorder before the program runs, e.g. to inspect it after a failure. */
    onMocks?: (recorder: Recorder) => void;
}

/**
 * Runs the real program for a stack under the recording mocks, with the given stack-file config, and
 * waits until every registration is answered. Throws what the program throws (e.g. a ConfigError).
 */
export async function runPlatform(
    stack: string,
    stackConfig: Record<string, unknown>,
    options: RunOptions = {},
): Promise<ProgramRun> {
    const recorder = await installMocks(projectName, stack);
    options.onMocks?.(recorder);
    const config = toMockConfig(stackConfig, { fillMissingSecrets: options.fillMissingSecrets ?? true });
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    // A cluster stack the config references answers with placeholders, as secret config does.
    for (const ref of clusterStackReferences(stackConfig[`${projectName}:workloadClusters`])) {
        mockStackOutputs(
            ref.stack,
            {
                [ref.tokenOutput]: secretPlaceholder(`${ref.stack}.${ref.tokenOutput}`),
                [ref.caDataOutput]: `«${ref.stack}.${ref.caDataOutput}»`,
            },
            [ref.tokenOutput],
        );
    }
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
