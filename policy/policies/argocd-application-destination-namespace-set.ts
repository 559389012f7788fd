import { applicationViews } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { isObj, str, violation } from "../lib/values";

/**
 * Without a destination namespace, namespaced objects without their own namespace land wherever the
 * manifests' defaults put them, and the AppProject's namespace allow-list cannot be checked up front.
 */
export const argocdApplicationDestinationNamespaceSet: PackResourcePolicy = {
    name: "argocd-application-destination-namespace-set",
    description:
        "Argo CD Applications set destination.namespace, and a destination cluster (server or name).",
    severity: "medium",
    remediationSteps:
        "Set spec.destination.namespace to one of the project's namespaces, and spec.destination.server " +
        "(e.g. https://kubernetes.default.svc) or spec.destination.name.",
    configSchema: { properties: {} },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            for (const view of applicationViews(args.type, props)) {
                const destination = view.spec.destination;
                if (!isObj(destination)) {
                    report(
                        violation(
                            `${view.where} has no destination.`,
                            "set spec.destination.namespace and .server.",
                        ),
                    );
                    continue;
                }
                if (!str(destination.namespace)) {
                    report(
                        violation(
                            `${view.where} has no destination.namespace.`,
                            "set spec.destination.namespace to one of the project's namespaces.",
                        ),
                    );
                }
                if (!str(destination.server) && !str(destination.name)) {
                    report(
                        violation(
                            `${view.where} names no destination cluster.`,
                            "set spec.destination.server (https://kubernetes.default.svc in-cluster) or .name.",
                        ),
                    );
                }
            }
        },
    ),
};
