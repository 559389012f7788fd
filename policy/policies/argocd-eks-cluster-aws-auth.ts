import { clusterSecretConfig, isClusterSecret, isEksServer, secretField } from "../lib/clusters";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { k8sTypes } from "../lib/types";
import { isObj, obj, str, unknown, violation } from "../lib/values";

interface Config {
    requireRoleArn?: boolean;
}

/**
 * Argo CD reaches an EKS cluster through its own short-lived AWS identity (`awsAuthConfig`, IRSA or EKS Pod
 * Identity on the hub), not a bearer token: a service account token that works against EKS is a long-lived
 * secret that outlives whoever created it. With `requireRoleArn`, through a role (`roleARN`) that the
 * cluster's access entry maps, rather than the hub's whole identity.
 */
export const argocdEksClusterAwsAuth: PackResourcePolicy = {
    name: "argocd-eks-cluster-aws-auth",
    description:
        "Argo CD cluster Secrets of EKS clusters authenticate with awsAuthConfig (an IAM role), not a bearer token.",
    severity: "high",
    remediationSteps:
        "Connect the cluster with `connection.eks` (clusterName, roleArn, caData), or a kubeconfig as " +
        "`aws eks update-kubeconfig --role-arn <role>` writes it; give the hub's Argo CD an AWS identity " +
        "(IRSA or EKS Pod Identity) that may assume the role, and map the role in the cluster (access entry).",
    configSchema: {
        properties: {
            requireRoleArn: {
                type: "boolean",
                default: true,
                description:
                    "Also require awsAuthConfig.roleARN (a role per cluster rather than the hub's identity).",
            },
        },
    },
    validateResource: validateTypes([k8sTypes.secret], (props, args, report) => {
        if (!isClusterSecret(props)) return args.notApplicable("not an Argo CD cluster Secret");
        const server = secretField(props, "server");
        if (server === unknown || server === undefined || !isEksServer(server))
            return args.notApplicable("not an EKS cluster");
        const parsed = clusterSecretConfig(props);
        if (parsed === unknown) return;
        const awsAuth = isObj(parsed) ? obj(parsed).awsAuthConfig : undefined;
        if (!isObj(awsAuth)) {
            report(
                violation(
                    `Cluster Secret ${args.name} reaches the EKS cluster at ${server} without awsAuthConfig${isObj(parsed) && "bearerToken" in obj(parsed) ? " (it holds a bearer token)" : ""}.`,
                    "connect it with connection.eks or an EKS kubeconfig (aws eks get-token), which become awsAuthConfig.",
                ),
            );
            return;
        }
        if ((args.getConfig<Config>().requireRoleArn ?? true) && !str(obj(awsAuth).roleARN)) {
            report(
                violation(
                    `Cluster Secret ${args.name}'s awsAuthConfig has no roleARN: Argo CD reaches the EKS cluster as the hub's whole AWS identity.`,
                    "set connection.eks.roleArn (or --role-arn in the kubeconfig's aws eks get-token).",
                ),
            );
        }
    }),
};
