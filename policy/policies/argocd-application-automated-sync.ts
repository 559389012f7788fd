import { applicationViews } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { at, isObj, isFalse, violation } from "../lib/values";

interface Config {
    requireAutomated?: boolean;
    requireSelfHeal?: boolean;
    requirePrune?: boolean;
}

/** GitOps means Git is applied, and kept applied: automated sync, with self-heal where the env asks for it. */
export const argocdApplicationAutomatedSync: PackResourcePolicy = {
    name: "argocd-application-automated-sync",
    description:
        "Argo CD Applications sync automatically from Git, with selfHeal (and prune) where the environment requires it.",
    severity: "medium",
    remediationSteps:
        "Set spec.syncPolicy.automated (the stack's `sync.automated: true`), with `selfHeal: true` so drift made " +
        "in the cluster is reverted, and `prune: true` where required.",
    configSchema: {
        properties: {
            requireAutomated: {
                type: "boolean",
                default: true,
                description: "Require syncPolicy.automated.",
            },
            requireSelfHeal: {
                type: "boolean",
                default: true,
                description: "Require automated.selfHeal: true.",
            },
            requirePrune: { type: "boolean", default: false, description: "Require automated.prune: true." },
        },
    },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            const config = args.getConfig<Config>();
            if (config.requireAutomated === false) args.notApplicable("requireAutomated is false");
            for (const view of applicationViews(args.type, props)) {
                const automated = at(view.spec, "syncPolicy", "automated");
                if (!isObj(automated) || isFalse(automated.enabled)) {
                    report(
                        violation(
                            `${view.where} has no automated sync: Git changes wait for a manual sync.`,
                            "set syncPolicy.automated (stack config `sync.automated: true`).",
                        ),
                    );
                    continue;
                }
                if ((config.requireSelfHeal ?? true) && automated.selfHeal !== true) {
                    report(
                        violation(
                            `${view.where} syncs automatically without selfHeal: changes made in the cluster stay.`,
                            "set syncPolicy.automated.selfHeal: true (stack config `sync.selfHeal: true`).",
                        ),
                    );
                }
                if (config.requirePrune && automated.prune !== true) {
                    report(
                        violation(
                            `${view.where} syncs automatically without prune: objects removed from Git keep running.`,
                            "set syncPolicy.automated.prune: true (stack config `sync.prune: true`).",
                        ),
                    );
                }
            }
        },
    ),
};
