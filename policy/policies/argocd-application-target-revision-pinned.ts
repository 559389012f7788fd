import { applicationViews, gitGenerators, sourcesOf } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { obj, str, violation } from "../lib/values";
import { gitRevisionProblem, helmRevisionProblem } from "../lib/versions";

const gitFix = "set targetRevision to a branch (e.g. `main`) or a tag; never HEAD, `*` or a semver range.";
const helmFix = "set targetRevision to the exact chart version, e.g. `1.2.3`; never `*` or a range.";

/** What an Application deploys is decided by Git or by a chart version, not by whatever is newest. */
export const argocdApplicationTargetRevisionPinned: PackResourcePolicy = {
    name: "argocd-application-target-revision-pinned",
    description:
        "Argo CD sources pin targetRevision: a branch or tag for Git, an exact version for Helm charts; no `*`, no ranges.",
    severity: "high",
    remediationSteps:
        "For a Git source, set targetRevision to a branch or tag (the stack's `gitops.branch`). For a Helm chart " +
        "source, set targetRevision to the chart's exact version. ApplicationSet git generators need a `revision` too.",
    configSchema: { properties: {} },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            for (const view of applicationViews(args.type, props)) {
                const sources = sourcesOf(view.spec);
                if (sources.length === 0) {
                    report(violation(`${view.where} has no source.`, gitFix));
                    continue;
                }
                sources.forEach((source, index) => {
                    const where = sources.length > 1 ? `${view.where} source #${index}` : view.where;
                    const chart = str(source.chart);
                    const problem = chart
                        ? helmRevisionProblem(source.targetRevision)
                        : gitRevisionProblem(source.targetRevision);
                    if (problem) {
                        const what = chart
                            ? `chart ${chart}`
                            : `Git repository ${str(source.repoURL) ?? "?"}`;
                        report(violation(`${where} (${what}): ${problem}.`, chart ? helmFix : gitFix));
                    }
                });
            }
            if (args.type === argoTypes.applicationSet) {
                const name = str(obj(props.metadata).name) ?? "?";
                for (const git of gitGenerators(obj(props.spec))) {
                    const problem = gitRevisionProblem(git.revision);
                    if (problem) {
                        report(
                            violation(
                                `ApplicationSet ${name} git generator (${str(git.repoURL) ?? "?"}): ${problem.replace("targetRevision", "revision")}.`,
                                "set the generator's `revision` to a branch or tag.",
                            ),
                        );
                    }
                }
            }
        },
    ),
};
