import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes, workloadTypes } from "../lib/types";
import { at, violation } from "../lib/values";
import { workloadContainers } from "../lib/workloads";

interface Config {
    requireCpuRequest?: boolean;
    requireMemoryRequest?: boolean;
    requireMemoryLimit?: boolean;
    requireCpuLimit?: boolean;
}

/** Requests let the scheduler place pods; a memory limit keeps one pod from starving a node. */
export const k8sWorkloadResourcesSet: PackResourcePolicy = {
    name: "k8s-workload-resources-set",
    description:
        "Workload containers (and init containers) set CPU and memory requests and a memory limit, in registered workloads and in the manifests seeded into Git.",
    severity: "medium",
    remediationSteps:
        "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every container " +
        "(the workload template's size profile does this); a CPU limit only where the knob requires it.",
    configSchema: {
        properties: {
            requireCpuRequest: { type: "boolean", default: true, description: "Require requests.cpu." },
            requireMemoryRequest: { type: "boolean", default: true, description: "Require requests.memory." },
            requireMemoryLimit: { type: "boolean", default: true, description: "Require limits.memory." },
            requireCpuLimit: { type: "boolean", default: false, description: "Require limits.cpu." },
        },
    },
    validateResource: validateTypes([...workloadTypes, githubTypes.repositoryFile], (props, args, report) => {
        const views = workloadContainers(args.type, props, workloadTypes);
        if (!views) return args.notApplicable("not a workload, nor a seeded manifest with one");
        const config = args.getConfig<Config>();
        const required: [boolean, string, string][] = [
            [config.requireCpuRequest ?? true, "requests", "cpu"],
            [config.requireMemoryRequest ?? true, "requests", "memory"],
            [config.requireMemoryLimit ?? true, "limits", "memory"],
            [config.requireCpuLimit ?? false, "limits", "cpu"],
        ];
        for (const view of views) {
            const missing = required
                .filter(
                    ([on, kind, resource]) =>
                        on && at(view.container, "resources", kind, resource) === undefined,
                )
                .map(([, kind, resource]) => `${kind}.${resource}`);
            if (missing.length > 0) {
                report(
                    violation(
                        `${args.name} ${view.where} sets no resources ${missing.join(", ")}.`,
                        `set resources ${missing.join(", ")}.`,
                    ),
                );
            }
        }
    }),
};
