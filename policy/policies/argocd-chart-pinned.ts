import { isChart, argoCdChartNamesSchema } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { helmTypes } from "../lib/types";
import { at, str, violation } from "../lib/values";
import { chartVersionProblem } from "../lib/versions";

interface Config {
    chartNames?: string[];
    allowedRepositories?: string[];
}

const defaultRepositories = ["https://argoproj.github.io/argo-helm", "oci://ghcr.io/argoproj/argo-helm"];

/** Argo CD is installed from the official chart, at an exact version the tests have checked values against. */
export const argocdChartPinned: PackResourcePolicy = {
    name: "argocd-chart-pinned",
    description: "The Argo CD install is the official argo-cd chart, pinned to an exact version.",
    severity: "high",
    remediationSteps:
        "Install Argo CD with the `ArgoCd` component, whose chart is pinned in components/argocd/chart.ts; " +
        "set `argocd.chartVersion` to an exact version, and take the chart from the official argo-helm repository.",
    configSchema: {
        properties: {
            chartNames: argoCdChartNamesSchema,
            allowedRepositories: {
                type: "array",
                items: { type: "string" },
                default: defaultRepositories,
                description: "Helm repositories (or OCI registries) the Argo CD chart may come from.",
            },
        },
    },
    validateResource: validateTypes([helmTypes.release], (props, args, report) => {
        const config = args.getConfig<Config>();
        const chart = str(props.chart);
        if (!isChart(chart, config.chartNames ?? ["argo-cd"])) args.notApplicable("not the Argo CD chart");
        const versionProblem = chartVersionProblem(props.version);
        if (versionProblem) {
            report(
                violation(
                    `The Argo CD release ${args.name} has ${versionProblem}.`,
                    "set the chart version to an exact version (argocd.chartVersion).",
                ),
            );
        }
        const allowed = (config.allowedRepositories ?? defaultRepositories).map((r) => r.replace(/\/+$/, ""));
        const repo = chart?.startsWith("oci://")
            ? chart.slice(0, chart.lastIndexOf("/"))
            : str(at(props, "repositoryOpts", "repo"));
        if (!repo || !allowed.includes(repo.replace(/\/+$/, ""))) {
            report(
                violation(
                    `The Argo CD release ${args.name} comes from ${repo ? `"${repo}"` : "no repository"}, not from ${allowed.join(" or ")}.`,
                    "set repositoryOpts.repo to the official argo-helm repository.",
                ),
            );
        }
    }),
};
