import { parse, stringify } from "yaml";

/** How Argo CD authenticates to a workload cluster's API server. */
export interface ClusterCredentials {
    bearerToken: string;
    /** Base64 PEM of the cluster CA. */
    caData: string;
}

interface Kubeconfig {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string } }[];
    users?: { name: string; user: { token?: string } }[];
}

/**
 * Reads the bearer token and CA of a kubeconfig's current context. A kubeconfig that is not YAML (the
 * offline render's placeholder) yields placeholders derived from it, so the render still shows the shape.
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
    if (!user?.token || !cluster?.["certificate-authority-data"]) {
        throw new Error(
            `cluster ${clusterName}: the kubeconfig's current context needs a user token and certificate-authority-data (Argo CD authenticates with a bearer token)`,
        );
    }
    return { bearerToken: user.token, caData: cluster["certificate-authority-data"] };
}

/** The `config` field of an Argo CD cluster Secret. */
export function clusterSecretConfig(credentials: ClusterCredentials): string {
    return JSON.stringify({
        bearerToken: credentials.bearerToken,
        tlsClientConfig: { insecure: false, caData: credentials.caData },
    });
}

/**
 * A kubeconfig for a workload cluster from the credentials Argo CD uses for it, so the platform can write
 * the few objects it owns there itself (e.g. Alertmanager's receivers Secret). Pure.
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
        users: [{ name: args.name, user: { token: args.credentials.bearerToken } }],
        contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
        "current-context": args.name,
    });
}
