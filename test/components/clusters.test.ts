import { strict as assert } from "node:assert";
import { parse, stringify } from "yaml";
import {
    WorkloadCluster,
    addonClusterValues,
    addonFanOutObject,
    addonValuesAnnotation,
    applyTemplatePatch,
    clusterKubeconfig,
    clusterSecretConfig,
    KubeconfigError,
    kubeconfigCredentials,
    rawExtensionFieldsSet,
    renderedValuesPatch,
    spokeMetadata,
    totalAnnotationSizeLimit,
    type SpokeCluster,
} from "../../components/clusters";
import { record, validateObject } from "../harness";
import { testSync } from "./fixtures";

const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "eu",
    contexts: [{ name: "eu", context: { cluster: "prod-eu", user: "argocd" } }],
    clusters: [
        {
            name: "prod-eu",
            cluster: { server: "https://eu.k8s.example.com", "certificate-authority-data": "Q0E=" },
        },
    ],
    users: [{ name: "argocd", user: { token: "tok" } }],
});

describe("kubeconfigCredentials", () => {
    it("reads the current context's token and CA", () => {
        assert.deepEqual(kubeconfigCredentials(kubeconfig, "prod-eu"), {
            bearerToken: "tok",
            caData: "Q0E=",
        });
    });

    it("refuses a kubeconfig without a token, saying what to give instead", () => {
        const noToken = kubeconfig.replace("token: tok", "username: admin");
        assert.throws(
            () => kubeconfigCredentials(noToken, "prod-eu"),
            /expected a bearer token or an EKS exec on the current context's user, got neither; give a kubeconfig whose current context has a bearer token/,
        );
        const noCa = kubeconfig.replace("certificate-authority-data: Q0E=", "insecure-skip-tls-verify: true");
        assert.throws(() => kubeconfigCredentials(noCa, "prod-eu"), KubeconfigError);
    });

    /** An EKS kubeconfig whose user runs `exec` (as `aws eks update-kubeconfig` writes it). */
    function eksKubeconfig(exec: Record<string, unknown>): string {
        return stringify({
            apiVersion: "v1",
            kind: "Config",
            "current-context": "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu",
            contexts: [
                {
                    name: "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu",
                    context: { cluster: "eks-prod-eu", user: "eks-prod-eu" },
                },
            ],
            clusters: [
                {
                    name: "eks-prod-eu",
                    cluster: {
                        server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                        "certificate-authority-data": "LS0tLS1CRUdJTiBDRVJU",
                    },
                },
            ],
            users: [
                {
                    name: "eks-prod-eu",
                    user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", ...exec } },
                },
            ],
        });
    }

    it("turns an `aws eks get-token` exec into Argo CD's awsAuthConfig, with its role and profile", () => {
        const config = eksKubeconfig({
            command: "aws",
            args: [
                "--region",
                "eu-west-1",
                "eks",
                "get-token",
                "--cluster-name",
                "prod-eu",
                "--output",
                "json",
                "--role-arn",
                "arn:aws:iam::123456789012:role/argocd-deployer",
            ],
            env: [{ name: "AWS_PROFILE", value: "platform" }],
        });
        assert.deepEqual(kubeconfigCredentials(config, "prod-eu"), {
            awsAuth: {
                clusterName: "prod-eu",
                roleARN: "arn:aws:iam::123456789012:role/argocd-deployer",
                profile: "platform",
            },
            caData: "LS0tLS1CRUdJTiBDRVJU",
        });
    });

    it("turns an aws-iam-authenticator exec into awsAuthConfig too", () => {
        const config = eksKubeconfig({
            command: "/usr/local/bin/aws-iam-authenticator",
            args: ["token", "-i", "prod-eu", "-r", "arn:aws:iam::123456789012:role/r"],
        });
        assert.deepEqual(kubeconfigCredentials(config, "prod-eu"), {
            awsAuth: { clusterName: "prod-eu", roleARN: "arn:aws:iam::123456789012:role/r" },
            caData: "LS0tLS1CRUdJTiBDRVJU",
        });
    });

    it("refuses another exec plugin, naming it and what to give instead, never the credentials", () => {
        const gke = eksKubeconfig({
            command: "gke-gcloud-auth-plugin",
            args: ["--use_application_default_credentials"],
        });
        assert.throws(
            () => kubeconfigCredentials(gke, "prod-eu"),
            /cluster prod-eu: expected a bearer token or an EKS exec \(aws eks get-token, aws-iam-authenticator\), got a user that runs "gke-gcloud-auth-plugin", which Argo CD cannot run; give a kubeconfig whose current context has a bearer token .*connection\.eks$/,
        );
    });

    it("builds awsAuthConfig into the cluster Secret's config, TLS verified", () => {
        assert.deepEqual(
            JSON.parse(
                clusterSecretConfig({ awsAuth: { clusterName: "prod-eu", roleARN: "arn:r" }, caData: "c" }),
            ),
            {
                awsAuthConfig: { clusterName: "prod-eu", roleARN: "arn:r" },
                tlsClientConfig: { insecure: false, caData: "c" },
            },
        );
    });

    it("derives placeholders from a placeholder, so the offline render keeps the shape", () => {
        assert.deepEqual(kubeconfigCredentials("«secret:euKubeconfig»", "prod-eu"), {
            bearerToken: "«secret:euKubeconfig».token",
            caData: "«secret:euKubeconfig».caData",
        });
    });

    it("builds the config Argo CD reads, with TLS verification on", () => {
        assert.deepEqual(JSON.parse(clusterSecretConfig({ bearerToken: "t", caData: "c" })), {
            bearerToken: "t",
            tlsClientConfig: { insecure: false, caData: "c" },
        });
    });
});

describe("clusterKubeconfig (the platform's own provider for a workload cluster)", () => {
    const server = "https://prod-eu.example.com";

    it("uses a bearer token as it is", () => {
        const config = parse(
            clusterKubeconfig({ name: "prod-eu", server, credentials: { bearerToken: "t", caData: "c" } }),
        );
        assert.deepEqual(config.users, [{ name: "prod-eu", user: { token: "t" } }]);
        assert.equal(config.clusters[0].cluster["certificate-authority-data"], "c");
    });

    it("turns awsAuthConfig into the exec user aws eks update-kubeconfig writes, and back", () => {
        const credentials = {
            awsAuth: {
                clusterName: "prod-eu",
                roleARN: "arn:aws:iam::123456789012:role/platform",
                profile: "ops",
            },
            caData: "c",
        };
        const kubeconfig = clusterKubeconfig({ name: "prod-eu", server, credentials });
        assert.deepEqual(parse(kubeconfig).users[0].user.exec, {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
                "eks",
                "get-token",
                "--cluster-name",
                "prod-eu",
                "--role-arn",
                "arn:aws:iam::123456789012:role/platform",
            ],
            env: [{ name: "AWS_PROFILE", value: "ops" }],
        });
        // The same rules read it back: what Argo CD is given and what Pulumi uses name one identity.
        assert.deepEqual(kubeconfigCredentials(kubeconfig, "prod-eu"), credentials);
    });
});

describe("WorkloadCluster", () => {
    it("registers a labelled cluster Secret whose data is secret", async () => {
        const recorder = await record(() => {
            new WorkloadCluster("prod-eu", {
                argoCd: { namespace: "argocd" },
                server: "https://eu.k8s.example.com",
                labels: { environment: "prod", "enable_cert-manager": "true" },
                annotations: { "gitops-platform/domain": "eu.example.com" },
                credentials: { bearerToken: "«secret:t»", caData: "Q0E=" },
            });
        });
        const secret = recorder.find("kubernetes:core/v1:Secret", "prod-eu-cluster");
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        const metadata = secret.inputs.metadata as { name: string; labels: Record<string, string> };
        assert.equal(metadata.name, "cluster-prod-eu");
        assert.equal(metadata.labels["argocd.argoproj.io/secret-type"], "cluster");
        assert.equal(metadata.labels["enable_cert-manager"], "true");
        const data = secret.inputs.stringData as { name: string; server: string; config: string };
        assert.equal(data.server, "https://eu.k8s.example.com");
        assert.equal(JSON.parse(data.config).bearerToken, "«secret:t»");
        assert.deepEqual(await validateObject(secret.inputs), []);
    });
});

// Argo CD applies an ApplicationSet's templatePatch as a typed strategic merge on Application
// (argoproj/argo-cd applicationset/utils/templatePatch.go, ApplyPatchTemplate), in which helm.valuesObject is
// a RawExtension whose contents cannot be merged (k8s.io/apimachinery pkg/util/strategicpatch/patch.go).
describe("applyTemplatePatch (argo-cd applicationset/utils/templatePatch.go: typed strategic merge)", () => {
    const app = (valuesObject?: Record<string, unknown>) => ({
        metadata: { name: "external-dns-prod-eu", finalizers: ["a"] },
        spec: {
            project: "platform",
            source: {
                chart: "external-dns",
                helm: { releaseName: "external-dns", ...(valuesObject ? { valuesObject } : {}) },
            },
            syncPolicy: { syncOptions: ["CreateNamespace=true"] },
        },
    });
    const valuesPatch = (valuesObject: Record<string, unknown>) => ({
        spec: { source: { helm: { valuesObject } } },
    });

    it("fails like Argo CD when template and patch both hold a list inside valuesObject (a RawExtension)", () => {
        assert.throws(
            () =>
                applyTemplatePatch(
                    app({ domainFilters: ["example.com"] }),
                    valuesPatch({ domainFilters: ["eu.example.com"] }),
                ),
            /unable to find api field in struct RawExtension for the json field "domainFilters"/,
        );
    });

    it("fails the same way for a map on both sides, but replaces scalars and adds new keys", () => {
        assert.throws(
            () => applyTemplatePatch(app({ controller: { a: 1 } }), valuesPatch({ controller: { b: 2 } })),
            /json field "controller"/,
        );
        const patched = applyTemplatePatch(
            app({ policy: "sync" }),
            valuesPatch({ policy: "upsert-only", x: [1] }),
        );
        assert.deepEqual((patched.spec as { source: { helm: unknown } }).source.helm, {
            releaseName: "external-dns",
            valuesObject: { policy: "upsert-only", x: [1] },
        });
    });

    it("merges typed maps, replaces typed lists, unions finalizers, and takes a field only the patch has whole", () => {
        const patched = applyTemplatePatch(app(), {
            metadata: { finalizers: ["b"] },
            spec: {
                syncPolicy: { syncOptions: ["PruneLast=true"] },
                source: { helm: { valuesObject: { domainFilters: ["eu.example.com"], a: { b: 1 } } } },
            },
        }) as { metadata: { finalizers: string[] }; spec: Record<string, Record<string, unknown>> };
        assert.deepEqual(patched.metadata.finalizers, ["a", "b"]);
        assert.deepEqual(patched.spec.syncPolicy.syncOptions, ["PruneLast=true"]);
        assert.equal(patched.spec.project, "platform");
        assert.deepEqual(patched.spec.source.helm, {
            releaseName: "external-dns",
            valuesObject: { domainFilters: ["eu.example.com"], a: { b: 1 } },
        });
        assert.deepEqual(rawExtensionFieldsSet(patched), ["spec.source.helm.valuesObject"]);
    });
});

describe("add-on fan-out: per-cluster values through the templatePatch", () => {
    const externalDns = {
        name: "external-dns",
        syncWave: 30,
        project: "platform",
        source: {
            repoURL: "https://kubernetes-sigs.github.io/external-dns",
            chart: "external-dns",
            targetRevision: "1.12.2",
            helmReleaseName: "external-dns",
            helmValues: {
                provider: "aws",
                domainFilters: ["example.com"],
                txtOwnerId: "hub",
                serviceMonitor: { enabled: true },
            },
        },
        destination: { namespace: "external-dns" },
        sync: testSync,
    };
    const cluster = (values?: Record<string, Record<string, unknown>>): SpokeCluster => ({
        name: "prod-eu",
        server: "https://eu.k8s.example.com",
        addons: ["external-dns"],
        ...(values ? { values } : {}),
        credentials: { bearerToken: "t", caData: "c" },
    });
    /** The Application Argo CD generates for a cluster: the template, patched as Argo CD patches it. */
    function generated(annotations: Record<string, string>): {
        spec: { source: { helm: Record<string, unknown> } };
    } {
        const template = (addonFanOutObject(externalDns).spec as { template: Record<string, unknown> })
            .template;
        return applyTemplatePatch(template, renderedValuesPatch("external-dns", annotations)) as never;
    }

    it("the template carries no valuesObject, so Argo CD's merge never has to merge inside it", () => {
        const spec = addonFanOutObject(externalDns).spec as { template: Record<string, unknown> };
        assert.deepEqual(rawExtensionFieldsSet(spec.template), []);
        assert.deepEqual((spec.template.spec as { source: { helm: unknown } }).source.helm, {
            releaseName: "external-dns",
        });
    });

    it("a cluster's list values reach its Application merged over the hub's, where a patch of overrides alone failed", () => {
        const overrides = { "external-dns": { domainFilters: ["eu.example.com"], txtOwnerId: "prod-eu" } };
        const { annotations } = spokeMetadata(cluster(overrides), "prod", [externalDns]);
        assert.deepEqual(generated(annotations).spec.source.helm.valuesObject, {
            provider: "aws",
            domainFilters: ["eu.example.com"],
            txtOwnerId: "prod-eu",
            serviceMonitor: { enabled: true },
        });
        // What the fan-out did before: the hub's values in the template and the overrides in the patch.
        const before = addonFanOutObject(externalDns).spec as { template: Record<string, unknown> };
        const withValues = applyTemplatePatch(before.template, {
            spec: { source: { helm: { valuesObject: externalDns.source.helmValues } } },
        });
        assert.throws(
            () =>
                applyTemplatePatch(withValues, {
                    spec: { source: { helm: { valuesObject: overrides["external-dns"] } } },
                }),
            /RawExtension for the json field "domainFilters"/,
        );
    });

    it("a cluster without overrides still gets the hub's whole values", () => {
        const { annotations } = spokeMetadata(cluster(), "prod", [externalDns]);
        assert.deepEqual(
            JSON.parse(annotations[addonValuesAnnotation("external-dns")]),
            externalDns.source.helmValues,
        );
        assert.deepEqual(generated(annotations).spec.source.helm.valuesObject, externalDns.source.helmValues);
    });

    it("refuses values that would not fit in the cluster Secret's annotations (apimachinery TotalAnnotationSizeLimitB)", () => {
        const big = { "external-dns": { blob: "x".repeat(totalAnnotationSizeLimit) } };
        assert.throws(
            () => spokeMetadata(cluster(big), "prod", [externalDns]),
            /more than the API server's limit/,
        );
    });

    it("merges cluster values like Helm merges values files: maps by key, lists replaced", () => {
        assert.deepEqual(
            addonClusterValues(externalDns, { serviceMonitor: { interval: "1m" }, domainFilters: [] }),
            {
                provider: "aws",
                domainFilters: [],
                txtOwnerId: "hub",
                serviceMonitor: { enabled: true, interval: "1m" },
            },
        );
    });
});
