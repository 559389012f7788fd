import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { str, violation } from "../lib/values";

interface Config {
    argoCdKeyPattern?: string;
}

const defaultPattern = "argo-?cd";

/** Argo CD only reads Git: its key must not be able to push, or a compromised cluster rewrites Git. */
export const githubArgocdDeployKeyReadOnly: PackResourcePolicy = {
    name: "github-argocd-deploy-key-read-only",
    description: "Argo CD's deploy keys (titled like argocd-<env>) are read-only.",
    severity: "critical",
    remediationSteps:
        "Set `readOnly: true` on Argo CD's RepositoryDeployKey. Write access (CI bumps, rollbacks) uses separate " +
        "keys with their own titles.",
    configSchema: {
        properties: {
            argoCdKeyPattern: {
                type: "string",
                default: defaultPattern,
                description:
                    "Case-insensitive regular expression matching the title (or resource name) of Argo CD's keys.",
            },
        },
    },
    validateResource: validateTypes([githubTypes.repositoryDeployKey], (props, args, report) => {
        const pattern = new RegExp(args.getConfig<Config>().argoCdKeyPattern ?? defaultPattern, "i");
        const title = str(props.title) ?? "";
        if (!pattern.test(title) && !pattern.test(args.name)) args.notApplicable("not an Argo CD deploy key");
        // The provider's default has changed over time, so read-only must be explicit.
        if (props.readOnly !== true) {
            report(
                violation(
                    `Deploy key "${title || args.name}" is ${props.readOnly === false ? "read-write" : "not explicitly read-only"}.`,
                    "set readOnly: true.",
                ),
            );
        }
    }),
};
