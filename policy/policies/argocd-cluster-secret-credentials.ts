import { clusterSecretConfig, isClusterSecret, secretField } from "../lib/clusters";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { k8sTypes } from "../lib/types";
import { at, isObj, known, obj, unknown, violation } from "../lib/values";

/** Keys of a cluster `config` that are credentials. */
const credentialKeys = ["bearerToken", "password", "keyData"];

/**
 * A registered cluster's credentials stay in the Secret's data: never in labels or annotations (which
 * every reader of Secrets' metadata sees), always with TLS verification. Whether Pulumi keeps the data
 * encrypted in state is checked by the render (`secretInputs`), because CrossGuard sees values only.
 */
export const argocdClusterSecretCredentials: PackResourcePolicy = {
    name: "argocd-cluster-secret-credentials",
    description:
        "Argo CD cluster Secrets keep credentials in their data (config), verify TLS, and leak nothing into metadata.",
    severity: "critical",
    remediationSteps:
        "Register clusters with the WorkloadCluster component (stringData: name, server, config with " +
        "bearerToken or awsAuthConfig, and tlsClientConfig.caData); never set tlsClientConfig.insecure, and keep tokens out " +
        "of labels and annotations.",
    configSchema: { properties: {} },
    validateResource: validateTypes([k8sTypes.secret], (props, args, report) => {
        if (!isClusterSecret(props)) return args.notApplicable("not an Argo CD cluster Secret");
        const server = secretField(props, "server");
        if (server !== unknown && !(server ?? "").startsWith("https://")) {
            report(
                violation(
                    `Cluster Secret ${args.name} has no https server.`,
                    "set stringData.server to the https API URL.",
                ),
            );
        }
        const parsed = clusterSecretConfig(props);
        if (parsed === unknown) return;
        const awsAuth = isObj(parsed) ? obj(parsed).awsAuthConfig : undefined;
        if (
            !isObj(parsed) ||
            (!credentialKeys.some((key) => key in obj(parsed)) &&
                !isObj(obj(parsed).execProviderConfig) &&
                !(isObj(awsAuth) && typeof obj(awsAuth).clusterName === "string"))
        ) {
            report(
                violation(
                    `Cluster Secret ${args.name} has no credentials in its config.`,
                    "put the bearer token (or awsAuthConfig with clusterName, or an exec provider) in stringData.config.",
                ),
            );
        } else if (at(parsed, "tlsClientConfig", "insecure") === true) {
            report(
                violation(
                    `Cluster Secret ${args.name} turns off TLS verification (tlsClientConfig.insecure).`,
                    "remove insecure and set tlsClientConfig.caData to the cluster CA.",
                ),
            );
        }
        const metadata = JSON.stringify(
            known(() => [at(props, "metadata", "labels"), at(props, "metadata", "annotations")]),
        );
        if (credentialKeys.some((key) => metadata.includes(key))) {
            report(
                violation(
                    `Cluster Secret ${args.name} carries credentials in its labels or annotations.`,
                    "keep credentials in stringData.config only.",
                ),
            );
        }
    }),
};
