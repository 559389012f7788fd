import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import type { RecordedResource } from "../../test/harness/recorder";

/** One registration as the recorder saw it: enough to send it again without the program. */
export type Registration = Pick<RecordedResource, "type" | "name" | "custom" | "inputs">;

/** A component with nothing in it, registered and completed as the program's components are. */
class ReplayedComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs) {
        super(type, name, inputs);
        this.registerOutputs({});
    }
}

/** A provider with its inputs as recorded (provider classes rewrite some, e.g. Kubernetes JSON-encodes them). */
class ReplayedProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, inputs: pulumi.Inputs) {
        super(pkg, name, inputs);
    }
}

type ResourceClass = new (name: string, args: never) => pulumi.Resource;

function isResourceClass(value: unknown): value is ResourceClass & { __pulumiType: string } {
    return (
        typeof value === "function" && typeof (value as { __pulumiType?: unknown }).__pulumiType === "string"
    );
}

/** The provider class behind a type token, e.g. `github:index/repository:Repository` → `github.Repository`. */
export function providerClass(type: string): ResourceClass | undefined {
    const [pkg, module = "", kind = ""] = type.split(":");
    let exports: Record<string, unknown> | undefined;
    if (pkg === "kubernetes") {
        // `core/v1` → k8s.core.v1, `helm.sh/v3` → k8s.helm.v3; CRD kinds have no class of their own.
        const [group = "", version = ""] = module.split("/");
        const groups = k8s as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>;
        exports = groups[group.split(".")[0]]?.[version];
    } else {
        exports = ({ github, random, tls } as Record<string, Record<string, unknown>>)[pkg];
    }
    const found = exports?.[kind];
    return isResourceClass(found) && found.__pulumiType === type ? found : undefined;
}

/**
 * Registers the same resources again (same types, names and inputs, through the same provider classes,
 * so the same output properties) with none of the program around them: no config, no components' code,
 * no parents, no outputs flowing between resources. What is left is what the SDK alone costs for them.
 */
export function replay(registrations: Registration[]): void {
    for (const { type, name, custom, inputs } of registrations) {
        if (!custom) {
            new ReplayedComponent(type, name, inputs);
        } else if (type.startsWith("pulumi:providers:")) {
            new ReplayedProvider(type.split(":")[2], name, inputs);
        } else {
            const resourceClass = providerClass(type);
            if (resourceClass) new resourceClass(name, inputs as never);
            else if (type.startsWith("kubernetes:"))
                new k8s.apiextensions.CustomResource(name, inputs as k8s.apiextensions.CustomResourceArgs);
            else throw new Error(`replay: no provider class for ${type}`);
        }
    }
}
