/**
 * Progressive delivery with Argo Rollouts: a pure builder that turns an app's standard pod template into a
 * canary `Rollout` with background analysis. When the analysis fails, the Rollout aborts and scales the
 * canary away, so the stable version keeps serving: an automatic rollback.
 */

import { kubePrometheusStack, kubePrometheusStackPrometheusUrl } from "../catalog/kubePrometheusStack";
import { addonNamespace } from "../types";

/**
 * What the analysis measures: `ingress` (ingress-nginx's request metrics of the app's Service), `app` (the
 * app's own `http_requests_total{code}`, see `appRequestsMetric`) or `istio` (the mesh's
 * `istio_requests_total{response_code}`, reported by the destination's sidecar).
 */
export type AnalysisSource = "ingress" | "app" | "istio";

/** What a measurement with no data counts as: see `analysisConditions`. */
export type NoDataOutcome = "fail" | "pass" | "inconclusive";

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
    /** What to measure. Default: `ingress` when the app has an Ingress, otherwise `app`. */
    source?: AnalysisSource;
    /** A measurement without data (no series, or 0/0 without traffic). Default: `fail` (fail closed). */
    noData?: NoDataOutcome;
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
    /** Replicas; undefined when a HorizontalPodAutoscaler owns them. */
    replicas: number | undefined;
    /** Default: `3`. */
    revisionHistoryLimit?: number;
    /** Seconds a new pod must be ready before it counts as available. Default: none (0). */
    minReadySeconds?: number;
    /** Selector labels: the standard Deployment's `spec.selector.matchLabels`. */
    selector: Record<string, string>;
    /** Pod template: the standard Deployment's `spec.template`. */
    template: Record<string, unknown>;
    /** Service that fronts the app; its request metrics feed the analysis. */
    serviceName: string;
    /** Whether the app has an Ingress, which picks the default analysis source. Default: `false`. */
    ingress?: boolean;
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

const defaultAnalysis: Required<Omit<CanaryAnalysis, "enabled" | "source">> = {
    successRate: 0.95,
    interval: "1m",
    failureLimit: 2,
    startingStep: 1,
    prometheusAddress: inClusterPrometheusUrl,
    noData: "fail",
};

/**
 * The metric contract of an app without an Ingress: a Prometheus counter `http_requests_total` of the
 * requests it served, with the HTTP status in label `code` (what Go's promhttp `InstrumentHandlerCounter`
 * and most Prometheus client middlewares write), scraped through the app's ServiceMonitor, so Prometheus
 * adds `namespace` and `service`.
 */
export const appRequestsMetric = { name: "http_requests_total", statusLabel: "code" } as const;

/** Name of an app's success-rate AnalysisTemplate. */
export function analysisTemplateName(app: string): string {
    return `${app}-success-rate`;
}

/** The series, selector and status label of each analysis source; `{{args.…}}` are the template's arguments. */
const sources: Record<AnalysisSource, { metric: string; selector: string; status: string }> = {
    // ingress-nginx labels its requests with the backend's namespace and service; scraped through the
    // controller's ServiceMonitor, Prometheus keeps them as exported_namespace/exported_service.
    ingress: {
        metric: "nginx_ingress_controller_requests",
        selector: 'exported_namespace="{{args.namespace}}",exported_service="{{args.service-name}}"',
        status: "status",
    },
    app: {
        metric: appRequestsMetric.name,
        selector: 'namespace="{{args.namespace}}",service="{{args.service-name}}"',
        status: appRequestsMetric.statusLabel,
    },
    istio: {
        metric: "istio_requests_total",
        selector:
            'reporter="destination",destination_service_namespace="{{args.namespace}}",destination_service_name="{{args.service-name}}"',
        status: "response_code",
    },
};

/**
 * Share of non-5xx responses the Service answered over 2 minutes (stable and canary pods blended), from
 * `source`: one sample, NaN (0/0) when there was no traffic, and no sample at all when the series does not
 * exist. Pure.
 */
export function successRateQuery(source: AnalysisSource = "ingress"): string {
    const { metric, selector, status } = sources[source];
    return [
        `sum(rate(${metric}{${selector},${status}!~"5.."}[2m]))`,
        "/",
        `sum(rate(${metric}{${selector}}[2m]))`,
    ].join("\n");
}

/**
 * A condition as Argo Rollouts evaluates it (`expr`, in the expr language its AnalysisTemplate takes,
 * `result` being the Prometheus vector as a list of floats) and as this module models it (`holds`), built
 * together so the two cannot drift apart.
 */
export interface AnalysisCondition {
    expr: string;
    holds(result: readonly number[]): boolean;
}

const hasData: AnalysisCondition = { expr: "len(result) > 0", holds: (result) => result.length > 0 };
const everyAtLeast = (rate: number): AnalysisCondition => ({
    expr: `all(result, {!isNaN(#) && # >= ${rate}})`,
    holds: (result) => result.every((value) => !Number.isNaN(value) && value >= rate),
});
const everyAtLeastOrNaN = (rate: number): AnalysisCondition => ({
    expr: `all(result, {isNaN(#) || # >= ${rate}})`,
    holds: (result) => result.every((value) => Number.isNaN(value) || value >= rate),
});
const someBelow = (rate: number): AnalysisCondition => ({
    expr: `any(result, {!isNaN(#) && # < ${rate}})`,
    holds: (result) => result.some((value) => !Number.isNaN(value) && value < rate),
});
const both = (a: AnalysisCondition, b: AnalysisCondition): AnalysisCondition => ({
    expr: `${a.expr} && ${b.expr}`,
    holds: (result) => a.holds(result) && b.holds(result),
});

/**
 * The success and failure conditions that make "no data" the chosen outcome. The rules they rely on, from
 * Argo Rollouts 1.9.0:
 * - the Prometheus provider hands a vector over as a list of its samples' values, empty when no series
 *   matches (`metricproviders/prometheus/prometheus.go`, `processResponse`); 0/0 is a sample of NaN;
 * - `utils/evaluate/evaluate.go` `EvaluateResult`: with only a successCondition, a measurement that does
 *   not meet it is **Failed**; with both, one that meets neither is **Inconclusive**; a condition that
 *   errors (e.g. `result[0]` of an empty list) makes the measurement an **Error**, which only fails the run
 *   after `consecutiveErrorLimit` (default 4) errors in a row, and which later releases refuse outright
 *   for an indexed `result[…]` on an empty result. So the conditions never index: `all`/`any` over the list;
 * - `analysis/analysis.go` `assessMetricFailureInconclusiveOrError`: the run fails when failed measurements
 *   exceed `failureLimit`, and is Inconclusive when inconclusive ones exceed `inconclusiveLimit`; an
 *   Inconclusive background analysis pauses the Rollout (`rollout/analysis.go`), a failed one aborts it.
 *
 * `fail`: no data fails the measurement (fail closed). `pass`: no data counts as success. `inconclusive`:
 * no data pauses the rollout for a person to promote or abort. A rate below `successRate` fails in every
 * mode. Pure.
 */
export function analysisConditions(
    successRate: number,
    noData: NoDataOutcome,
): { successCondition: AnalysisCondition; failureCondition?: AnalysisCondition } {
    switch (noData) {
        case "pass":
            return { successCondition: everyAtLeastOrNaN(successRate) };
        case "inconclusive":
            return {
                successCondition: both(hasData, everyAtLeast(successRate)),
                failureCondition: someBelow(successRate),
            };
        case "fail":
            return { successCondition: both(hasData, everyAtLeast(successRate)) };
    }
}

/** A measurement's phase as Argo Rollouts' `EvaluateResult` decides it (see `analysisConditions`). Pure. */
export function measurementPhase(
    result: readonly number[],
    conditions: ReturnType<typeof analysisConditions>,
): "Successful" | "Failed" | "Inconclusive" {
    const success = conditions.successCondition.holds(result);
    const failure = conditions.failureCondition ? conditions.failureCondition.holds(result) : !success;
    if (failure) return "Failed";
    return success ? "Successful" : "Inconclusive";
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
        const noData = canary.analysis?.noData ?? defaultAnalysis.noData;
        if (!["fail", "pass", "inconclusive"].includes(noData))
            problems.push(`analysis.noData: expected fail, pass or inconclusive, got ${String(noData)}`);
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
    const { enabled = true, source, ...analysisSettings } = args.canary.analysis ?? {};
    const analysis = enabled
        ? {
              ...defaultAnalysis,
              ...analysisSettings,
              source: source ?? ((args.ingress ? "ingress" : "app") as AnalysisSource),
          }
        : undefined;
    const templateName = analysisTemplateName(args.name);

    const rollout: RolloutObject = {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: metadata(args.name),
        spec: {
            ...(args.replicas !== undefined ? { replicas: args.replicas } : {}),
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

    const conditions = analysisConditions(analysis.successRate, analysis.noData);
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
                    // Inconclusive (no data with noData: inconclusive) pauses the rollout at once.
                    ...(conditions.failureCondition ? { inconclusiveLimit: 0 } : {}),
                    // Prometheus unreachable: an Error per measurement; the run errors (and the Rollout
                    // aborts) after this many in a row. Argo Rollouts' default, stated.
                    consecutiveErrorLimit: 4,
                    successCondition: conditions.successCondition.expr,
                    ...(conditions.failureCondition
                        ? { failureCondition: conditions.failureCondition.expr }
                        : {}),
                    provider: {
                        prometheus: {
                            address: analysis.prometheusAddress,
                            query: successRateQuery(analysis.source),
                        },
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
