import type { PolicyResource } from "@pulumi/policy";
import { k8sTypes } from "./types";
import { at, isObj, known, obj, str, unknown } from "./values";

/** The label Argo CD finds cluster Secrets by. */
export const clusterSecretType = "cluster";

/** Whether Kubernetes Secret props declare an Argo CD cluster. */
export function isClusterSecret(props: Record<string, unknown>): boolean {
    const labels = known(() => at(props, "metadata", "labels"));
    return isObj(labels) && obj(labels)["argocd.argoproj.io/secret-type"] === clusterSecretType;
}

/** A field of a Secret's data: `stringData` as is, or `data` decoded from base64. */
export function secretField(
    props: Record<string, unknown>,
    field: string,
): string | undefined | typeof unknown {
    const plain = known(() => str(at(props, "stringData", field)));
    if (plain === unknown || plain !== undefined) return plain;
    const encoded = known(() => str(at(props, "data", field)));
    if (encoded === unknown || encoded === undefined) return encoded;
    return Buffer.from(encoded, "base64").toString("utf8");
}

/**
 * A cluster Secret's `config` (Argo CD's `ClusterConfig` JSON) parsed: `unknown` while it is not known at
 * preview, `undefined` when absent or not JSON.
 */
export function clusterSecretConfig(props: Record<string, unknown>): unknown {
    const config = secretField(props, "config");
    if (config === unknown) return unknown;
    try {
        return JSON.parse(config ?? "") as unknown;
    } catch {
        return undefined;
    }
}

/** Every cluster Secret of a stack. */
export function clusterSecrets(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => r.type === k8sTypes.secret && isClusterSecret(r.props));
}

/** Whether an API server URL is an EKS endpoint: `https://<id>.<suffix>.<region>.eks.amazonaws.com[.cn]`. */
export function isEksServer(server: string): boolean {
    let host: string;
    try {
        host = new URL(server).hostname;
    } catch {
        return false;
    }
    return host.endsWith(".eks.amazonaws.com") || host.endsWith(".eks.amazonaws.com.cn");
}
