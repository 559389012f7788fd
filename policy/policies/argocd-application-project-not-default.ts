import { applicationViews, defaultAppOfAppsCharts } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { isTemplated, str, violation } from "../lib/values";

interface Config {
    forbiddenProjects?: string[];
}

const fix =
    "set spec.project to the team's or the platform's AppProject (an `AppProject` component), never `default`.";

/** Argo CD's `default` project allows any source, destination and kind: an Application must use its own. */
export const argocdApplicationProjectNotDefault: PackResourcePolicy = {
    name: "argocd-application-project-not-default",
    description:
        "Argo CD Applications (and ApplicationSet templates and app-of-apps children) never use the `default` project.",
    severity: "high",
    remediationSteps: `Set spec.project to the team's or the platform's AppProject, never \`default\`; an empty project also means \`default\`.`,
    configSchema: {
        properties: {
            forbiddenProjects: {
                type: "array",
                items: { type: "string" },
                default: ["default"],
                description: "Project names an Application may not use.",
            },
        },
    },
    validateResource: validateTypes(
        [argoTypes.application, argoTypes.applicationSet],
        (props, args, report) => {
            const forbidden = args.getConfig<Config>().forbiddenProjects ?? ["default"];
            for (const view of applicationViews(args.type, props, defaultAppOfAppsCharts)) {
                const project = str(view.spec.project) ?? "";
                if (view.template && isTemplated(project)) continue;
                // Argo CD reads an empty project as `default`.
                const effective = project === "" ? "default" : project;
                if (forbidden.includes(effective)) {
                    report(
                        violation(
                            `${view.where} uses the "${effective}" project${project === "" ? " (spec.project is empty)" : ""}.`,
                            fix,
                        ),
                    );
                }
            }
        },
    ),
};
