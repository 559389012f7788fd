import { strict as assert } from "node:assert";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { AppRepository, AppSeed, Application, WorkloadCluster } from "../../plugin/index";
import { record, valueOf } from "../harness";

const pluginDir = path.resolve(__dirname, "../../plugin");

interface SchemaProperty {
    type?: string;
    plain?: boolean;
    optional?: boolean;
    secret?: boolean;
    description?: string;
}

interface SchemaResource {
    isComponent?: boolean;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
    required: string[];
}

interface Schema {
    name: string;
    resources: Record<string, SchemaResource>;
}

/** A provider as `plugin/provider.ts` hosts it. */
function newProvider(): ComponentProvider {
    return new ComponentProvider({
        components: [Application, AppRepository, AppSeed, WorkloadCluster],
        name: "gitops-platform",
        dirname: pluginDir,
    });
}

describe("plugin: component package schema", function () {
    // The analyzer type-checks the plugin and the library it imports.
    this.timeout(60_000);
    let schema: Schema;

    before(async () => {
        schema = JSON.parse(await newProvider().getSchema()) as Schema;
    });

    it("exposes exactly the four wrappers, as components under gitops-platform:index", () => {
        assert.equal(schema.name, "gitops-platform");
        assert.deepEqual(Object.keys(schema.resources).sort(), [
            "gitops-platform:index:AppRepository",
            "gitops-platform:index:AppSeed",
            "gitops-platform:index:Application",
            "gitops-platform:index:WorkloadCluster",
        ]);
        for (const [token, resource] of Object.entries(schema.resources)) {
            assert.equal(resource.isComponent, true, token);
        }
    });

    it("requires exactly the inputs without a default", () => {
        const required = (name: string) =>
            [...schema.resources[`gitops-platform:index:${name}`].requiredInputs].sort();
        assert.deepEqual(required("Application"), [
            "argocdNamespace",
            "namespace",
            "path",
            "project",
            "repoUrl",
            "targetRevision",
        ]);
        assert.deepEqual(required("AppRepository"), [
            "app",
            "gitopsRepository",
            "owner",
            "pipelineWorkflow",
            "registryKind",
            "team",
        ]);
        assert.deepEqual(required("AppSeed"), ["app", "gitopsRepository", "namespace", "team"]);
        assert.deepEqual(required("WorkloadCluster"), ["argocdNamespace", "bearerToken", "caData", "server"]);
    });

    it("types the inputs, and documents each one's default", () => {
        const app = schema.resources["gitops-platform:index:Application"].inputProperties;
        assert.equal(app.automated.type, "boolean");
        assert.equal(app.retryLimit.type, "number");
        assert.equal(app.retryBackoffFactor.type, "number");
        assert.equal(app.retryBackoffDuration.type, "string");
        const cluster = schema.resources["gitops-platform:index:WorkloadCluster"].inputProperties;
        assert.equal(cluster.labels.type, "object");
        for (const [token, resource] of Object.entries(schema.resources)) {
            for (const [name, input] of Object.entries(resource.inputProperties)) {
                assert.ok(input.description, `${token}.${name} has no description`);
                if (input.optional) assert.match(input.description, /Default: /, `${token}.${name}`);
            }
        }
    });

    it("declares the outputs", () => {
        const outputs = (name: string) =>
            [...schema.resources[`gitops-platform:index:${name}`].required].sort();
        assert.deepEqual(outputs("Application"), ["applicationName"]);
        assert.deepEqual(outputs("AppRepository"), ["fullName", "repositoryName"]);
        assert.deepEqual(outputs("AppSeed"), []);
        assert.deepEqual(outputs("WorkloadCluster"), ["clusterName", "server"]);
    });

    it("does not mark bearerToken secret (the analyzer has no secret annotation; the README says so)", () => {
        // Pulumi 3.276's analyzer never emits `secret`. The wrapper keeps the token secret at runtime (see
        // the construct test below); when this starts failing, the analyzer learned it: update the README.
        const token = schema.resources["gitops-platform:index:WorkloadCluster"].inputProperties.bearerToken;
        assert.equal(token.type, "string");
        assert.notEqual(token.secret, true);
    });
});

describe("plugin: construct", function () {
    this.timeout(60_000);
    let provider: ComponentProvider;

    before(async () => {
        provider = newProvider();
        // construct() reads the component definitions from the schema: analyze once, outside the mocks.
        await provider.getSchema();
    });

    it("Application registers an Argo CD Application with the given project, source and sync defaults", async () => {
        let result: Promise<pulumi.provider.ConstructResult> | undefined;
        const recorder = await record(() => {
            result = provider.construct(
                "checkout",
                "gitops-platform:index:Application",
                {
                    argocdNamespace: "argocd",
                    project: "payments",
                    repoUrl: "https://github.com/acme/gitops.git",
                    targetRevision: "main",
                    path: "apps/checkout/overlays/dev",
                    namespace: "checkout",
                    selfHeal: false,
                },
                {},
            );
        });
        const app = recorder.resources.find((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application");
        assert.ok(app, "no Application registered");
        assert.equal(app.parent, "gitops:applications:GitOpsApplication::checkout");
        const library = recorder.resources.find((r) => r.type === "gitops:applications:GitOpsApplication");
        assert.equal(library?.parent, "gitops-platform:index:Application::checkout");
        assert.deepEqual((app.inputs.metadata as { namespace: string }).namespace, "argocd");
        const spec = app.inputs.spec as Record<string, unknown>;
        assert.equal(spec.project, "payments");
        assert.deepEqual(spec.source, {
            repoURL: "https://github.com/acme/gitops.git",
            targetRevision: "main",
            path: "apps/checkout/overlays/dev",
        });
        assert.deepEqual(spec.destination, {
            server: "https://kubernetes.default.svc",
            namespace: "checkout",
        });
        assert.deepEqual((spec.syncPolicy as Record<string, unknown>).automated, {
            prune: true,
            selfHeal: false,
        });
        assert.deepEqual((spec.syncPolicy as Record<string, unknown>).retry, {
            limit: 5,
            backoff: { duration: "5s", factor: 2, maxDuration: "3m" },
        });
        const state = (await result!).state as Record<string, pulumi.Output<string>>;
        assert.deepEqual(Object.keys(state), ["applicationName"]);
        assert.equal(await valueOf(state.applicationName), "checkout");
    });

    it("WorkloadCluster registers a labelled cluster Secret whose stringData is secret", async () => {
        let result: Promise<pulumi.provider.ConstructResult> | undefined;
        const recorder = await record(() => {
            result = provider.construct(
                "prod-eu",
                "gitops-platform:index:WorkloadCluster",
                {
                    argocdNamespace: "argocd",
                    server: "https://eu.k8s.example.com",
                    labels: { environment: "prod" },
                    bearerToken: "«secret:token»",
                    caData: "Q0E=",
                },
                {},
            );
        });
        const secret = recorder.resources.find((r) => r.type === "kubernetes:core/v1:Secret");
        assert.ok(secret, "no Secret registered");
        assert.equal(secret.parent, "gitops:clusters:WorkloadCluster::prod-eu");
        assert.ok(
            secret.secretInputs.includes("stringData"),
            `secret inputs: ${secret.secretInputs.join(", ")}`,
        );
        const metadata = secret.inputs.metadata as { name: string; namespace: string; labels: object };
        assert.equal(metadata.name, "cluster-prod-eu");
        assert.equal(metadata.namespace, "argocd");
        assert.deepEqual(metadata.labels, {
            environment: "prod",
            "argocd.argoproj.io/secret-type": "cluster",
        });
        const stringData = secret.inputs.stringData as { name: string; server: string; config: string };
        assert.equal(stringData.server, "https://eu.k8s.example.com");
        assert.deepEqual(JSON.parse(stringData.config), {
            bearerToken: "«secret:token»",
            tlsClientConfig: { insecure: false, caData: "Q0E=" },
        });
        const state = (await result!).state as Record<string, pulumi.Output<string>>;
        assert.equal(await valueOf(state.clusterName), "prod-eu");
        assert.equal(await valueOf(state.server), "https://eu.k8s.example.com");
    });

    it("refuses a type token outside the package", async () => {
        await assert.rejects(
            provider.construct("x", "gitops:applications:GitOpsApplication", {}, {}),
            /Invalid package name gitops/,
        );
    });
});
