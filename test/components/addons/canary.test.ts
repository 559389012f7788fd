import { strict as assert } from "node:assert";
import {
    analysisConditions,
    analysisTemplateName,
    appRequestsMetric,
    canaryManifests,
    canaryRollout,
    defaultCanarySteps,
    inClusterPrometheusUrl,
    measurementPhase,
    successRateQuery,
    type CanaryRolloutArgs,
    type NoDataOutcome,
} from "../../../components/addons";
import { platformManifestsYaml } from "../../../components/apps";
import { standardWorkload } from "../../../components/github/workload";
import { parse } from "yaml";
import { validateObject, valueOf } from "../../harness";

const selector = { "app.kubernetes.io/name": "checkout" };
const template = {
    metadata: { labels: selector },
    spec: {
        containers: [
            {
                name: "checkout",
                image: "ghcr.io/acme/checkout:1.2.3",
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
            },
        ],
    },
};

function args(overrides: Partial<CanaryRolloutArgs> = {}): CanaryRolloutArgs {
    return {
        name: "checkout",
        namespace: "payments",
        labels: selector,
        replicas: 3,
        selector,
        template,
        serviceName: "checkout",
        canary: {},
        ...overrides,
    };
}

type Canary = {
    steps: Record<string, unknown>[];
    analysis?: { templates: { templateName: string }[]; startingStep: number; args: { name: string }[] };
    maxUnavailable: number;
};

function strategy(spec: Record<string, unknown>): Canary {
    return (spec.strategy as { canary: Canary }).canary;
}

describe("canaryRollout", () => {
    it("builds a Rollout from the standard pod template, with the default steps and background analysis", () => {
        const { rollout, analysisTemplate } = canaryRollout(args());
        assert.equal(rollout.apiVersion, "argoproj.io/v1alpha1");
        assert.equal(rollout.kind, "Rollout");
        assert.deepEqual(rollout.metadata, { name: "checkout", namespace: "payments", labels: selector });
        assert.equal(rollout.spec.replicas, 3);
        assert.deepEqual(rollout.spec.selector, { matchLabels: selector });
        assert.deepEqual(rollout.spec.template, template);
        const canary = strategy(rollout.spec);
        assert.deepEqual(canary.steps, defaultCanarySteps);
        assert.equal(canary.maxUnavailable, 0);
        assert.deepEqual(canary.analysis?.templates, [{ templateName: "checkout-success-rate" }]);
        assert.equal(canary.analysis?.startingStep, 1);
        assert.ok(analysisTemplate);
        assert.equal(analysisTemplate.metadata.name, analysisTemplateName("checkout"));
    });

    it("aborts (and so rolls back) on failed analysis or a stalled rollout", () => {
        const { rollout, analysisTemplate } = canaryRollout(args());
        assert.equal(rollout.spec.progressDeadlineAbort, true);
        assert.equal(rollout.spec.progressDeadlineSeconds, 600);
        const metric = (analysisTemplate!.spec.metrics as Record<string, unknown>[])[0];
        assert.equal(metric.failureLimit, 2);
        assert.equal(metric.consecutiveErrorLimit, 4);
        assert.equal(metric.successCondition, "len(result) > 0 && all(result, {!isNaN(#) && # >= 0.95})");
        assert.equal(
            metric.failureCondition,
            undefined,
            "without one, a measurement that misses success fails",
        );
        const prometheus = (metric.provider as { prometheus: { address: string; query: string } }).prometheus;
        assert.equal(prometheus.address, inClusterPrometheusUrl);
        assert.match(prometheus.query, /\{\{args\.service-name\}\}/);
    });

    it("passes the Service and namespace to the analysis, matching the template's arguments", () => {
        const { rollout, analysisTemplate } = canaryRollout(args({ serviceName: "checkout-http" }));
        const passed = strategy(rollout.spec).analysis!.args.map((a) => a.name);
        const declared = (analysisTemplate!.spec.args as { name: string }[]).map((a) => a.name);
        assert.deepEqual(passed, declared);
        assert.ok(JSON.stringify(rollout.spec).includes('"value":"checkout-http"'));
    });

    it("takes custom steps and analysis settings", () => {
        const { rollout, analysisTemplate } = canaryRollout(
            args({
                canary: {
                    steps: [
                        { setWeight: 25 },
                        { pause: {} },
                        { setWeight: 50 },
                        { pause: { duration: "10m" } },
                    ],
                    analysis: { successRate: 0.99, interval: "30s", failureLimit: 1, startingStep: 2 },
                    progressDeadlineSeconds: 300,
                },
            }),
        );
        assert.deepEqual(strategy(rollout.spec).steps, [
            { setWeight: 25 },
            { pause: {} },
            { setWeight: 50 },
            { pause: { duration: "10m" } },
        ]);
        assert.equal(strategy(rollout.spec).analysis?.startingStep, 2);
        const metric = (analysisTemplate!.spec.metrics as Record<string, unknown>[])[0];
        assert.equal(metric.interval, "30s");
        assert.match(String(metric.successCondition), /# >= 0\.99\}\)$/);
        assert.equal(rollout.spec.progressDeadlineSeconds, 300);
        assert.equal(rollout.spec.minReadySeconds, undefined);
        assert.equal(canaryRollout(args({ minReadySeconds: 5 })).rollout.spec.minReadySeconds, 5);
    });

    it("without analysis there is no AnalysisTemplate and no analysis block", () => {
        const manifests = canaryManifests(args({ canary: { analysis: { enabled: false } } }));
        assert.deepEqual(
            manifests.map((m) => m.kind),
            ["Rollout"],
        );
        assert.equal(strategy(manifests[0].spec).analysis, undefined);
    });

    it("lists the AnalysisTemplate before the Rollout that references it", () => {
        assert.deepEqual(
            canaryManifests(args()).map((m) => m.kind),
            ["AnalysisTemplate", "Rollout"],
        );
    });

    it("keeps a pod template that validates as a Kubernetes PodTemplate", async () => {
        const { rollout } = canaryRollout(args());
        const podTemplate = {
            apiVersion: "v1",
            kind: "PodTemplate",
            metadata: { name: "checkout" },
            template: rollout.spec.template,
        };
        assert.deepEqual(await validateObject(podTemplate), []);
    });

    for (const [title, canary, expected] of [
        [
            "a step with both setWeight and pause",
            { steps: [{ setWeight: 10, pause: {} }] },
            /steps\[0\]: expected exactly one/,
        ],
        [
            "a weight above 100",
            { steps: [{ setWeight: 120 }] },
            /steps\[0\]\.setWeight: expected an integer from 1 to 100/,
        ],
        [
            "decreasing weights",
            { steps: [{ setWeight: 50 }, { setWeight: 20 }] },
            /steps\[1\]\.setWeight: expected weights that never decrease/,
        ],
        ["a success rate above 1", { analysis: { successRate: 95 } }, /analysis\.successRate/],
        [
            "analysis starting after the last step",
            { steps: [{ setWeight: 50 }], analysis: { startingStep: 3 } },
            /analysis\.startingStep/,
        ],
    ] as const) {
        it(`rejects ${title}`, () => {
            assert.throws(() => canaryRollout(args({ canary: structuredClone(canary) as never })), expected);
        });
    }

    it("replaces the seed's Deployment with a Rollout over the same pod template", async () => {
        const plain = await valueOf(standardWorkload({ name: "checkout", team: "payments", port: 8080 }));
        const canary = await valueOf(
            standardWorkload({ name: "checkout", team: "payments", port: 8080, canary: {} }),
        );
        const deployment = plain.workload.spec as { template: unknown; selector: unknown };
        assert.equal(plain.workload.kind, "Deployment");
        assert.equal(canary.workload.kind, "Rollout");
        assert.deepEqual(canary.workload.spec.template, deployment.template);
        assert.deepEqual(canary.workload.spec.selector, deployment.selector);
        assert.equal(canary.analysisTemplate?.metadata.name, analysisTemplateName("checkout"));
        const objects = [canary.workload, canary.service, canary.analysisTemplate!].map((object) => ({
            ...object,
            metadata: { ...object.metadata, namespace: "payments", labels: object.metadata.labels ?? {} },
        }));
        const documents = platformManifestsYaml("dev", objects)
            .split("---\n")
            .map((doc) => parse(doc) as { kind: string });
        assert.deepEqual(
            documents.map((doc) => doc.kind),
            ["Rollout", "Service", "AnalysisTemplate"],
        );
        const podTemplate = {
            apiVersion: "v1",
            kind: "PodTemplate",
            metadata: { name: "checkout" },
            template: canary.workload.spec.template,
        };
        assert.deepEqual(await validateObject(podTemplate), []);
    });
});

describe("canary analysis: what it measures", () => {
    function query(overrides: Partial<CanaryRolloutArgs>): string {
        const metric = (
            canaryRollout(args(overrides)).analysisTemplate!.spec.metrics as Record<string, unknown>[]
        )[0];
        return (metric.provider as { prometheus: { query: string } }).prometheus.query;
    }

    it("reads ingress-nginx's requests of the Service when the app has an Ingress", () => {
        const q = query({ ingress: true });
        assert.match(
            q,
            /^sum\(rate\(nginx_ingress_controller_requests\{exported_namespace="\{\{args\.namespace\}\}",exported_service="\{\{args\.service-name\}\}",status!~"5\.\."\}\[2m\]\)\)/,
        );
        assert.equal(q, successRateQuery("ingress"));
    });

    it("reads the app's own http_requests_total{code} without an Ingress (the documented metric contract)", () => {
        const q = query({ ingress: false });
        assert.equal(appRequestsMetric.name, "http_requests_total");
        assert.match(
            q,
            /http_requests_total\{namespace="\{\{args\.namespace\}\}",service="\{\{args\.service-name\}\}",code!~"5\.\."\}/,
        );
        assert.match(
            q,
            /\/\nsum\(rate\(http_requests_total\{namespace="\{\{args\.namespace\}\}",service="\{\{args\.service-name\}\}"\}\[2m\]\)\)$/,
        );
    });

    it("reads the mesh's istio_requests_total when asked, whatever the Ingress", () => {
        const q = query({ ingress: true, canary: { analysis: { source: "istio" } } });
        assert.match(
            q,
            /istio_requests_total\{reporter="destination",destination_service_namespace="\{\{args\.namespace\}\}",destination_service_name="\{\{args\.service-name\}\}",response_code!~"5\.\."\}/,
        );
    });

    it("validates against the Argo Rollouts AnalysisTemplate schema in every mode", async () => {
        for (const noData of ["fail", "pass", "inconclusive"] as const) {
            const { analysisTemplate } = canaryRollout(args({ canary: { analysis: { noData } } }));
            assert.deepEqual(await validateObject({ ...analysisTemplate! }), [], noData);
        }
    });
});

describe("canary analysis: the no-data outcome", () => {
    const empty: number[] = [];
    const noTraffic = [Number.NaN];
    const healthy = [0.99];
    const failing = [0.5];
    const expected: Record<NoDataOutcome, Record<string, string>> = {
        fail: { empty: "Failed", noTraffic: "Failed", healthy: "Successful", failing: "Failed" },
        pass: { empty: "Successful", noTraffic: "Successful", healthy: "Successful", failing: "Failed" },
        inconclusive: {
            empty: "Inconclusive",
            noTraffic: "Inconclusive",
            healthy: "Successful",
            failing: "Failed",
        },
    };
    for (const noData of ["fail", "pass", "inconclusive"] as const) {
        it(`noData ${noData}: no series or 0/0 is ${expected[noData].empty}, a good rate passes, a bad one fails`, () => {
            const conditions = analysisConditions(0.95, noData);
            assert.equal(measurementPhase(empty, conditions), expected[noData].empty);
            assert.equal(measurementPhase(noTraffic, conditions), expected[noData].noTraffic);
            assert.equal(measurementPhase(healthy, conditions), expected[noData].healthy);
            assert.equal(measurementPhase(failing, conditions), expected[noData].failing);
        });
    }

    it("writes the conditions it models into the template, and never indexes result (an error on no data)", () => {
        for (const noData of ["fail", "pass", "inconclusive"] as const) {
            const metric = (
                canaryRollout(args({ canary: { analysis: { noData } } })).analysisTemplate!.spec
                    .metrics as Record<string, unknown>[]
            )[0];
            const conditions = analysisConditions(0.95, noData);
            assert.equal(metric.successCondition, conditions.successCondition.expr);
            assert.equal(metric.failureCondition, conditions.failureCondition?.expr);
            assert.doesNotMatch(JSON.stringify(metric), /result\s*\[/);
        }
    });

    it("pauses on inconclusive at once (inconclusiveLimit 0) and fails closed by default", () => {
        const inconclusive = (
            canaryRollout(args({ canary: { analysis: { noData: "inconclusive" } } })).analysisTemplate!.spec
                .metrics as Record<string, unknown>[]
        )[0];
        assert.equal(inconclusive.inconclusiveLimit, 0);
        const byDefault = (
            canaryRollout(args()).analysisTemplate!.spec.metrics as Record<string, unknown>[]
        )[0];
        assert.equal(byDefault.successCondition, analysisConditions(0.95, "fail").successCondition.expr);
        assert.equal(byDefault.failureCondition, undefined);
    });

    it("rejects an unknown no-data outcome", () => {
        assert.throws(
            () => canaryRollout(args({ canary: { analysis: { noData: "maybe" as NoDataOutcome } } })),
            /analysis\.noData: expected fail, pass or inconclusive, got maybe/,
        );
    });

    it("leaves replicas to an autoscaler", () => {
        assert.equal("replicas" in canaryRollout(args({ replicas: undefined })).rollout.spec, false);
    });
});
