import { loadStack } from "./stacks/loader";
import { deployPlatform } from "./stacks/program";

// Load and validate the stack config, then declare the platform. See README.md for the config reference.
const platform = deployPlatform(loadStack());

/** Typed platform outputs; read them from other stacks with `platformReference()`. */
export const outputs = platform;
export const argocdNamespace = platform.argocd.namespace;
export const argocdUrl = platform.argocd.url;
export const projects = platform.projects;
export const gitopsRepoUrl = platform.gitops.url;
