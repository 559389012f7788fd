import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { Component } from "./controlPlane";
import type { Kube } from "./kube";
import { closeServer } from "./receivers";

/**
 * The resource metrics API (`metrics.k8s.io/v1beta1`) for the spoke, standing in for metrics-server the
 * way kwok stands in for a kubelet: an aggregated API server on loopback that reports, for every running
 * pod, a small fixed CPU and memory use per container, as metrics-server would from a kubelet. The HPA
 * controller (kube-controller-manager) reads it through the kube-apiserver's aggregation layer, so an
 * autoscaler gets real metrics and Argo CD judges it as it would in a cluster: Healthy, instead of
 * Degraded for `FailedGetResourceMetric` (gitops-engine `pkg/health/health_hpa.go`).
 *
 * Registered with an `APIService` whose Service is an ExternalName `localhost` (the aggregator dials
 * `https://<externalName>:<port>`, k8s.io/apiserver `pkg/util/proxy` `ResolveCluster`), trusted through the
 * run's CA; its serving certificate names `metrics-server.kube-system.svc`, which the aggregator verifies.
 */
export class MetricsApi implements Component {
    readonly name = "metrics-api";
    /** Pod metrics requests served (namespace and label selector), for the steps' details. */
    readonly requests: string[] = [];
    private server?: https.Server;

    constructor(
        private readonly port: number,
        private readonly tls: { cert: string; key: string },
        private readonly cluster: Kube,
        /** Each container's use: well under the requests, so an autoscaler stays at its minimum. */
        private readonly usage = { cpu: "5m", memory: "16Mi" },
    ) {}

    /** The Service and APIService that register this server with the cluster's aggregation layer. */
    registration(caCertFile: string): Record<string, unknown>[] {
        return [
            {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name: "metrics-server", namespace: "kube-system" },
                spec: {
                    type: "ExternalName",
                    externalName: "localhost",
                    ports: [{ name: "https", port: this.port }],
                },
            },
            {
                apiVersion: "apiregistration.k8s.io/v1",
                kind: "APIService",
                metadata: { name: "v1beta1.metrics.k8s.io" },
                spec: {
                    group: "metrics.k8s.io",
                    version: "v1beta1",
                    service: { name: "metrics-server", namespace: "kube-system", port: this.port },
                    caBundle: fs.readFileSync(caCertFile).toString("base64"),
                    groupPriorityMinimum: 100,
                    versionPriority: 100,
                },
            },
        ];
    }

    async start(): Promise<void> {
        this.server = https.createServer(
            { cert: fs.readFileSync(this.tls.cert), key: fs.readFileSync(this.tls.key) },
            (request, response) => {
                this.answer(new URL(request.url ?? "/", "https://localhost"))
                    .then(([status, body]) => {
                        response.writeHead(status, { "content-type": "application/json" });
                        response.end(JSON.stringify(body));
                    })
                    .catch((error: Error) => {
                        response.writeHead(500, { "content-type": "application/json" });
                        response.end(
                            JSON.stringify({ kind: "Status", status: "Failure", message: error.message }),
                        );
                    });
            },
        );
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    private async answer(url: URL): Promise<[number, unknown]> {
        const base = "/apis/metrics.k8s.io/v1beta1";
        if (url.pathname === base) {
            return [
                200,
                {
                    kind: "APIResourceList",
                    apiVersion: "v1",
                    groupVersion: "metrics.k8s.io/v1beta1",
                    resources: [
                        {
                            name: "nodes",
                            singularName: "",
                            namespaced: false,
                            kind: "NodeMetrics",
                            verbs: ["get", "list"],
                        },
                        {
                            name: "pods",
                            singularName: "",
                            namespaced: true,
                            kind: "PodMetrics",
                            verbs: ["get", "list"],
                        },
                    ],
                },
            ];
        }
        if (url.pathname === `${base}/nodes`) {
            return [
                200,
                { kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: [] },
            ];
        }
        const pods = new RegExp(`^${base}/namespaces/([^/]+)/pods$`).exec(url.pathname);
        if (!pods) return [404, { kind: "Status", status: "Failure", reason: "NotFound", code: 404 }];
        const selector = url.searchParams.get("labelSelector") ?? undefined;
        this.requests.push(`${pods[1]}?${selector ?? ""}`);
        const running = (await this.cluster.list("v1", "Pod", pods[1], selector)).filter(
            (pod) => (pod.status as { phase?: string } | undefined)?.phase === "Running",
        );
        const now = new Date().toISOString();
        return [
            200,
            {
                kind: "PodMetricsList",
                apiVersion: "metrics.k8s.io/v1beta1",
                metadata: {},
                items: running.map((pod) => ({
                    metadata: {
                        name: pod.metadata.name,
                        namespace: pod.metadata.namespace,
                        labels: pod.metadata.labels,
                    },
                    timestamp: now,
                    window: "1s",
                    containers: ((pod.spec as { containers: { name: string }[] }).containers ?? []).map(
                        (container) => ({
                            name: container.name,
                            usage: { ...this.usage },
                        }),
                    ),
                })),
            },
        ];
    }

    async stop(): Promise<void> {
        if (!this.server) return;
        await new Promise<void>((resolve) => {
            this.server!.close(() => resolve());
            this.server!.closeAllConnections();
        });
    }
}

/**
 * Prometheus' query API on loopback for the canary's analysis, with no data at all: every instant query
 * answers an empty vector, as a Prometheus would for an app whose series do not exist (yet). Argo Rollouts'
 * Prometheus provider reads it like any Prometheus (`/api/v1/query`, POST with a GET fallback).
 */
export class EmptyPrometheus implements Component {
    readonly name = "prometheus-without-data";
    /** The queries asked, in order. */
    readonly queries: string[] = [];
    private server?: http.Server;

    constructor(private readonly port: number) {}

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    async start(): Promise<void> {
        this.server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString()));
            request.on("end", () => {
                const url = new URL(request.url ?? "/", this.url);
                if (url.pathname !== "/api/v1/query") {
                    response.writeHead(404, { "content-type": "application/json" });
                    response.end(
                        JSON.stringify({ status: "error", errorType: "not_found", error: "not found" }),
                    );
                    return;
                }
                const form = new URLSearchParams(request.method === "POST" ? body : url.search);
                this.queries.push(form.get("query") ?? "");
                response.writeHead(200, { "content-type": "application/json" });
                response.end(
                    JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }),
                );
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}
