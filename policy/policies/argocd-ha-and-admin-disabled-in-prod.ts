import { isChart, argoCdChartNamesSchema } from "../lib/argo";
import { environmentSchema, isProd, validateTypes, type PackResourcePolicy } from "../lib/policy";
import { helmTypes } from "../lib/types";
import { at, isFalse, isTrue, num, obj, str, violation } from "../lib/values";

interface Config {
    environment?: string;
    chartNames?: string[];
    minReplicas?: number;
}

/** Prod Argo CD survives a node loss, and nobody logs in with the shared local `admin` account. */
export const argocdHaAndAdminDisabledInProd: PackResourcePolicy = {
    name: "argocd-ha-and-admin-disabled-in-prod",
    description:
        "In prod, Argo CD runs highly available (redis-ha, several server and repo-server replicas) with the local admin account disabled.",
    severity: "high",
    remediationSteps:
        "In the prod stack set `argocd.ha: true`, server and repoServer `argocd.replicas` of at least the " +
        "configured minimum, `argocd.adminEnabled: false`, and configure `argocd.oidc` so people sign in with SSO.",
    configSchema: {
        properties: {
            environment: environmentSchema,
            chartNames: argoCdChartNamesSchema,
            minReplicas: {
                type: "integer",
                minimum: 1,
                default: 2,
                description:
                    "Fewest argocd-server and repo-server replicas (or autoscaling minimum) in prod.",
            },
        },
    },
    validateResource: validateTypes([helmTypes.release], (props, args, report) => {
        const config = args.getConfig<Config>();
        if (!isChart(str(props.chart), config.chartNames ?? ["argo-cd"]))
            args.notApplicable("not the Argo CD chart");
        if (!isProd(config))
            args.notApplicable(`only applies in prod (environment is ${config.environment})`);
        const values = obj(props.values);
        if (!isTrue(at(values, "redis-ha", "enabled"))) {
            report(
                violation(
                    `The Argo CD release ${args.name} runs a single Redis (values redis-ha.enabled is not true).`,
                    "set `argocd.ha: true` in the prod stack.",
                ),
            );
        }
        const minReplicas = config.minReplicas ?? 2;
        for (const component of ["server", "repoServer"]) {
            const replicas = num(at(values, component, "replicas")) ?? 1;
            const autoscaling = obj(at(values, component, "autoscaling"));
            const autoscaled =
                isTrue(autoscaling.enabled) && (num(autoscaling.minReplicas) ?? 1) >= minReplicas;
            if (replicas < minReplicas && !autoscaled) {
                report(
                    violation(
                        `The Argo CD release ${args.name} runs ${replicas} ${component} replica(s), fewer than ${minReplicas}.`,
                        `set argocd.replicas.${component} to at least ${minReplicas} in the prod stack.`,
                    ),
                );
            }
        }
        if (!isFalse(at(values, "configs", "cm", "admin.enabled"))) {
            report(
                violation(
                    `The Argo CD release ${args.name} keeps the local admin account (configs.cm."admin.enabled" is not false).`,
                    "set `argocd.adminEnabled: false` in the prod stack and sign in through `argocd.oidc`.",
                ),
            );
        }
    }),
};
