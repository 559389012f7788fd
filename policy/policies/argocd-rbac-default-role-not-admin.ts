import { isChart, argoCdChartNamesSchema } from "../lib/argo";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { helmTypes, k8sTypes } from "../lib/types";
import { at, obj, str, violation } from "../lib/values";

interface Config {
    chartNames?: string[];
    forbiddenDefaultRoles?: string[];
}

const fix =
    'set configs.rbac."policy.default" to `role:readonly` (or leave it empty) and grant admin to SSO groups ' +
    "in policy.csv (the stack's `argocd.adminGroups`).";

/** Every authenticated user gets the default role: it must not be admin. */
export const argocdRbacDefaultRoleNotAdmin: PackResourcePolicy = {
    name: "argocd-rbac-default-role-not-admin",
    description: "Argo CD's RBAC default role (policy.default) is not role:admin.",
    severity: "critical",
    remediationSteps:
        "Set `policy.default` in argocd-rbac-cm (chart values configs.rbac) to `role:readonly` or empty, and bind " +
        "admin to named SSO groups through `argocd.adminGroups`.",
    configSchema: {
        properties: {
            chartNames: argoCdChartNamesSchema,
            forbiddenDefaultRoles: {
                type: "array",
                items: { type: "string" },
                default: ["role:admin"],
                description: "Roles policy.default may not be.",
            },
        },
    },
    validateResource: validateTypes([helmTypes.release, k8sTypes.configMap], (props, args, report) => {
        const config = args.getConfig<Config>();
        let role: unknown;
        let where: string;
        if (args.type === helmTypes.release) {
            if (!isChart(str(props.chart), config.chartNames ?? ["argo-cd"]))
                args.notApplicable("not the Argo CD chart");
            role = at(props, "values", "configs", "rbac", "policy.default");
            where = `The Argo CD release ${args.name}`;
        } else {
            if (str(at(props, "metadata", "name")) !== "argocd-rbac-cm")
                args.notApplicable("not argocd-rbac-cm");
            role = obj(props.data)["policy.default"];
            where = `ConfigMap argocd-rbac-cm (${args.name})`;
        }
        const forbidden = config.forbiddenDefaultRoles ?? ["role:admin"];
        if (typeof role === "string" && forbidden.includes(role.trim())) {
            report(violation(`${where} makes ${role.trim()} the default role of every signed-in user.`, fix));
        }
    }),
};
