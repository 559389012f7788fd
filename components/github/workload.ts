import * as kx from "@pulumi/kubernetesx";
import * as pulumi from "@pulumi/pulumi";
import { Document } from "yaml";
import { canaryRollout, type CanaryConfig } from "../addons/rollouts/canary";
import { labelKeys } from "../common/labels";
import { seedHeader } from "./conventions";

/**
 * The standard workload template: the Deployment and Service seeded into `apps/<app>/base/` of the GitOps
 * repository. Built with `kx.PodBuilder` behind this one module, so that archived package can be swapped
 * out without touching anything else.
 *
 * The app's contract: it listens on `port` (also passed as `PORT`), answers `GET /healthz` (alive) and
 * `GET /readyz` (ready for traffic), runs as a non-root user, and writes only to `/tmp`.
 */

export interface WorkloadArgs {
    /** App name: names the Deployment, the Service, the container and the image placeholder. */
    name: string;
    /** Owning team, as a label. */
    team: string;
    /** Container port. Default: `8080`. */
    port?: number;
    /**
     * Replicas. Default: `2`, so a rolling update or a node drain never takes the app down. `"autoscaled"`
     * leaves `spec.replicas` out, for a HorizontalPodAutoscaler to own (Argo CD would otherwise reset it).
     */
    replicas?: number | "autoscaled";
    /** Container resources. Default: `defaultWorkloadResources`. */
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    /** Environment variables besides `PORT`. Default: none. */
    env?: Record<string, string>;
    /** A Secret whose keys all become environment variables (e.g. an ExternalSecret's target). Default: none. */
    envFromSecret?: string;
    /** A ConfigMap mounted read-only at `mountPath`; `checksum` goes on the pod template, so a change rolls the pods. */
    configMap?: { name: string; mountPath: string; checksum: string };
    /** ServiceAccount the pods run as. Default: the namespace's `default`. */
    serviceAccountName?: string;
    /** Spread the pods over zones. Default: no constraint. */
    zoneSpread?: { maxSkew: number; whenUnsatisfiable: "ScheduleAnyway" | "DoNotSchedule" };
    /** A separate metrics port, named `metrics` on the container and the Service. Default: none. */
    metricsPort?: number;
    /** Liveness probe path. Default: `/healthz`. */
    livenessPath?: string;
    /** Readiness probe path. Default: `/readyz`. */
    readinessPath?: string;
    /** Deliver as an Argo Rollouts canary (with its AnalysisTemplate) instead of a Deployment. Default: none. */
    canary?: CanaryConfig;
    /** Whether the app has an Ingress: the canary analysis then reads ingress metrics. Default: `false`. */
    ingress?: boolean;
}

/** A Kubernetes object as plain data. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; labels?: Record<string, string> };
    spec: Record<string, unknown>;
}

export interface StandardWorkload {
    /** The Deployment, or the canary Rollout that replaces it. */
    workload: KubernetesObject;
    service: KubernetesObject;
    /** The Rollout's success-rate AnalysisTemplate, with a canary. */
    analysisTemplate?: KubernetesObject;
}

/** Label a Deployment's ReplicaSets put on their pods, per revision (and Argo Rollouts' equivalent). */
const podTemplateHashLabel = {
    Deployment: "pod-template-hash",
    Rollout: "rollouts-pod-template-hash",
} as const;

/**
 * A zone spread constraint over the app's pods. `matchLabelKeys` counts only the pods of the same revision,
 * so a rolling update is not skewed by the old ReplicaSet's pods (kubernetes.io "Pod Topology Spread
 * Constraints", `matchLabelKeys`).
 */
function zoneSpreadConstraint(
    spread: NonNullable<WorkloadArgs["zoneSpread"]>,
    selector: Record<string, string>,
    kind: keyof typeof podTemplateHashLabel,
): Record<string, unknown> {
    return {
        maxSkew: spread.maxSkew,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: spread.whenUnsatisfiable,
        labelSelector: { matchLabels: { ...selector } },
        matchLabelKeys: [podTemplateHashLabel[kind]],
    };
}

/** Default resources: a request sized for a small service and a memory limit (CPU is never limited). */
export const defaultWorkloadResources = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { memory: "256Mi" },
};

/** Drops the empty lists kx adds (`initContainers: []`, `env: []`, …), so the seed stays minimal. */
function withoutEmptyLists(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutEmptyLists);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, field]) => !(Array.isArray(field) && field.length === 0) && field !== undefined)
            .map(([key, field]) => [key, withoutEmptyLists(field)]),
    );
}

/**
 * Builds the standard Deployment and Service of an app. kx's PodBuilder returns Outputs (it resolves its
 * inputs asynchronously), so the result is an Output of plain objects: resources take it as an input
 * (e.g. a file's content), and tests await it.
 */
export function standardWorkload(args: WorkloadArgs): pulumi.Output<StandardWorkload> {
    const port = args.port ?? 8080;
    const labels = { "app.kubernetes.io/name": args.name, [labelKeys.team]: args.team };
    const tmp = { name: "tmp", emptyDir: { sizeLimit: "64Mi" } };
    const config = args.configMap
        ? [
              {
                  volume: { name: "config", configMap: { name: args.configMap.name } },
                  destPath: args.configMap.mountPath,
              },
          ]
        : [];
    const pod = new kx.PodBuilder({
        ...(args.serviceAccountName ? { serviceAccountName: args.serviceAccountName } : {}),
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 30,
        securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
            {
                name: args.name,
                // A placeholder: each overlay maps it to `<registry>/<owner>/<app>:<commit SHA>`.
                image: args.name,
                ports: {
                    http: port,
                    ...(args.metricsPort !== undefined ? { metrics: args.metricsPort } : {}),
                },
                env: { PORT: String(port), ...args.env },
                ...(args.envFromSecret ? { envFrom: [{ secretRef: { name: args.envFromSecret } }] } : {}),
                resources: args.resources ?? defaultWorkloadResources,
                livenessProbe: {
                    httpGet: { path: args.livenessPath ?? "/healthz", port: "http" },
                    initialDelaySeconds: 10,
                    periodSeconds: 10,
                    failureThreshold: 3,
                },
                readinessProbe: {
                    httpGet: { path: args.readinessPath ?? "/readyz", port: "http" },
                    periodSeconds: 5,
                    failureThreshold: 3,
                },
                securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [{ volume: tmp, destPath: "/tmp" }, ...config],
            },
        ],
    });
    const replicas = args.replicas === "autoscaled" ? undefined : (args.replicas ?? 2);
    const spec = pod.asDeploymentSpec({
        replicas: replicas ?? 0,
        revisionHistoryLimit: 5,
        minReadySeconds: 5,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
    });
    // kx's spec type is deep; read it as plain data (its shape is asserted below) to keep checks order-independent.
    const specOutput = pulumi.output(spec) as pulumi.Output<unknown>;
    return specOutput.apply<StandardWorkload>((deploymentSpec) => {
        const plain = withoutEmptyLists(deploymentSpec) as {
            replicas?: number;
            selector: { matchLabels: Record<string, string> };
            template: {
                metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
                spec: Record<string, unknown>;
            };
        };
        const selector = plain.selector.matchLabels;
        if (replicas === undefined) delete plain.replicas;
        plain.template.metadata.labels = { ...plain.template.metadata.labels, ...labels };
        if (args.configMap)
            plain.template.metadata.annotations = { "checksum/config": args.configMap.checksum };
        const spreadFor = (kind: keyof typeof podTemplateHashLabel) =>
            args.zoneSpread
                ? { topologySpreadConstraints: [zoneSpreadConstraint(args.zoneSpread, selector, kind)] }
                : {};
        const template = (kind: keyof typeof podTemplateHashLabel) => ({
            ...plain.template,
            spec: { ...plain.template.spec, ...spreadFor(kind) },
        });
        const deployment: KubernetesObject = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: args.name, labels },
            spec: { ...plain, template: template("Deployment") } as unknown as Record<string, unknown>,
        };
        const canary = args.canary
            ? canaryRollout({
                  name: args.name,
                  labels,
                  replicas,
                  revisionHistoryLimit: 5,
                  minReadySeconds: 5,
                  selector,
                  template: template("Rollout"),
                  serviceName: args.name,
                  ingress: args.ingress,
                  canary: args.canary,
              })
            : undefined;
        return {
            workload: canary?.rollout ?? deployment,
            ...(canary?.analysisTemplate ? { analysisTemplate: canary.analysisTemplate } : {}),
            service: {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name: args.name, labels },
                spec: {
                    type: "ClusterIP",
                    selector,
                    ports: [
                        { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
                        ...(args.metricsPort !== undefined
                            ? [
                                  {
                                      name: "metrics",
                                      port: args.metricsPort,
                                      targetPort: "metrics",
                                      protocol: "TCP",
                                  },
                              ]
                            : []),
                    ],
                },
            },
        };
    });
}

/**
 * `apps/<app>/base/kustomization.yaml`, seeded once and then the team's: a kustomization for the team's own
 * manifests of every environment, in the app's namespace; none at first. The platform's objects come from
 * `apps/<app>/platform/<env>/`, a kustomize Component each overlay includes (see docs/apps.md).
 */
export function baseKustomizationYaml(args: { namespace: string }): string {
    const document = new Document({
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        namespace: args.namespace,
        resources: [],
    });
    document.commentBefore =
        ` ${seedHeader}\n` +
        " Your own manifests for every environment go here (list them under resources). The platform's objects\n" +
        " (Deployment, Service, autoscaler, ...) come from ../platform/<env>, which each overlay includes.";
    return document.toString({ lineWidth: 0 });
}
