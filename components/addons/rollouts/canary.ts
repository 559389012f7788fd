/**
 * Progressive delivery with Argo Rollouts: a pure builder that turns an app's standard pod template into a
 * canary `Rollout` with background analysis. When the analysis fails, the Rollout aborts and scales the
 * canary away, so the stable version keeps serving: an automatic rollback.
 */

import { kubePrometheusStack, kubePrometheusStackPrometheusUrl } from "../catalog/kubePrometheusStack";
import { addonNamespace } from "../types";

/** One canary step: exactly one of `setWeight` (shift a share of the pods to the new version) or `pause`. */
export interface CanaryStep {
    /** Percentage of pods on the new version, 1 to 100. */
    setWeight?: number;
    /** Wait this long (`30s`, `5m`, `1h`), or until promoted when no duration is given. */
    pause?: { duration?: string };
}

/** The Prometheus success-rate check that gates the canary. */
export interface CanaryAnalysis {
    /** Run the analysis. Default: `true`. */
    enabled?: boolean;
    /** Minimum share of non-5xx responses, between 0 and 1. Default: `0.95`. */
    successRate?: number;
    /** How often to measure. Default: `1m`. */
    interval?: string;
    /** Failed measurements tolerated before the rollout aborts. Default: `2`. */
    failureLimit?: number;
    /** Step from which the analysis runs (0-based). Default: `1`, after the first weight shift. */
    startingStep?: number;
    /** Prometheus to query. Default: kube-prometheus-stack's in-cluster Prometheus. */
    prometheusAddress?: string;
}

/** The per-app `canary` option of the stack config (`apps[].canary`). */
export interface CanaryConfig {
    /** Default: 10% → pause 2m → 30% → pause 5m → 60% → pause 5m → 100%. */
    steps?: CanaryStep[];
    /** Default: on, with the defaults of `CanaryAnalysis`. */
    analysis?: CanaryAnalysis;
    /** Abort the rollout when it makes no progress for this long. Default: `600`. */
    progressDeadlineSeconds?: number;
}

export interface CanaryRolloutArgs {
    /** Name of the Rollout (the app's name, as the Deployment it replaces). */
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    replicas: number;
    /** Default: `3`. */
    revisionHistoryLimit?: number;
    /** Seconds a new pod must be ready before it counts as available. Default: none (0). */
    minReadySeconds?: number;
    /** Selector labels: the standard Deployment's `spec.selector.matchLabels`. */
    selector: Record<string, string>;
    /** Pod template: the standard Deployment's `spec.template`. */
    template: Record<string, unknown>;
    /** Service that fronts the app; its ingress-nginx request metrics feed the analysis. */
    serviceName: string;
    canary: CanaryConfig;
}

/** What the builder returns: the Rollout, and the AnalysisTemplate it references (when analysis is on). */
export interface CanaryManifests {
    rollout: RolloutObject;
    analysisTemplate?: RolloutObject;
}

export interface RolloutObject {
    apiVersion: "argoproj.io/v1alpha1";
    kind: "Rollout" | "AnalysisTemplate";
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec: Record<string, unknown>;
}

/**
 * kube-prometheus-stack's Prometheus, as seen from inside the cluster: the add-on's release is named after it
 * on every cluster (`helm.releaseName`), so its Service name is the same on the hub and on every spoke.
 */
export const inClusterPrometheusUrl = kubePrometheusStackPrometheusUrl(
    kubePrometheusStack.name,
    // Its namespace is fixed, not Argo CD's, so the Argo CD namespace given here is never read.
    addonNamespace(kubePrometheusStack, ""),
);

export const defaultCanarySteps: CanaryStep[] = [
    { setWeight: 10 },
    { pause: { duration: "2m" } },
    { setWeight: 30 },
    { pause: { duration: "5m" } },
    { setWeight: 60 },
    { pause: { duration: "5m" } },
];

const defaultAnalysis: Required<Omit<CanaryAnalysis, "enabled">> = {
    successRate: 0.95,
    interval: "1m",
    failureLimit: 2,
    startingStep: 1,
    prometheusAddress: inClusterPrometheusUrl,
};

/** Name of an app's success-rate AnalysisTemplate. */
export function analysisTemplateName(app: string): string {
    return `${app}-success-rate`;
}

/** Share of non-5xx responses for the Service, from ingress-nginx metrics (blended stable + canary). */
export function successRateQuery(): string {
    const selector = 'exported_namespace="{{args.namespace}}",exported_service="{{args.service-name}}"';
    return [
        `sum(rate(nginx_ingress_controller_requests{${selector},status!~"5.."}[2m]))`,
        "/",
        `sum(rate(nginx_ingress_controller_requests{${selector}}[2m]))`,
    ].join("\n");
}

/** Checks the canary config; throws with the offending field. */
export function validateCanary(name: string, canary: CanaryConfig): void {
    const problems: string[] = [];
    const steps = canary.steps ?? defaultCanarySteps;
    if (steps.length === 0) problems.push("steps: expected at least one step");
    let last = 0;
    steps.forEach((step, index) => {
        if ((step.setWeight === undefined) === (step.pause === undefined)) {
            problems.push(`steps[${index}]: expected exactly one of setWeight or pause`);
        } else if (step.setWeight !== undefined) {
            if (!Number.isInteger(step.setWeight) || step.setWeight < 1 || step.setWeight > 100) {
                problems.push(
                    `steps[${index}].setWeight: expected an integer from 1 to 100, got ${step.setWeight}`,
                );
            } else if (step.setWeight < last) {
                problems.push(
                    `steps[${index}].setWeight: expected weights that never decrease, got ${step.setWeight} after ${last}`,
                );
            } else {
                last = step.setWeight;
            }
        }
    });
    if (canary.analysis?.enabled !== false) {
        const rate = canary.analysis?.successRate ?? defaultAnalysis.successRate;
        if (!(rate > 0 && rate <= 1))
            problems.push(`analysis.successRate: expected a number in (0, 1], got ${rate}`);
        const start = canary.analysis?.startingStep ?? defaultAnalysis.startingStep;
        if (start < 0 || start >= steps.length) {
            problems.push(
                `analysis.startingStep: expected a step index from 0 to ${steps.length - 1}, got ${start}`,
            );
        }
    }
    if (problems.length > 0) throw new Error(`canary of ${name}:\n  - ${problems.join("\n  - ")}`);
}

/** Builds the canary Rollout (and its AnalysisTemplate) from an app's standard pod template. Pure. */
export function canaryRollout(args: CanaryRolloutArgs): CanaryManifests {
    validateCanary(args.name, args.canary);
    const metadata = (name: string) => ({
        name,
        ...(args.namespace ? { namespace: args.namespace } : {}),
        ...(args.labels ? { labels: { ...args.labels } } : {}),
    });
    const { enabled = true, ...analysisSettings } = args.canary.analysis ?? {};
    const analysis = enabled ? { ...defaultAnalysis, ...analysisSettings } : undefined;
    const templateName = analysisTemplateName(args.name);

    const rollout: RolloutObject = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: metadata(args.name),
        spec: {
            replicas: args.replicas,
            revisionHistoryLimit: args.revisionHistoryLimit ?? 3,
            ...(args.minReadySeconds !== undefined ? { minReadySeconds: args.minReadySeconds } : {}),
            selector: { matchLabels: { ...args.selector } },
            template: args.template,
            // A rollout that stops progressing is aborted (and rolled back), not left half-way.
            progressDeadlineSeconds: args.canary.progressDeadlineSeconds ?? 600,
            progressDeadlineAbort: true,
            strategy: {
                canary: {
                    maxSurge: "25%",
                    maxUnavailable: 0,
                    ...(analysis
                        ? {
                              // Background analysis: any failure aborts the rollout at whatever step it is.
                              analysis: {
                                  templates: [{ templateName }],
                                  startingStep: analysis.startingStep,
                                  args: [
                                      { name: "service-name", value: args.serviceName },
                                      {
                                          name: "namespace",
                                          valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                                      },
                                  ],
                              },
                          }
                        : {}),
                    steps: (args.canary.steps ?? defaultCanarySteps).map((step) =>
                        step.setWeight !== undefined
                            ? { setWeight: step.setWeight }
                            : { pause: { ...step.pause } },
                    ),
                },
            },
        },
    };
    if (!analysis) return { rollout };

    const analysisTemplate: RolloutObject = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AnalysisTemplate",
        metadata: metadata(templateName),
        spec: {
            args: [{ name: "service-name" }, { name: "namespace" }],
            metrics: [
                {
                    name: "success-rate",
                    interval: analysis.interval,
                    failureLimit: analysis.failureLimit,
                    // No traffic yet (empty result or NaN) is not a failure.
                    successCondition: `len(result) == 0 || isNaN(result[0]) || result[0] >= ${analysis.successRate}`,
                    provider: {
                        prometheus: { address: analysis.prometheusAddress, query: successRateQuery() },
                    },
                },
            ],
        },
    };
    return { rollout, analysisTemplate };
}

/** The canary manifests as a list, in apply order (the AnalysisTemplate first). Pure. */
export function canaryManifests(args: CanaryRolloutArgs): RolloutObject[] {
    const { rollout, analysisTemplate } = canaryRollout(args);
    return analysisTemplate ? [analysisTemplate, rollout] : [rollout];
}
