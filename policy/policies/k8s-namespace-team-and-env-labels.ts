import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { k8sTypes } from "../lib/types";
import { at, obj, str, violation } from "../lib/values";

interface Config {
    teamLabel?: string;
    environmentLabel?: string;
    environment?: string;
    exemptNamespaces?: string[];
}

const defaults = {
    teamLabel: "gitops-platform/team",
    environmentLabel: "gitops-platform/environment",
    exemptNamespaces: ["default", "kube-system", "kube-public", "kube-node-lease"],
};

/** Ownership labels: selectors, cost reports, alert routing and these policies read them. */
export const k8sNamespaceTeamAndEnvLabels: PackResourcePolicy = {
    name: "k8s-namespace-team-and-env-labels",
    description:
        "Namespaces carry the owning team's label and the environment's label (matching the stack's).",
    severity: "low",
    remediationSteps:
        "Label the namespace with `ownershipLabels(team, environment)` from components/common/labels.ts, i.e. " +
        "`gitops-platform/team` and `gitops-platform/environment`.",
    configSchema: {
        properties: {
            teamLabel: {
                type: "string",
                default: defaults.teamLabel,
                description: "Label key naming the team.",
            },
            environmentLabel: {
                type: "string",
                default: defaults.environmentLabel,
                description: "Label key naming the environment.",
            },
            environment: {
                type: "string",
                description: "When set, the environment label must have this value.",
            },
            exemptNamespaces: {
                type: "array",
                items: { type: "string" },
                default: defaults.exemptNamespaces,
                description: "Namespaces Kubernetes itself owns.",
            },
        },
    },
    validateResource: validateTypes([k8sTypes.namespace], (props, args, report) => {
        const config = { ...defaults, ...args.getConfig<Config>() };
        const name = str(at(props, "metadata", "name")) ?? args.name;
        if (config.exemptNamespaces.includes(name)) args.notApplicable(`${name} is owned by Kubernetes`);
        const labels = obj(at(props, "metadata", "labels"));
        const missing = [config.teamLabel, config.environmentLabel].filter((key) => !str(labels[key]));
        if (missing.length > 0) {
            report(
                violation(
                    `Namespace ${name} has no ${missing.join(" or ")} label.`,
                    "label it with ownershipLabels(team, environment).",
                ),
            );
        }
        const environment = str(labels[config.environmentLabel]);
        if (config.environment && environment && environment !== config.environment) {
            report(
                violation(
                    `Namespace ${name} is labelled ${config.environmentLabel}=${environment} in the ${config.environment} stack.`,
                    `label it ${config.environmentLabel}=${config.environment}.`,
                ),
            );
        }
    }),
};
