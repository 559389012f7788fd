import * as pulumi from "@pulumi/pulumi";
import { platformOutputName, type PlatformOutputs } from "./outputs";

/** Typed, secretness-preserving getters over a platform stack's outputs. */
export interface PlatformReference {
    /** The underlying StackReference. */
    readonly stack: pulumi.StackReference;
    /** The whole `PlatformOutputs` object. */
    readonly outputs: pulumi.Output<PlatformOutputs>;
    readonly environment: pulumi.Output<string>;
    readonly argocdNamespace: pulumi.Output<string>;
    readonly argocdUrl: pulumi.Output<string>;
    readonly projects: pulumi.Output<string[]>;
    readonly gitops: pulumi.Output<PlatformOutputs["gitops"]>;
    readonly clusters: pulumi.Output<PlatformOutputs["clusters"]>;
    readonly notifications: pulumi.Output<PlatformOutputs["notifications"]>;
}

/** Keys every platform stack's output has; a stack without them is not a platform stack. */
const requiredPaths: string[][] = [
    ["environment"],
    ["argocd", "namespace"],
    ["projects"],
    ["gitops", "repository"],
    ["gitops", "url"],
];

/** Checks that a stack output looks like `PlatformOutputs`; throws a clear error naming what is missing. */
export function checkPlatformOutputs(stackName: string, value: unknown): PlatformOutputs {
    if (value === undefined || value === null) {
        throw new Error(
            `stack "${stackName}" has no "${platformOutputName}" output: is it a gitops-platform stack, and has it been deployed?`,
        );
    }
    for (const path of requiredPaths) {
        let cursor: unknown = value;
        for (const key of path) cursor = (cursor as Record<string, unknown> | undefined)?.[key];
        if (cursor === undefined) {
            throw new Error(
                `stack "${stackName}" output "${platformOutputName}.${path.join(".")}" is missing`,
            );
        }
    }
    return value as PlatformOutputs;
}

/**
 * Reads a platform stack, e.g. `platformReference("acme/gitops-platform/dev")`, with typed getters.
 * Secret outputs stay secret: every getter derives from the StackReference's own Output.
 */
export function platformReference(
    stackName: string,
    opts: pulumi.CustomResourceOptions = {},
): PlatformReference {
    const stack = new pulumi.StackReference(stackName, { name: stackName }, opts);
    const outputs = stack
        .getOutput(platformOutputName)
        .apply((value) => checkPlatformOutputs(stackName, value));
    return {
        stack,
        outputs,
        environment: outputs.environment,
        argocdNamespace: outputs.argocd.namespace,
        argocdUrl: outputs.argocd.url,
        projects: outputs.projects,
        gitops: outputs.gitops,
        clusters: outputs.clusters,
        notifications: outputs.notifications,
    };
}
