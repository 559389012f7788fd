import { environmentSchema, isProd, validateTypes, type PackResourcePolicy } from "../lib/policy";
import { argoTypes } from "../lib/types";
import { isObj, list, obj, str, strings, violation } from "../lib/values";

interface Config {
    environment?: string;
}

/** A pattern with a wildcard; `!`-negations deny rather than allow, so they are fine. */
function isWildcard(pattern: string | undefined): boolean {
    return pattern !== undefined && !pattern.startsWith("!") && pattern.includes("*");
}

/** In prod, a project lists exactly the repositories it deploys from and the namespaces it deploys to. */
export const argocdAppprojectNoWildcardsInProd: PackResourcePolicy = {
    name: "argocd-appproject-no-wildcards-in-prod",
    description:
        "In prod, AppProjects list their sourceRepos, destinations and sourceNamespaces explicitly: no `*` patterns.",
    severity: "high",
    remediationSteps:
        "List each Git/Helm repository in spec.sourceRepos, and each (server, namespace) pair in " +
        "spec.destinations; in this program, a team's `namespaces` and its apps' repositories do that.",
    configSchema: { properties: { environment: environmentSchema } },
    validateResource: validateTypes([argoTypes.appProject], (props, args, report) => {
        const config = args.getConfig<Config>();
        if (!isProd(config))
            args.notApplicable(`only applies in prod (environment is ${config.environment})`);
        const name = str(obj(props.metadata).name) ?? args.name;
        const spec = obj(props.spec);
        const repos = strings(spec.sourceRepos).filter(isWildcard);
        if (repos.length > 0) {
            report(
                violation(
                    `AppProject ${name} allows sourceRepos ${repos.map((r) => `"${r}"`).join(", ")}.`,
                    "list each repository URL in spec.sourceRepos.",
                ),
            );
        }
        for (const destination of list(spec.destinations).filter(isObj)) {
            const parts = (["server", "name", "namespace"] as const).filter((key) =>
                isWildcard(str(destination[key])),
            );
            if (parts.length > 0) {
                report(
                    violation(
                        `AppProject ${name} has a wildcard destination ${JSON.stringify(destination)}.`,
                        "list each destination server and namespace explicitly.",
                    ),
                );
            }
        }
        const sourceNamespaces = strings(spec.sourceNamespaces).filter(isWildcard);
        if (sourceNamespaces.length > 0) {
            report(
                violation(
                    `AppProject ${name} accepts Applications from namespaces ${sourceNamespaces.join(", ")}.`,
                    "list the namespaces Applications may live in, or drop spec.sourceNamespaces.",
                ),
            );
        }
    }),
};
