import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { isTrue, str, violation } from "../lib/values";

interface Config {
    allowedVisibilities?: string[];
    exemptRepositories?: string[];
}

/** Platform repositories hold manifests, workflows and deploy wiring: not for the public. */
export const githubRepositoryPrivateOrInternal: PackResourcePolicy = {
    name: "github-repository-private-or-internal",
    description: "GitHub repositories are private or internal (GitHub makes a repository public by default).",
    severity: "critical",
    remediationSteps:
        'Set `visibility: "private"` (or `"internal"` in an enterprise) on the Repository; list an intentionally ' +
        "public repository in the `exemptRepositories` knob.",
    configSchema: {
        properties: {
            allowedVisibilities: {
                type: "array",
                items: { type: "string", enum: ["private", "internal", "public"] },
                default: ["private", "internal"],
                description: "Visibilities a repository may have.",
            },
            exemptRepositories: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Repository names that are public on purpose.",
            },
        },
    },
    validateResource: validateTypes([githubTypes.repository], (props, args, report) => {
        const config = args.getConfig<Config>();
        const name = str(props.name) ?? args.name;
        if ((config.exemptRepositories ?? []).includes(name)) args.notApplicable(`${name} is exempt`);
        // `visibility` wins over the deprecated `private`; with neither, GitHub creates a public repository.
        const visibility = str(props.visibility) ?? (isTrue(props.private) ? "private" : "public");
        const allowed = config.allowedVisibilities ?? ["private", "internal"];
        if (!allowed.includes(visibility)) {
            report(
                violation(
                    `Repository ${name} is ${visibility}${props.visibility === undefined ? " (no visibility set)" : ""}.`,
                    `set visibility to ${allowed.map((v) => `"${v}"`).join(" or ")}.`,
                ),
            );
        }
    }),
};
