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
    /** Replicas. Default: `2`, so a rolling update or a node drain never takes the app down. */
    replicas?: number;
    /** Liveness probe path. Default: `/healthz`. */
    livenessPath?: string;
    /** Readiness probe path. Default: `/readyz`. */
    readinessPath?: string;
    /** Deliver as an Argo Rollouts canary (with its AnalysisTemplate) instead of a Deployment. Default: none. */
    canary?: CanaryConfig;
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
    const pod = new kx.PodBuilder({
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
                ports: { http: port },
                env: { PORT: String(port) },
                resources: defaultWorkloadResources,
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
                volumeMounts: [{ volume: tmp, destPath: "/tmp" }],
            },
        ],
    });
    const spec = pod.asDeploymentSpec({
        replicas: args.replicas ?? 2,
        revisionHistoryLimit: 5,
        minReadySeconds: 5,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
    });
    // kx's spec type is deep; read it as plain data (its shape is asserted below) to keep checks order-independent.
    const specOutput = pulumi.output(spec) as pulumi.Output<unknown>;
    return specOutput.apply<StandardWorkload>((deploymentSpec) => {
        const plain = withoutEmptyLists(deploymentSpec) as {
            selector: { matchLabels: Record<string, string> };
            template: { metadata: { labels: Record<string, string> } };
        };
        const selector = plain.selector.matchLabels;
        plain.template.metadata.labels = { ...plain.template.metadata.labels, ...labels };
        const deployment: KubernetesObject = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: args.name, labels },
            spec: plain as unknown as Record<string, unknown>,
        };
        const canary = args.canary
            ? canaryRollout({
                  name: args.name,
                  labels,
                  replicas: args.replicas ?? 2,
                  revisionHistoryLimit: 5,
                  minReadySeconds: 5,
                  selector,
                  template: plain.template,
                  serviceName: args.name,
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
                    ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
                },
            },
        };
    });
}

/** The name of the multi-document manifest file in `apps/<app>/base/`. */
export const baseManifestsFile = "manifests.yaml";

/**
 * `apps/<app>/base/manifests.yaml`: the Deployment (or canary Rollout and its AnalysisTemplate) and the
 * Service, as one multi-document YAML file.
 */
export function baseManifestsYaml(workload: StandardWorkload): string {
    const objects = [
        workload.workload,
        workload.service,
        ...(workload.analysisTemplate ? [workload.analysisTemplate] : []),
    ];
    const documents = objects.map((object, index) => {
        const document = new Document(object);
        if (index === 0) {
            document.commentBefore =
                ` ${seedHeader}\n` +
                ` The image "${workload.workload.metadata.name}" is a placeholder that each overlay sets with kustomize.`;
        }
        return document.toString({ lineWidth: 0 });
    });
    return documents.join("---\n");
}

/** `apps/<app>/base/kustomization.yaml`: the manifests, in the app's namespace. */
export function baseKustomizationYaml(args: { namespace: string }): string {
    const document = new Document({
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        namespace: args.namespace,
        resources: [baseManifestsFile],
    });
    document.commentBefore = ` ${seedHeader}`;
    return document.toString({ lineWidth: 0 });
}
