import { loadStack } from "./stacks/loader";
import { deployPlatform } from "./stacks/program";

/**
 * Load and validate the whole stack config (nothing is registered if it is wrong), then declare the
 * platform. The single `platform` output is the typed `PlatformOutputs` object (components/outputs.ts)
 * that other stacks read with `platformReference()`.
 */
export const platform = deployPlatform(loadStack());
