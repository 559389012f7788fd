import { environmentSchema, isProd, validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { at, isObj, num, obj, str, violation, type Obj } from "../lib/values";
import { platformComponentEnvironment, seededManifestPattern, seededObjects } from "../lib/workloads";

interface Config {
    environment?: string;
    minReplicas?: number;
}

/** Whether every label of `selector` is on the pod template. */
function selects(selector: Obj, podLabels: Obj): boolean {
    const wanted = Object.entries(obj(selector.matchLabels));
    return wanted.length > 0 && wanted.every(([key, value]) => podLabels[key] === value);
}

/**
 * A production app survives a node drain and a zone or node failure only with more than one replica and a
 * PodDisruptionBudget that keeps evictions from taking them all at once (kubernetes.io "Specifying a
 * Disruption Budget for your Application").
 */
export const k8sAppAvailabilityInProd: PackResourcePolicy = {
    name: "k8s-app-availability-in-prod",
    description:
        "In prod, every Deployment or Rollout in the app manifests Pulumi writes to the GitOps repository runs at least 2 replicas (or has an autoscaler with minReplicas of at least 2) and is covered by a PodDisruptionBudget.",
    severity: "high",
    remediationSteps:
        "Give the app replicas: 2 or more (or hpa.minReplicas: 2 or more) and a pdb in prod's stack config (appDefaults does both by default).",
    configSchema: {
        properties: {
            environment: environmentSchema,
            minReplicas: { type: "integer", default: 2, description: "Fewest replicas a prod app may run." },
        },
    },
    validateResource: validateTypes([githubTypes.repositoryFile], (props, args, report) => {
        const config = args.getConfig<Config>();
        const file = str(props.file) ?? "";
        if (!isProd(config) || !seededManifestPattern.test(file))
            return args.notApplicable("not a prod app manifest in the GitOps repository");
        const environment = platformComponentEnvironment(file);
        if (environment !== undefined && environment !== (config.environment ?? "prod"))
            return args.notApplicable(`the ${environment} environment's manifests`);
        const minimum = config.minReplicas ?? 2;
        const objects = seededObjects(str(props.content) ?? "");
        const autoscalers = objects.filter((o) => str(o.kind) === "HorizontalPodAutoscaler");
        const budgets = objects.filter((o) => str(o.kind) === "PodDisruptionBudget");
        for (const workload of objects.filter((o) => ["Deployment", "Rollout"].includes(str(o.kind) ?? ""))) {
            const name = str(at(workload, "metadata", "name")) ?? "?";
            const where = `${file} ${str(workload.kind)}/${name}`;
            const autoscaler = autoscalers.find(
                (hpa) =>
                    str(at(hpa, "spec", "scaleTargetRef", "kind")) === str(workload.kind) &&
                    str(at(hpa, "spec", "scaleTargetRef", "name")) === name,
            );
            const replicas = autoscaler
                ? (num(at(autoscaler, "spec", "minReplicas")) ?? 1)
                : (num(at(workload, "spec", "replicas")) ?? 1);
            if (replicas < minimum) {
                report(
                    violation(
                        `${where} runs ${autoscaler ? "an autoscaler down to " : ""}${replicas} replica${replicas === 1 ? "" : "s"}, fewer than ${minimum}.`,
                        `set replicas (or hpa.minReplicas) to ${minimum} or more.`,
                    ),
                );
            }
            const podLabels = obj(at(workload, "spec", "template", "metadata", "labels"));
            if (
                !budgets.some(
                    (pdb) =>
                        isObj(at(pdb, "spec", "selector")) &&
                        selects(obj(at(pdb, "spec", "selector")), podLabels),
                )
            ) {
                report(
                    violation(`${where} has no PodDisruptionBudget over its pods.`, "give the app a pdb."),
                );
            }
        }
    }),
};
