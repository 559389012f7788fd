import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { ConfigError } from "../../stacks/errors";
import { runPlatform, validateObject, type ProgramRun, type Recorder } from "../harness";
import { baseConfig, render, writeConfigFile } from "../render/cli";
import { minimalConfig, rootChildren, stackConfig } from "./fixtures";

/** Runs the program with a config that must be refused; returns the problems and how much got registered. */
async function rejected(
    config: Record<string, unknown>,
    stack = "dev",
): Promise<{ problems: string[]; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform(stack, config, { onMocks: (r) => (recorder = r) });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

function withApp(app: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        ...minimalConfig(),
        "gitops-platform:apps": [{ name: "checkout", team: "payments", ...app }],
        ...extra,
    };
}

/** The objects of an app's platform Component for the stack's environment, from a recorded run. */
function componentObjects(run: ProgramRun, app: string, environment: string): Record<string, unknown>[] {
    const file = run.resources.find(
        (r) =>
            r.type === "github:index/repositoryFile:RepositoryFile" &&
            r.inputs.file === `apps/${app}/platform/${environment}/manifests.yaml`,
    );
    assert.ok(file, `no platform Component of ${app} in ${environment}`);
    return parseAllDocuments(String(file.inputs.content)).map((d) => d.toJS() as Record<string, unknown>);
}

function kind(
    objects: Record<string, unknown>[],
    name: string,
): Record<string, unknown> & { spec: Record<string, unknown> } {
    const found = objects.find((o) => o.kind === name);
    assert.ok(found, `no ${name}`);
    return found as Record<string, unknown> & { spec: Record<string, unknown> };
}

const bad: {
    title: string;
    app?: Record<string, unknown>;
    extra?: Record<string, unknown>;
    stack?: string;
    expect: RegExp;
}[] = [
    {
        title: "replicas together with hpa",
        app: { replicas: 2, hpa: { minReplicas: 2, maxReplicas: 3 } },
        expect: /^apps\[0\]\.hpa: expected replicas or hpa, not both, got both$/,
    },
    {
        title: "an hpa maximum below its minimum",
        app: { hpa: { minReplicas: 4, maxReplicas: 2 } },
        expect: /^apps\[0\]\.hpa\.maxReplicas: expected at least hpa\.minReplicas \(4\), got 2$/,
    },
    {
        title: "zero replicas",
        app: { replicas: 0 },
        expect: /^apps\[0\]\.replicas: expected a number at least 1, got number 0$/,
    },
    {
        title: "a resource that is no quantity",
        app: { resources: { requests: { cpu: "a lot" } } },
        expect: /^apps\[0\]\.resources\.requests\.cpu: expected a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi, got "a lot"$/,
    },
    {
        title: "a limit below the request",
        app: { resources: { requests: { memory: "1Gi" }, limits: { memory: "128Mi" } } },
        expect: /^apps\[0\]\.resources\.limits\.memory: expected at least the memory request \(1Gi\), got "128Mi"$/,
    },
    {
        title: "a budget that blocks drains",
        app: { replicas: 2, pdb: { minAvailable: 2 } },
        expect: /^apps\[0\]\.pdb\.minAvailable: expected a budget that lets at least one of the app's 2 replicas be evicted/,
    },
    {
        title: "a percentage above 100",
        app: { pdb: { maxUnavailable: "150%" } },
        expect: /^apps\[0\]\.pdb\.maxUnavailable: expected an integer or a percentage from "0%" to "100%", got "150%"$/,
    },
    {
        title: "an unknown spread rule",
        app: { topologySpread: { whenUnsatisfiable: "Sometimes" } },
        expect: /^apps\[0\]\.topologySpread\.whenUnsatisfiable: expected one of "ScheduleAnyway" \| "DoNotSchedule", got "Sometimes"$/,
    },
    {
        title: "an IAM role that is no ARN",
        app: { serviceAccount: { awsRoleArn: "checkout-role" } },
        expect: /^apps\[0\]\.serviceAccount\.awsRoleArn: expected an IAM role ARN/,
    },
    {
        title: "a Google service account that is no email",
        app: { serviceAccount: { gcpServiceAccount: "checkout" } },
        expect: /^apps\[0\]\.serviceAccount\.gcpServiceAccount: expected a Google service account/,
    },
    {
        title: "an env name with a dash",
        app: { env: { "LOG-LEVEL": "info" } },
        expect: /^apps\[0\]\.env\.LOG-LEVEL: expected an environment variable name/,
    },
    { title: "PORT in env", app: { env: { PORT: "9" } }, expect: /^apps\[0\]\.env\.PORT: expected no PORT/ },
    {
        title: "a config file name with a slash",
        app: { config: { "conf/app.yaml": "" } },
        expect: /^apps\[0\]\.config\["conf\/app\.yaml"\]: expected a file name|^apps\[0\]\.config\.conf\/app\.yaml: expected a file name/,
    },
    {
        title: "secrets without a ClusterSecretStore",
        app: { secrets: { DB: { key: "db" } } },
        expect: /^apps\[0\]\.secrets: expected the platform's ClusterSecretStore \(secretStore\) to be configured, got none$/,
    },
    {
        title: "a host that is no hostname",
        app: { host: "https://checkout" },
        expect: /^apps\[0\]\.host: expected a fully qualified hostname/,
    },
    {
        title: "a host without a certificate issuer",
        app: { host: "checkout.example.com" },
        expect: /^apps\[0\]\.host: expected a certificate issuer for the Ingress's TLS/,
    },
    {
        title: "a metrics path without a slash",
        app: { metrics: { path: "metrics" } },
        expect: /^apps\[0\]\.metrics\.path: expected a URL path/,
    },
    {
        title: "a canary without an Ingress or the app's metrics",
        app: { canary: {} },
        expect: /^apps\[0\]\.metrics: expected the app's metrics endpoint \(its canary analysis reads the app's own http_requests_total\{code\}/,
    },
    {
        title: "a canary measuring an Ingress it does not have",
        app: { canary: { analysis: { source: "ingress" } }, metrics: {} },
        expect: /^apps\[0\]\.canary\.analysis\.source: expected app or istio \(the app has no host, so no Ingress\), got "ingress"$/,
    },
    {
        title: "an unknown no-data outcome",
        app: { canary: { analysis: { noData: "ignore" } }, metrics: {} },
        expect: /^apps\[0\]\.canary\.analysis\.noData: expected one of "fail" \| "pass" \| "inconclusive", got "ignore"$/,
    },
    {
        title: "an autoscaler without metrics-server",
        app: { hpa: { minReplicas: 2, maxReplicas: 3 } },
        extra: { "gitops-platform:addons": { "metrics-server": { enabled: false } } },
        expect: /^apps\[0\]\.hpa: expected metrics-server where the apps run/,
    },
    {
        title: "appDefaults with replicas and hpa",
        extra: { "gitops-platform:appDefaults": { replicas: 2, hpa: { minReplicas: 2, maxReplicas: 3 } } },
        expect: /^appDefaults\.hpa: expected replicas or hpa, not both, got both$/,
    },
    {
        title: "a default budget the app's own replicas cannot meet",
        app: { replicas: 1 },
        extra: { "gitops-platform:appDefaults": { replicas: 3, pdb: { enabled: true, minAvailable: 2 } } },
        expect: /^apps\[0\]\.pdb\.minAvailable: expected a budget that lets at least one of the app's 1 replica be evicted .*, got 2 \(from appDefaults\.pdb\.minAvailable\)$/,
    },
    {
        title: "a ClusterSecretStore with two providers",
        extra: { "gitops-platform:secretStore": { name: "s", provider: { aws: {}, vault: {} } } },
        expect: /^secretStore\.provider: expected exactly one provider \(e\.g\. aws, gcpsm, azurekv, vault\), got "aws", "vault"$/,
    },
];

describe("app settings config: bad values are refused, naming the key, before anything registers", () => {
    for (const { title, app, extra, stack, expect } of bad) {
        it(`refuses ${title}`, async () => {
            const { problems, registered } = await rejected(withApp(app ?? {}, extra), stack);
            assert.ok(
                problems.some((p) => expect.test(p)),
                problems.join("\n"),
            );
            assert.equal(registered, 0);
        });
    }

    it("refuses bad appDefaults even without apps", async () => {
        const config = {
            ...minimalConfig(),
            "gitops-platform:apps": [],
            "gitops-platform:appDefaults": { hpa: { minReplicas: 3, maxReplicas: 1 } },
        };
        const { problems } = await rejected(config);
        assert.ok(
            problems.some((p) =>
                /^appDefaults\.hpa\.maxReplicas: expected at least hpa\.minReplicas \(3\), got 1$/.test(p),
            ),
            problems.join("\n"),
        );
    });

    it("exits 2 from the render, naming each key, without a stack trace", function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apps-bad-"));
        const file = writeConfigFile(path.join(dir, "bad.yaml"), {
            ...baseConfig,
            "gitops-platform:teams": [{ name: "payments", group: "acme:payments" }],
            "gitops-platform:apps": [
                { name: "checkout", team: "payments", replicas: 2, hpa: { minReplicas: 2, maxReplicas: 4 } },
                { name: "ledger", team: "payments", resources: { limits: { cpu: "lots" } } },
            ],
        });
        const result = render(["--stack", "dev", "--config-file", file, "--out", dir]);
        fs.rmSync(dir, { recursive: true, force: true });
        assert.equal(result.status, 2, result.stdout);
        assert.match(result.stderr, /apps\[0\]\.hpa: expected replicas or hpa, not both, got both/);
        assert.match(result.stderr, /apps\[1\]\.resources\.limits\.cpu: expected a Kubernetes quantity/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
});

describe("app settings in the stacks: each environment's defaults, each setting rendered and schema-valid", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await runPlatform("dev", stackConfig("dev"));
        prod = await runPlatform("prod", stackConfig("prod"));
    });

    it("every object of every platform Component validates against its upstream schema", async () => {
        for (const [run, env] of [
            [dev, "dev"],
            [prod, "prod"],
        ] as const) {
            for (const app of ["checkout", "ledger", "web"]) {
                for (const object of componentObjects(run, app, env))
                    assert.deepEqual(
                        await validateObject(object),
                        [],
                        `${env} ${app} ${String(object.kind)}`,
                    );
            }
        }
    });

    it("dev runs one replica without a budget; prod three with a budget and zone spread", () => {
        const devWeb = componentObjects(dev, "web", "dev");
        assert.equal(kind(devWeb, "Deployment").spec.replicas, 1);
        assert.ok(!devWeb.some((o) => o.kind === "PodDisruptionBudget"));
        const prodWeb = componentObjects(prod, "web", "prod");
        assert.equal(kind(prodWeb, "Deployment").spec.replicas, 3);
        assert.deepEqual(kind(prodWeb, "PodDisruptionBudget").spec.maxUnavailable, 1);
        const pod = (
            kind(prodWeb, "Deployment").spec.template as { spec: { topologySpreadConstraints: unknown[] } }
        ).spec;
        assert.equal(pod.topologySpreadConstraints.length, 1);
    });

    it("an app's hpa, identity, secrets, host, metrics and config reach its objects", () => {
        const ledger = componentObjects(prod, "ledger", "prod");
        assert.equal(
            (kind(ledger, "HorizontalPodAutoscaler").spec as { minReplicas: number }).minReplicas,
            3,
        );
        assert.equal("replicas" in kind(ledger, "Deployment").spec, false);
        assert.equal(
            (kind(ledger, "ServiceAccount").metadata as { annotations: Record<string, string> }).annotations[
                "eks.amazonaws.com/role-arn"
            ],
            "arn:aws:iam::123456789012:role/ledger-prod",
        );
        assert.equal(kind(ledger, "ExternalSecret").apiVersion, "external-secrets.io/v1beta1");
        const checkout = componentObjects(prod, "checkout", "prod");
        assert.ok(checkout.some((o) => o.kind === "Ingress"));
        assert.ok(checkout.some((o) => o.kind === "ServiceMonitor"));
        const analysis = kind(checkout, "AnalysisTemplate").spec as {
            metrics: { provider: { prometheus: { query: string } }; successCondition: string }[];
        };
        assert.match(
            analysis.metrics[0].provider.prometheus.query,
            /nginx_ingress_controller_requests/,
            "with an Ingress, ingress metrics",
        );
        assert.match(analysis.metrics[0].successCondition, /^len\(result\) > 0 && /, "prod fails closed");
        const devAnalysis = kind(componentObjects(dev, "checkout", "dev"), "AnalysisTemplate").spec as {
            metrics: { successCondition: string }[];
        };
        assert.match(
            devAnalysis.metrics[0].successCondition,
            /^all\(result, \{isNaN\(#\) \|\| /,
            "dev lets no data pass",
        );
        assert.ok(componentObjects(prod, "web", "prod").some((o) => o.kind === "ConfigMap"));
    });

    it("declares the ClusterSecretStore through the external-secrets add-on, on the hub and every spoke", () => {
        const values = rootChildren(prod)["external-secrets"].source.helm!.valuesObject as {
            extraObjects: string[];
        };
        assert.equal(values.extraObjects.length, 1);
        assert.match(values.extraObjects[0], /kind: ClusterSecretStore/);
        assert.match(values.extraObjects[0], /name: aws-secrets-manager/);
        assert.match(values.extraObjects[0], /argocd\.argoproj\.io\/sync-wave: "1"/);
        for (const cluster of ["prod-eu", "prod-us"]) {
            const secret = prod.resources.find(
                (r) => (r.inputs.stringData as { name?: string } | undefined)?.name === cluster,
            )!;
            const annotation = (secret.inputs.metadata as { annotations: Record<string, string> })
                .annotations["gitops-platform/values.external-secrets"];
            assert.match(annotation, /ClusterSecretStore/, cluster);
        }
    });

    it("every stack keeps only its own environment's platform Components, enforced", () => {
        const paths = (run: ProgramRun) =>
            run.resources
                .filter(
                    (r) =>
                        r.type === "github:index/repositoryFile:RepositoryFile" &&
                        /\/platform\//.test(String(r.inputs.file)),
                )
                .map((r) => [String(r.inputs.file), r.opts.ignoreChanges.length] as const);
        for (const [file, ignored] of paths(dev)) {
            assert.match(file, /^apps\/[a-z]+\/platform\/dev\//);
            assert.equal(ignored, 0, `${file} is enforced, not seeded`);
        }
        assert.ok(paths(prod).every(([file]) => /\/platform\/prod\//.test(String(file))));
        assert.equal(paths(prod).length, 6);
    });
});
