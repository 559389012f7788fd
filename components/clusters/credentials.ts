import { parse, stringify } from "yaml";

/**
 * How Argo CD authenticates to a workload cluster's API server, as its cluster Secret's `config` says
 * (argo-cd docs/operator-manual/declarative-setup.md, "Clusters"; `ClusterConfig` in
 * pkg/apis/application/v1alpha1/types.go):
 *
 * - a bearer token (a service account token of the workload cluster), or
 * - `awsAuthConfig` for EKS: Argo CD's own AWS identity (IRSA or EKS Pod Identity on the hub's
 *   application controller and server) gets a token for `clusterName`, assuming `roleARN` when set, which the
 *   cluster maps to a Kubernetes identity (an access entry or aws-auth). No long-lived token anywhere.
 *
 * Either way with the cluster's CA (`caData`, base64 PEM), TLS verified.
 */
export type ClusterCredentials =
    { bearerToken: string; caData: string } | { awsAuth: AwsAuthConfig; caData: string };

/** Argo CD's `awsAuthConfig` (`AWSAuthConfig`: clusterName, roleARN, profile). */
export interface AwsAuthConfig {
    /** The EKS cluster's name. */
    clusterName: string;
    /** IAM role Argo CD assumes to get the token. Default: Argo CD's own identity. */
    roleARN?: string;
    /** AWS profile of Argo CD's AWS config to use. Default: none. */
    profile?: string;
}

/** A kubeconfig Argo CD cannot use as it is; the message says what to give instead. */
export class KubeconfigError extends Error {}

interface KubeconfigUser {
    token?: string;
    exec?: {
        apiVersion?: string;
        command?: string;
        args?: string[];
        env?: { name: string; value: string }[] | null;
    };
}

interface Kubeconfig {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string } }[];
    users?: { name: string; user: KubeconfigUser }[];
}

/** The value after `--flag` or `--flag=value` in a list of arguments. */
function flag(args: string[], ...names: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        for (const name of names) {
            if (args[i] === name) return args[i + 1];
            if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
        }
    }
    return undefined;
}

/**
 * `awsAuthConfig` from an EKS kubeconfig's `exec` section: `aws eks get-token --cluster-name X
 * [--role-arn R] [--profile P]` (what `aws eks update-kubeconfig` writes; `AWS_PROFILE` in `env` too), or
 * `aws-iam-authenticator token -i X [-r R]`. Undefined for any other command. Pure.
 */
export function awsAuthFromExec(exec: NonNullable<KubeconfigUser["exec"]>): AwsAuthConfig | undefined {
    const command = (exec.command ?? "").split("/").pop();
    const args = exec.args ?? [];
    const envProfile = (exec.env ?? []).find((variable) => variable.name === "AWS_PROFILE")?.value;
    let auth: AwsAuthConfig | undefined;
    if (command === "aws" && args.includes("eks") && args.includes("get-token")) {
        const clusterName = flag(args, "--cluster-name", "--cluster-id");
        if (clusterName)
            auth = {
                clusterName,
                roleARN: flag(args, "--role-arn"),
                profile: flag(args, "--profile") ?? envProfile,
            };
    } else if (command === "aws-iam-authenticator" && args.includes("token")) {
        const clusterName = flag(args, "-i", "--cluster-id");
        if (clusterName) auth = { clusterName, roleARN: flag(args, "-r", "--role"), profile: envProfile };
    }
    if (!auth) return undefined;
    return Object.fromEntries(
        Object.entries(auth).filter(([, value]) => value !== undefined),
    ) as AwsAuthConfig;
}

/** What to give instead of a kubeconfig Argo CD cannot use. */
const instead =
    "give a kubeconfig whose current context has a bearer token (a service account token of the cluster), an EKS kubeconfig as `aws eks update-kubeconfig` writes it, or connection.eks";

/**
 * Reads a kubeconfig's current context: its bearer token and CA, or, for an EKS `exec` user (see
 * `awsAuthFromExec`), Argo CD's `awsAuthConfig` and the CA. Throws a `KubeconfigError` that says what to give
 * instead for any other user (a client certificate, another exec plugin such as gke-gcloud-auth-plugin or
 * kubelogin: Argo CD runs no plugins of the kubeconfig). Never quotes a credential.
 *
 * A kubeconfig that is not YAML (the offline render's placeholder) yields placeholders derived from it, so
 * the render still shows the shape.
 */
export function kubeconfigCredentials(kubeconfig: string, clusterName: string): ClusterCredentials {
    let document: Kubeconfig | undefined;
    try {
        const parsed: unknown = parse(kubeconfig);
        document = typeof parsed === "object" && parsed !== null ? (parsed as Kubeconfig) : undefined;
    } catch {
        document = undefined;
    }
    if (!document) {
        return { bearerToken: `${kubeconfig}.token`, caData: `${kubeconfig}.caData` };
    }
    const contextName = document["current-context"] ?? document.contexts?.[0]?.name;
    const context = document.contexts?.find((c) => c.name === contextName)?.context;
    const cluster = document.clusters?.find((c) => c.name === context?.cluster)?.cluster;
    const user = document.users?.find((u) => u.name === context?.user)?.user;
    const caData = cluster?.["certificate-authority-data"];
    if (!caData) {
        throw new KubeconfigError(
            `cluster ${clusterName}: expected certificate-authority-data on the current context's cluster (Argo CD verifies TLS), got none`,
        );
    }
    if (user?.token) return { bearerToken: user.token, caData };
    if (user?.exec) {
        const awsAuth = awsAuthFromExec(user.exec);
        if (awsAuth) return { awsAuth, caData };
        const command = (user.exec.command ?? "").split("/").pop() || "a command";
        throw new KubeconfigError(
            `cluster ${clusterName}: expected a bearer token or an EKS exec (aws eks get-token, aws-iam-authenticator), got a user that runs ${JSON.stringify(command)}, which Argo CD cannot run; ${instead}`,
        );
    }
    throw new KubeconfigError(
        `cluster ${clusterName}: expected a bearer token or an EKS exec on the current context's user, got neither; ${instead}`,
    );
}

/** The `config` field of an Argo CD cluster Secret: credentials and TLS settings, as JSON. Pure. */
export function clusterSecretConfig(credentials: ClusterCredentials): string {
    const tlsClientConfig = { insecure: false, caData: credentials.caData };
    return "awsAuth" in credentials
        ? JSON.stringify({ awsAuthConfig: credentials.awsAuth, tlsClientConfig })
        : JSON.stringify({ bearerToken: credentials.bearerToken, tlsClientConfig });
}

/**
 * A kubeconfig for a workload cluster from the credentials Argo CD uses for it, so the platform can write
 * the few objects it owns there itself (e.g. Alertmanager's receivers Secret). A bearer token is used as it
 * is; `awsAuthConfig` becomes the `exec` user `aws eks update-kubeconfig` writes (`aws eks get-token
 * --cluster-name <name> [--role-arn <role>]`, `AWS_PROFILE` for a profile), so `pulumi up` needs the AWS CLI
 * and credentials allowed to assume that role. Pure.
 */
export function clusterKubeconfig(args: {
    name: string;
    server: string;
    credentials: ClusterCredentials;
}): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: args.name,
                cluster: { server: args.server, "certificate-authority-data": args.credentials.caData },
            },
        ],
        users: [{ name: args.name, user: kubeconfigUser(args.credentials) }],
        contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
        "current-context": args.name,
    });
}

/** The kubeconfig user for `clusterKubeconfig`: the token, or the EKS token exec for `awsAuthConfig`. */
function kubeconfigUser(credentials: ClusterCredentials): KubeconfigUser {
    if (!("awsAuth" in credentials)) return { token: credentials.bearerToken };
    const { clusterName, roleARN, profile } = credentials.awsAuth;
    return {
        exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
                "eks",
                "get-token",
                "--cluster-name",
                clusterName,
                ...(roleARN ? ["--role-arn", roleARN] : []),
            ],
            env: profile ? [{ name: "AWS_PROFILE", value: profile }] : null,
        },
    };
}
