import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    baseKustomizationYaml,
    defaultWorkloadResources,
    standardWorkload,
    type StandardWorkload,
} from "../../../components/github";
import { validateObject, valueOf } from "../../harness";

type Container = Record<string, unknown> & {
    name: string;
    image: string;
    ports: { name: string; containerPort: number }[];
    livenessProbe: { httpGet: { path: string; port: string } };
    readinessProbe: { httpGet: { path: string; port: string } };
    securityContext: Record<string, unknown>;
    volumeMounts: { name: string; mountPath: string }[];
};
type DeploymentSpec = {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    strategy: { type: string; rollingUpdate: { maxSurge: string; maxUnavailable: number } };
    template: {
        metadata: { labels: Record<string, string> };
        spec: Record<string, unknown> & { containers: Container[]; volumes: { name: string }[] };
    };
};

describe("standard workload template", () => {
    let workload: StandardWorkload;
    let spec: DeploymentSpec;
    before(async () => {
        workload = await valueOf(standardWorkload({ name: "checkout", team: "payments", port: 9090 }));
        spec = workload.workload.spec as unknown as DeploymentSpec;
    });

    it("validates against the upstream Kubernetes schemas", async () => {
        assert.deepEqual(await validateObject({ ...workload.workload }), []);
        assert.deepEqual(await validateObject({ ...workload.service }), []);
    });

    it("is built by kx.PodBuilder: its `app` selector, named port and generated volume", () => {
        assert.deepEqual(spec.selector.matchLabels, { app: "checkout" });
        assert.equal(spec.template.metadata.labels.app, "checkout");
        const [container] = spec.template.spec.containers;
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 9090 }]);
        assert.deepEqual(container.env, [{ name: "PORT", value: "9090" }]);
        assert.deepEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
        assert.deepEqual(spec.template.spec.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
        assert.equal("initContainers" in spec.template.spec, false, "kx's empty lists are dropped");
    });

    it("probes liveness and readiness on the named port", () => {
        const [container] = spec.template.spec.containers;
        assert.deepEqual(container.livenessProbe.httpGet, { path: "/healthz", port: "http" });
        assert.deepEqual(container.readinessProbe.httpGet, { path: "/readyz", port: "http" });
    });

    it("requests resources and limits memory", () => {
        assert.deepEqual(spec.template.spec.containers[0].resources, defaultWorkloadResources);
    });

    it("runs as non-root, read-only, without privileges", () => {
        assert.deepEqual(spec.template.spec.securityContext, {
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.deepEqual(spec.template.spec.containers[0].securityContext, {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
        });
        assert.equal(spec.template.spec.automountServiceAccountToken, false);
    });

    it("rolls out without losing capacity", () => {
        assert.equal(spec.replicas, 2);
        assert.deepEqual(spec.strategy, {
            type: "RollingUpdate",
            rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 },
        });
    });

    it("uses the app name as the image placeholder the overlays set", () => {
        assert.equal(spec.template.spec.containers[0].image, "checkout");
        assert.equal(spec.template.spec.containers[0].name, "checkout");
    });

    it("exposes the app on port 80 through a ClusterIP Service that selects its pods", () => {
        assert.deepEqual(workload.service.spec, {
            type: "ClusterIP",
            selector: { app: "checkout" },
            ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        });
        assert.equal(workload.service.metadata.labels?.["gitops-platform/team"], "payments");
    });

    it("defaults to port 8080", async () => {
        const plain = await valueOf(standardWorkload({ name: "ledger", team: "payments" }));
        const container = (plain.workload.spec as unknown as DeploymentSpec).template.spec.containers[0];
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 8080 }]);
    });

    it("seeds the team's base: an empty kustomization in the app's namespace, saying where the platform's objects are", () => {
        const yaml = baseKustomizationYaml({ namespace: "payments" });
        assert.deepEqual(parse(yaml), {
            apiVersion: "kustomize.config.k8s.io/v1beta1",
            kind: "Kustomization",
            namespace: "payments",
            resources: [],
        });
        assert.match(yaml, /^# Seeded once by Pulumi/);
        assert.match(yaml, /\.\.\/platform\/<env>/);
    });
});
