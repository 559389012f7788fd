import { applicationSetViews, applicationViews, isCascadeFinalizer } from "../lib/argo";
import { environmentSchema, isProd, validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { at, list, violation } from "../lib/values";

interface Config {
    environment?: string;
    requirePreserveResourcesOnDeletion?: boolean;
}

/**
 * In prod, deleting an Application object (a rename, a refactor, a mistaken `pulumi destroy`) must never
 * delete the workloads it deployed: no resources finalizer, and ApplicationSets preserve resources.
 */
export const argocdApplicationNoCascadeFinalizerInProd: PackResourcePolicy = {
    name: "argocd-application-no-cascade-finalizer-in-prod",
    description:
        "In prod, Argo CD Applications carry no resources finalizer (no cascading delete), and ApplicationSets preserve resources on deletion.",
    severity: "critical",
    remediationSteps:
        "Set the prod stack's `sync.cascadeDelete: false`, which drops `resources-finalizer.argocd.argoproj.io` " +
        "from Applications and ApplicationSet templates and sets ApplicationSet " +
        "`spec.syncPolicy.preserveResourcesOnDeletion: true`.",
    configSchema: {
        properties: {
            environment: environmentSchema,
            requirePreserveResourcesOnDeletion: {
                type: "boolean",
                default: true,
                description: "Require ApplicationSets to set syncPolicy.preserveResourcesOnDeletion: true.",
            },
        },
    },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            const config = args.getConfig<Config>();
            if (!isProd(config))
                args.notApplicable(`only applies in prod (environment is ${config.environment})`);
            for (const view of applicationViews(args.type, props)) {
                const cascading = list(view.metadata.finalizers).filter(isCascadeFinalizer);
                if (cascading.length > 0) {
                    report(
                        violation(
                            `${view.where} has the finalizer ${cascading.join(", ")}: deleting it deletes everything it deployed.`,
                            "remove the resources finalizer (prod stack config `sync.cascadeDelete: false`).",
                        ),
                    );
                }
            }
            if (config.requirePreserveResourcesOnDeletion ?? true) {
                for (const set of applicationSetViews(args.type, props)) {
                    if (at(set.spec, "syncPolicy", "preserveResourcesOnDeletion") !== true) {
                        report(
                            violation(
                                `${set.where} does not preserve resources on deletion: deleting it deletes its apps' workloads.`,
                                "set spec.syncPolicy.preserveResourcesOnDeletion: true.",
                            ),
                        );
                    }
                }
            }
        },
    ),
};
