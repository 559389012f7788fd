/**
 * The objects of an app's standard template besides its workload and Service (components/github/workload.ts):
 * ServiceAccount, ConfigMap, ExternalSecret, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy,
 * Ingress and ServiceMonitor. Each builder is pure and returns plain data shaped like its kind's upstream
 * schema (the tests validate every one against kubernetes-models and its CRD model packages).
 */

import { createHash } from "node:crypto";
import type { HpaSettings, IntOrPercent, SecretReference } from "./settings";

/** A namespaced object as plain data. */
export interface AppObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace: string;
        labels: Record<string, string>;
        annotations?: Record<string, string>;
    };
    [field: string]: unknown;
}

/** Who an object belongs to: its name, namespace and labels. */
export interface ObjectIdentity {
    name: string;
    namespace: string;
    labels: Record<string, string>;
}

function metadata(id: ObjectIdentity, annotations?: Record<string, string>): AppObject["metadata"] {
    return {
        name: id.name,
        namespace: id.namespace,
        labels: { ...id.labels },
        ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
    };
}

/** The app's ServiceAccount; pods mount no API token (the pod spec says so too). */
export function serviceAccount(id: ObjectIdentity, annotations: Record<string, string>): AppObject {
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: metadata(id, annotations),
        automountServiceAccountToken: false,
    };
}

/** The app's ConfigMap, and a checksum of its data that changes whenever a file does. */
export function configMap(
    id: ObjectIdentity,
    files: Record<string, string>,
): { object: AppObject; checksum: string } {
    const data = Object.fromEntries(
        Object.keys(files)
            .sort()
            .map((key) => [key, files[key]]),
    );
    return {
        object: { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(id), data },
        checksum: createHash("sha256").update(JSON.stringify(data)).digest("hex"),
    };
}

/**
 * The external-secrets API version a chart version serves: `v1beta1` up to 0.16.1, `v1` from 0.16.2 (which
 * serves both), and only `v1` from 0.17.0 (external-secrets release notes of v0.16.2 and v0.17.0).
 */
export function externalSecretsApiVersion(chartVersion: string): string {
    const [major, minor, patch] = chartVersion.replace(/^v/, "").split(/[.-]/).map(Number);
    const atLeast0162 = major > 0 || minor > 16 || (minor === 16 && patch >= 2);
    return atLeast0162 ? "external-secrets.io/v1" : "external-secrets.io/v1beta1";
}

/**
 * An ExternalSecret that fills Secret `targetName` from the platform's ClusterSecretStore: one key per
 * environment variable, refreshed hourly. The Secret is owned by the ExternalSecret (deleted with it).
 */
export function externalSecret(
    id: ObjectIdentity,
    args: {
        apiVersion: string;
        storeName: string;
        targetName: string;
        secrets: Record<string, SecretReference>;
    },
): AppObject {
    return {
        apiVersion: args.apiVersion,
        kind: "ExternalSecret",
        metadata: metadata(id),
        spec: {
            refreshInterval: "1h",
            secretStoreRef: { kind: "ClusterSecretStore", name: args.storeName },
            target: { name: args.targetName, creationPolicy: "Owner" },
            data: Object.keys(args.secrets)
                .sort()
                .map((name) => ({
                    secretKey: name,
                    remoteRef: {
                        key: args.secrets[name].key,
                        ...(args.secrets[name].property ? { property: args.secrets[name].property } : {}),
                    },
                })),
        },
    };
}

/** A HorizontalPodAutoscaler (autoscaling/v2) of the app's Deployment or Rollout. */
export function horizontalPodAutoscaler(
    id: ObjectIdentity,
    target: { apiVersion: string; kind: string; name: string },
    hpa: HpaSettings,
): AppObject {
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: metadata(id),
        spec: {
            scaleTargetRef: { ...target },
            minReplicas: hpa.minReplicas,
            maxReplicas: hpa.maxReplicas,
            metrics: [
                ...(hpa.cpuUtilization !== undefined ? [utilization("cpu", hpa.cpuUtilization)] : []),
                ...(hpa.memoryUtilization !== undefined
                    ? [utilization("memory", hpa.memoryUtilization)]
                    : []),
            ],
        },
    };
}

/**
 * A PodDisruptionBudget over the app's pods. `unhealthyPodEvictionPolicy: AlwaysAllow` lets a drain evict
 * pods that are not ready anyway, so a crash-looping app cannot block node maintenance (policy/v1, GA in
 * Kubernetes 1.31).
 */
export function podDisruptionBudget(
    id: ObjectIdentity,
    selector: Record<string, string>,
    budget: { minAvailable: IntOrPercent } | { maxUnavailable: IntOrPercent },
): AppObject {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: metadata(id),
        spec: {
            selector: { matchLabels: { ...selector } },
            ...budget,
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
    };
}

/** The namespace label every namespace carries (kube-apiserver sets it; Kubernetes 1.22+). */
const namespaceNameLabel = "kubernetes.io/metadata.name";

/**
 * The app's default NetworkPolicy: ingress only from pods of its own namespace, from the ingress
 * controller's namespace, from Prometheus' namespace and from `allowNamespaces`; egress stays open (DNS and
 * dependencies differ per app).
 */
export function networkPolicy(
    id: ObjectIdentity,
    selector: Record<string, string>,
    allowNamespaces: string[],
): AppObject {
    const namespaces = [...new Set(allowNamespaces)];
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: metadata(id),
        spec: {
            podSelector: { matchLabels: { ...selector } },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        { podSelector: {} },
                        ...namespaces.map((namespace) => ({
                            namespaceSelector: { matchLabels: { [namespaceNameLabel]: namespace } },
                        })),
                    ],
                },
            ],
        },
    };
}

/** The annotation cert-manager's ingress-shim reads to issue an Ingress's TLS certificate. */
export const clusterIssuerAnnotation = "cert-manager.io/cluster-issuer";

/** An Ingress for `host` to the app's Service, with TLS from cert-manager's ClusterIssuer. */
export function ingress(
    id: ObjectIdentity,
    args: { host: string; ingressClassName: string; clusterIssuer: string; serviceName: string },
): AppObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: metadata(id, { [clusterIssuerAnnotation]: args.clusterIssuer }),
        spec: {
            ingressClassName: args.ingressClassName,
            tls: [{ hosts: [args.host], secretName: `${id.name}-tls` }],
            rules: [
                {
                    host: args.host,
                    http: {
                        paths: [
                            {
                                path: "/",
                                pathType: "Prefix",
                                backend: { service: { name: args.serviceName, port: { name: "http" } } },
                            },
                        ],
                    },
                },
            ],
        },
    };
}

/** A ServiceMonitor that has Prometheus scrape the app's Service on `port` (a Service port name). */
export function serviceMonitor(
    id: ObjectIdentity,
    args: { serviceLabels: Record<string, string>; port: string; path: string },
): AppObject {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: metadata(id),
        spec: {
            selector: { matchLabels: { ...args.serviceLabels } },
            endpoints: [{ port: args.port, path: args.path, interval: "30s" }],
        },
    };
}
