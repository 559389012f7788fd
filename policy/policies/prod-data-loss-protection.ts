import type { StackValidationArgs } from "@pulumi/policy";
import { isChart } from "../lib/argo";
import { repositoriesOf } from "../lib/github";
import { environmentSchema, isProd, type PackStackPolicy } from "../lib/policy";
import { helmTypes, k8sTypes } from "../lib/types";
import { at, isTrue, known, str, violation } from "../lib/values";

interface Config {
    environment?: string;
    crdOwnerCharts?: string[];
}

/**
 * In prod, a `pulumi destroy`, a rename or a refactor must not delete what cannot be recreated: GitHub
 * repositories (history, PRs, issues), namespaces (everything in them), and the CRDs every Argo CD
 * Application is an instance of.
 *
 * CrossGuard shows policies a resource's `protect` option but not `retainOnDelete`, so a namespace needs
 * `protect`; a repository may instead archive on destroy, and a CRD-owning chart may keep its CRDs.
 */
export const prodDataLossProtection: PackStackPolicy = {
    name: "prod-data-loss-protection",
    description:
        "In prod, GitHub repositories are protected or archived on destroy, namespaces and CRDs are protected, and CRD-owning charts keep their CRDs.",
    severity: "critical",
    remediationSteps:
        "Repositories: `protect: true` or `archiveOnDestroy: true`. Namespaces and CustomResourceDefinitions: " +
        "`protect: true` (retainOnDelete is not visible to policies; set both). The argo-cd release: chart value " +
        "`crds.keep: true` (or `protect: true`).",
    configSchema: {
        properties: {
            environment: environmentSchema,
            crdOwnerCharts: {
                type: "array",
                items: { type: "string" },
                default: ["argo-cd"],
                description: "Charts whose release owns CRDs (and must keep them on uninstall).",
            },
        },
    },
    validateStack: (args: StackValidationArgs, report) => {
        const config = args.getConfig<Config>();
        if (!isProd(config))
            args.notApplicable(`only applies in prod (environment is ${config.environment})`);
        for (const repo of repositoriesOf(args.resources)) {
            const archive = known(() => repo.resource.props.archiveOnDestroy);
            if (!repo.resource.opts.protect && !isTrue(archive)) {
                report(
                    violation(
                        `Repository ${repo.name} is neither protected nor archived on destroy: deleting the resource deletes the repository.`,
                        "set `protect: true` (or `archiveOnDestroy: true`) on it in prod.",
                    ),
                    repo.resource.urn,
                );
            }
        }
        for (const resource of args.resources) {
            if (resource.type === k8sTypes.namespace || resource.type === k8sTypes.customResourceDefinition) {
                if (!resource.opts.protect) {
                    const kind =
                        resource.type === k8sTypes.namespace ? "Namespace" : "CustomResourceDefinition";
                    const name = known(() => str(at(resource.props, "metadata", "name")));
                    report(
                        violation(
                            `${kind} ${typeof name === "string" ? name : resource.name} is not protected: deleting it deletes everything in it.`,
                            "set `protect: true` (and `retainOnDelete: true`) on it in prod.",
                        ),
                        resource.urn,
                    );
                }
            } else if (
                resource.type === helmTypes.release &&
                isChart(
                    known(() => str(resource.props.chart)),
                    config.crdOwnerCharts ?? ["argo-cd"],
                )
            ) {
                const keep = known(() => at(resource.props, "values", "crds", "keep"));
                if (!resource.opts.protect && !isTrue(keep)) {
                    report(
                        violation(
                            `Helm release ${resource.name} owns CRDs but does not keep them (values crds.keep is not true): uninstalling it deletes every Application.`,
                            "set the chart value `crds.keep: true` (or `protect: true` on the release).",
                        ),
                        resource.urn,
                    );
                }
            }
        }
    },
};
