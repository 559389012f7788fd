import type { StackValidationArgs } from "@pulumi/policy";
import { environmentSchema, isProd, type PackStackPolicy } from "../lib/policy";
import { k8sTypes } from "../lib/types";
import { at, isObj, known, str, violation } from "../lib/values";

interface Config {
    environment?: string;
    configMapName?: string;
}

/** Server-side apply patch of an existing ConfigMap (`argocd.install: external`). */
const configMapPatchType = "kubernetes:core/v1:ConfigMapPatch";

/**
 * A prod stack that notifies people (any `service.<type>` in argocd-notifications-cm) should also report
 * deployments where developers look: Argo CD notifications' `github` service (`service.github`), which
 * sets commit statuses `deploy/prod` and records GitHub deployments on the app repositories. Without it the
 * only record of what ran in prod is chat scroll-back and Argo CD's short revision history. Advisory: the
 * app repositories may live where no GitHub App can reach them.
 */
export const argocdNotificationsDeployFeedbackInProd: PackStackPolicy = {
    name: "argocd-notifications-deploy-feedback-in-prod",
    description:
        "In prod, Argo CD notifications that notify people also report deployments to GitHub (commit statuses and deployments on the app repositories).",
    severity: "low",
    remediationSteps:
        "Set `notifications.github.app` ({ id, installationId } of a GitHub App with Commit statuses and " +
        "Deployments: read and write) and the secret `notificationsGithubPrivateKey`, or `github.app`, in the prod stack.",
    configSchema: {
        properties: {
            environment: environmentSchema,
            configMapName: {
                type: "string",
                default: "argocd-notifications-cm",
                description: "Name of the ConfigMap Argo CD's notifications controller reads.",
            },
        },
    },
    validateStack: (args: StackValidationArgs, report) => {
        const config = args.getConfig<Config>();
        if (!isProd(config))
            args.notApplicable(`only applies in prod (environment is ${config.environment})`);
        const name = config.configMapName ?? "argocd-notifications-cm";
        for (const resource of args.resources) {
            if (resource.type !== k8sTypes.configMap && resource.type !== configMapPatchType) continue;
            if (known(() => str(at(resource.props, "metadata", "name"))) !== name) continue;
            const data = known(() => at(resource.props, "data"));
            if (!isObj(data)) continue;
            const services = Object.keys(data)
                .filter((key) => key.startsWith("service."))
                .map((key) => key.slice("service.".length));
            if (services.length === 0 || services.includes("github")) continue;
            report(
                violation(
                    `${name} notifies through ${services.join(", ")} but reports no deployment to GitHub (no service.github): developers cannot see on a commit whether it reached prod.`,
                    "set `notifications.github.app` and the secret `notificationsGithubPrivateKey` (or `github.app`) in the prod stack.",
                ),
                resource.urn,
            );
        }
    },
};
