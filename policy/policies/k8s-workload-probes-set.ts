import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes, serviceWorkloadTypes } from "../lib/types";
import { isObj, violation } from "../lib/values";
import { workloadContainers } from "../lib/workloads";

interface Config {
    requireReadiness?: boolean;
    requireLiveness?: boolean;
}

/** Without probes, traffic reaches pods that are not ready, and hung pods are never restarted. */
export const k8sWorkloadProbesSet: PackResourcePolicy = {
    name: "k8s-workload-probes-set",
    description:
        "Long-running workload containers set readiness and liveness probes (Jobs and init containers are exempt), in registered workloads and in the manifests seeded into Git.",
    severity: "medium",
    remediationSteps:
        "Add readinessProbe and livenessProbe (HTTP on a health endpoint, or TCP on the app's port) to every " +
        "container of Deployments, StatefulSets, DaemonSets and Pods.",
    configSchema: {
        properties: {
            requireReadiness: { type: "boolean", default: true, description: "Require a readinessProbe." },
            requireLiveness: { type: "boolean", default: true, description: "Require a livenessProbe." },
        },
    },
    validateResource: validateTypes(
        [...serviceWorkloadTypes, githubTypes.repositoryFile],
        (props, args, report) => {
            const views = workloadContainers(args.type, props, serviceWorkloadTypes);
            if (!views) return args.notApplicable("not a workload, nor a seeded manifest with one");
            const config = args.getConfig<Config>();
            for (const view of views) {
                if (view.init) continue;
                const missing = [
                    ...((config.requireReadiness ?? true) && !isObj(view.container.readinessProbe)
                        ? ["readinessProbe"]
                        : []),
                    ...((config.requireLiveness ?? true) && !isObj(view.container.livenessProbe)
                        ? ["livenessProbe"]
                        : []),
                ];
                if (missing.length > 0) {
                    report(
                        violation(
                            `${args.name} ${view.where} has no ${missing.join(" or ")}.`,
                            `add ${missing.join(" and ")}.`,
                        ),
                    );
                }
            }
        },
    ),
};
