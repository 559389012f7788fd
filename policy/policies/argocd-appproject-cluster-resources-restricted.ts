import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { isObj, list, obj, str, violation } from "../lib/values";

interface Config {
    platformProjects?: string[];
    deniedKinds?: string[];
}

/** Cluster-scoped kinds that hand out cluster-wide power: only platform projects may manage them. */
const defaultDeniedKinds = [
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleBinding",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "RuntimeClass",
];

/**
 * A team project may manage only the cluster-scoped kinds it lists, never with wildcards and never the
 * kinds that grant cluster-wide power. Only the platform team's projects may use wildcards.
 */
export const argocdAppprojectClusterResourcesRestricted: PackResourcePolicy = {
    name: "argocd-appproject-cluster-resources-restricted",
    description:
        "AppProjects restrict cluster-scoped resources: no `*` group/kind, no privileged kinds (CRDs, cluster RBAC, webhooks) and Namespaces only by exact name outside the platform projects.",
    severity: "high",
    remediationSteps:
        "List the exact cluster-scoped kinds a team needs in its `clusterResources` (group and kind, no `*`; " +
        "Namespaces by exact name). " +
        "Kinds that grant cluster-wide power (CRDs, ClusterRoles, admission webhooks...) belong in a platform " +
        "project (the `platformProjects` knob).",
    configSchema: {
        properties: {
            platformProjects: {
                type: "array",
                items: { type: "string" },
                default: ["platform"],
                description: "Projects owned by the platform team, which may manage any cluster-scoped kind.",
            },
            deniedKinds: {
                type: "array",
                items: { type: "string" },
                default: defaultDeniedKinds,
                description: "Cluster-scoped kinds other projects may not manage.",
            },
        },
    },
    validateResource: validateTypes([argoTypes.appProject], (props, args, report) => {
        const config = args.getConfig<Config>();
        const name = str(obj(props.metadata).name) ?? args.name;
        if ((config.platformProjects ?? ["platform"]).includes(name)) {
            args.notApplicable(`${name} is a platform project`);
        }
        const denied = new Set(config.deniedKinds ?? defaultDeniedKinds);
        for (const entry of list(obj(props.spec).clusterResourceWhitelist).filter(isObj)) {
            const group = str(entry.group) ?? "";
            const kind = str(entry.kind) ?? "";
            const entryName = str(entry.name) ?? "";
            if (group.includes("*") || kind.includes("*")) {
                report(
                    violation(
                        `AppProject ${name} allows every cluster-scoped kind matching group "${group}", kind "${kind}".`,
                        "list the exact group and kind of each cluster-scoped resource the team needs.",
                    ),
                );
            } else if (
                group === "" &&
                kind === "Namespace" &&
                (entryName === "" || /[*?[\]]/.test(entryName))
            ) {
                // Argo CD 3.2+ matches whitelist entries by name (app_project_types.go, IsGroupKindNamePermitted):
                // without an exact name the team may create, relabel or delete any namespace, kube-system too.
                report(
                    violation(
                        `AppProject ${name} allows Namespaces ${entryName ? `matching "${entryName}"` : "of any name"}.`,
                        "list each namespace the team's Applications create by its exact name (`name: <namespace>`).",
                    ),
                );
            } else if (denied.has(kind)) {
                report(
                    violation(
                        `AppProject ${name} allows the privileged cluster-scoped kind ${kind}.`,
                        "move what needs it to a platform project, or remove it from the team's clusterResources.",
                    ),
                );
            }
        }
    }),
};
