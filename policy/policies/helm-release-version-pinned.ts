import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { helmTypes } from "../lib/types";
import { str, violation } from "../lib/values";
import { chartVersionProblem } from "../lib/versions";

/** A chart in a local directory is pinned by the commit that holds it. */
function isLocalChart(chart: string | undefined): boolean {
    return chart !== undefined && /^(\.{1,2}\/|\/)/.test(chart);
}

/** A Helm release installs the chart version the PR was reviewed with, not whatever is newest. */
export const helmReleaseVersionPinned: PackResourcePolicy = {
    name: "helm-release-version-pinned",
    description: "Helm releases (and v4 Charts) from a chart repository pin an exact chart version.",
    severity: "high",
    remediationSteps:
        "Set `version` to the exact chart version (e.g. `1.2.3`), never empty, `*`, `latest` or a range such as " +
        "`^1.2`; bump it in a reviewed change.",
    configSchema: { properties: {} },
    validateResource: validateTypes([helmTypes.release, helmTypes.chartV4], (props, args, report) => {
        const chart = str(props.chart);
        if (isLocalChart(chart)) args.notApplicable("a local chart is pinned by its commit");
        const problem = chartVersionProblem(props.version);
        if (problem) {
            report(
                violation(
                    `Helm chart ${chart ?? "?"} (${args.name}) has ${problem}.`,
                    "set `version` to the exact chart version.",
                ),
            );
        }
    }),
};
