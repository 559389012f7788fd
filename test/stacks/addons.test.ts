import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { addonCatalog, applicationHealthKey, ownsCrd } from "../../components/addons";
import { argoApiVersion } from "../../components/applications/customResource";
import { helmChartRows, summaryTable } from "../../scripts/render/summary";
import { ConfigError } from "../../stacks/errors";
import {
    runPlatform,
    validateObject,
    type ProgramRun,
    type RecordedResource,
    type Recorder,
} from "../harness";
import { rootChildren, stackConfig, type ChildValues } from "./fixtures";

const stacks = ["dev", "staging", "prod"] as const;

/** The child Applications the root renders, as full objects (what the argocd-apps chart templates). */
function childObjects(run: ProgramRun): Record<string, unknown>[] {
    return Object.entries(rootChildren(run)).map(([name, child]) => ({
        apiVersion: argoApiVersion,
        kind: "Application",
        metadata: {
            name,
            namespace: child.namespace,
            labels: child.additionalLabels,
            annotations: child.additionalAnnotations,
            finalizers: child.finalizers,
        },
        spec: {
            project: child.project,
            source: child.source,
            destination: child.destination,
            syncPolicy: child.syncPolicy,
        },
    }));
}

function addonChildren(run: ProgramRun): [string, ChildValues][] {
    return Object.entries(rootChildren(run)).filter(([, child]) => child.source.chart !== undefined);
}

function argoCdValues(run: ProgramRun): Record<string, Record<string, Record<string, unknown>>> {
    const release = run.resources.find(
        (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argo-cd",
    );
    assert.ok(release);
    return release.inputs.values as Record<string, Record<string, Record<string, unknown>>>;
}

function named(run: ProgramRun, kind: string, name: string): RecordedResource {
    const found = run.resources.find(
        (r) => r.inputs.kind === kind && (r.inputs.metadata as { name: string }).name === name,
    );
    assert.ok(found, `no ${kind} ${name}`);
    return found;
}

describe("add-ons, notifications and monitoring in the stacks", () => {
    const runs = new Map<string, ProgramRun>();
    before(async () => {
        for (const stack of stacks) runs.set(stack, await runPlatform(stack, stackConfig(stack)));
    });
    const run = (stack: string): ProgramRun => runs.get(stack)!;

    it("dev renders at least eight pinned add-ons in at least two sync waves, CRD owners first", () => {
        const addons = addonChildren(run("dev"));
        assert.ok(addons.length >= 8, `only ${addons.length} add-ons`);
        for (const [name, child] of addons) {
            assert.match(child.source.targetRevision, /^v?\d+\.\d+\.\d+$/, name);
        }
        const wave = (name: string) =>
            Number(rootChildren(run("dev"))[name].additionalAnnotations["argocd.argoproj.io/sync-wave"]);
        assert.ok(new Set(addons.map(([name]) => wave(name))).size >= 2);
        for (const [name] of addons) {
            const user = addonCatalog.find((a) => a.name === name)!;
            for (const owner of addonCatalog.filter(
                (o) => o !== user && (user.usesCrds ?? []).some((u) => ownsCrd(o.ownsCrds, u)),
            )) {
                if (rootChildren(run("dev"))[owner.name])
                    assert.ok(wave(name) > wave(owner.name), `${name} after ${owner.name}`);
            }
        }
    });

    for (const stack of stacks) {
        it(`${stack}: every add-on Application (and the root's other children) validates against @kubernetes-models/argo-cd`, async () => {
            for (const object of childObjects(run(stack))) assert.deepEqual(await validateObject(object), []);
        });

        it(`${stack}: the platform AppProject allows every add-on's Helm repository and namespace`, () => {
            const project = named(run(stack), "AppProject", "platform").inputs.spec as {
                sourceRepos: string[];
                destinations: { namespace: string }[];
            };
            const namespaces = project.destinations.map((d) => d.namespace);
            for (const [name, child] of addonChildren(run(stack))) {
                assert.ok(
                    project.sourceRepos.includes(child.source.repoURL),
                    `${name}: ${child.source.repoURL}`,
                );
                assert.ok(
                    namespaces.includes(child.destination.namespace),
                    `${name}: ${child.destination.namespace}`,
                );
            }
            assert.ok(namespaces.includes("kube-system"), "kube-prometheus-stack writes to kube-system");
        });

        it(`${stack}: argocd-cm makes waves wait for child Application health`, () => {
            assert.match(
                String(argoCdValues(run(stack)).configs.cm[applicationHealthKey]),
                /obj\.status\.health\.status/,
            );
        });

        it(`${stack}: Slack and email services, four triggers with templates, default subscriptions`, () => {
            const data = named(run(stack), "ConfigMap", "argocd-notifications-cm").inputs.data as Record<
                string,
                string
            >;
            assert.ok(data["service.slack"] && data["service.email"]);
            const triggers = Object.keys(data).filter((k) => k.startsWith("trigger."));
            assert.ok(triggers.length >= 4);
            for (const key of triggers) {
                const [{ send }] = parse(data[key]) as { send: string[] }[];
                assert.ok(data[`template.${send[0]}`], `${key} sends a missing template`);
            }
            const subscriptions = parse(data.subscriptions) as { recipients: string[] }[];
            assert.ok(subscriptions[0].recipients.some((r) => r.startsWith("slack:")));
            assert.ok(subscriptions[0].recipients.some((r) => r.startsWith("email:")));
            assert.equal(
                (argoCdValues(run(stack)).notifications.secret as { create: boolean }).create,
                false,
            );
        });

        it(`${stack}: the notifications Secret holds the token and SMTP credentials (prod: and its deploy-feedback App key), marked secret`, () => {
            const secret = named(run(stack), "Secret", "argocd-notifications-secret");
            assert.deepEqual(secret.secretInputs, ["stringData"]);
            assert.deepEqual(Object.keys(secret.inputs.stringData as object).sort(), [
                "email-password",
                "email-username",
                ...(stack === "prod" ? ["github-privateKey"] : []),
                "slack-token",
            ]);
        });

        it(`${stack}: secret values appear only in Secrets, and only where marked secret`, () => {
            const keys = ["slackToken", "smtpUsername", "smtpPassword"];
            if (stack === "prod") keys.push("notificationsGithubPrivateKey");
            for (const key of keys) {
                const placeholder = `«secret:${key}»`;
                const holders = run(stack).resources.filter((r) =>
                    JSON.stringify(r.inputs).includes(placeholder),
                );
                assert.deepEqual(
                    holders.map((r) => r.type),
                    ["kubernetes:core/v1:Secret"],
                    `${key} appears in ${holders.map((r) => `${r.type} ${r.name}`).join(", ")}`,
                );
                assert.ok(holders[0].secretInputs.includes("stringData"));
            }
        });

        it(`${stack}: Argo CD ServiceMonitors through the chart, and a PrometheusRule that validates`, async () => {
            const values = argoCdValues(run(stack));
            for (const component of [
                "controller",
                "server",
                "repoServer",
                "applicationSet",
                "notifications",
            ]) {
                assert.deepEqual(
                    values[component].metrics,
                    { enabled: true, serviceMonitor: { enabled: true } },
                    component,
                );
            }
            const kps = rootChildren(run(stack))["kube-prometheus-stack"].source.helm!.valuesObject;
            const rules = kps.additionalPrometheusRulesMap as Record<string, { groups: unknown[] }>;
            const rule = {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: "argocd-alerts", namespace: "monitoring" },
                spec: { groups: rules["argocd-alerts"].groups },
            };
            assert.deepEqual(await validateObject(rule), []);
            const [dashboard] = kps.extraManifests as Record<string, unknown>[];
            assert.deepEqual(await validateObject(dashboard), []);
        });
    }

    it("versions can differ per environment: dev runs a newer metrics-server than prod", () => {
        const version = (stack: string) => rootChildren(run(stack))["metrics-server"].source.targetRevision;
        assert.equal(version("dev"), "3.8.2");
        assert.equal(version("prod"), addonCatalog.find((a) => a.name === "metrics-server")!.version);
    });

    it("the render summary shows which chart version each environment runs, and how", () => {
        const rows = (stack: string) => helmChartRows(run(stack).resources);
        const row = (stack: string, name: string) => rows(stack).find((r) => r[0] === name);
        assert.deepEqual(rows("dev")[0], ["HELM CHART", "CHART", "VERSION", "INSTALLED BY", "NAMESPACE"]);
        assert.deepEqual(row("dev", "metrics-server"), [
            "metrics-server",
            "metrics-server",
            "3.8.2",
            "argocd (wave 30)",
            "kube-system",
        ]);
        assert.deepEqual(row("prod", "metrics-server")?.[2], "3.7.0");
        assert.deepEqual(row("prod", "argocd")?.slice(1, 4), ["argo-cd", "9.6.1", "pulumi (helm release)"]);
        assert.ok(rows("dev").length - 1 >= 9);
        assert.ok(
            summaryTable({
                stack: "dev",
                resources: run("dev").resources,
                warnings: [],
                written: [],
                elapsedMs: 0,
            }).includes("kube-prometheus-stack  87.11.0"),
        );
    });

    it("add-ons are enabled per environment: the image updater runs in dev only", () => {
        assert.ok(rootChildren(run("dev"))["argocd-image-updater"]);
        assert.equal(rootChildren(run("staging"))["argocd-image-updater"], undefined);
        assert.equal(rootChildren(run("prod"))["argocd-image-updater"], undefined);
    });

    it("retention differs per environment: Prometheus and Argo CD history", () => {
        const retention = (stack: string) =>
            (
                rootChildren(run(stack))["kube-prometheus-stack"].source.helm!.valuesObject.prometheus as {
                    prometheusSpec: { retention: string };
                }
            ).prometheusSpec.retention;
        assert.deepEqual(stacks.map(retention), ["3d", "7d", "30d"]);
        const history = (stack: string) =>
            (argoCdValues(run(stack)).global as Record<string, unknown>).revisionHistoryLimit;
        assert.deepEqual(stacks.map(history), [3, 5, 10]);
    });

    it("cert-manager brings the ClusterIssuer Argo CD's ingress uses", () => {
        const certManager = rootChildren(run("prod"))["cert-manager"].source.helm!.valuesObject;
        const [issuer] = (certManager.extraObjects as string[]).map(
            (text) => parse(text) as { metadata: { name: string } },
        );
        assert.equal(issuer.metadata.name, "letsencrypt");
        const annotations = (
            argoCdValues(run("prod")).server.ingress as { annotations: Record<string, string> }
        ).annotations;
        assert.equal(annotations["cert-manager.io/cluster-issuer"], "letsencrypt");
    });

    it("exports where notifications go", async () => {
        const outputs = await new Promise<{ notifications: unknown }>((resolve) =>
            run("prod").outputs.apply(resolve),
        );
        assert.deepEqual(outputs.notifications, {
            slackChannel: "gitops-prod",
            emailRecipients: ["platform-oncall@example.com"],
        });
    });
});

describe("add-on settings in a stack file", () => {
    it("a disabled add-on leaves no Application, repository, namespace or object behind", async () => {
        const config = stackConfig("dev");
        const addons = config["gitops-platform:addons"] as Record<string, unknown>;
        addons["cert-manager"] = { enabled: false };
        addons["kube-prometheus-stack"] = { enabled: false };
        // A canary's analysis queries Prometheus, so without it the apps deliver plain Deployments.
        for (const app of config["gitops-platform:apps"] as Record<string, unknown>[]) delete app.canary;
        const run = await runPlatform("dev", config);
        const children = rootChildren(run);
        assert.equal(children["cert-manager"], undefined);
        assert.equal(children["kube-prometheus-stack"], undefined);
        const everything = JSON.stringify(run.resources);
        for (const leftover of [
            "charts.jetstack.io",
            "prometheus-community",
            "ClusterIssuer",
            "PrometheusRule",
            "argocd-dashboard",
        ]) {
            assert.ok(!everything.includes(leftover), `${leftover} left behind`);
        }
        // No Prometheus, so no ServiceMonitor anywhere: not Argo CD's, not the other add-ons'.
        assert.equal(argoCdValues(run).controller.metrics, undefined);
        assert.doesNotMatch(everything, /"service[mM]onitor":\{"enabled":true/);
        const project = named(run, "AppProject", "platform").inputs.spec as {
            destinations: { namespace: string }[];
        };
        assert.ok(!project.destinations.some((d) => ["cert-manager", "monitoring"].includes(d.namespace)));
    });

    it("direct mode installs pinned Helm releases before Argo CD", async () => {
        const config = stackConfig("dev");
        (config["gitops-platform:addons"] as Record<string, unknown>).mode = "direct";
        const run = await runPlatform("dev", config);
        assert.equal(addonChildren(run).length, 0);
        const releases = run.resources.filter(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart !== "argo-cd",
        );
        assert.ok(releases.length >= 8);
        const argoCd = run.resources.find(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argo-cd",
        )!;
        for (const release of releases) {
            assert.ok(
                argoCd.opts.dependsOn.includes(`${release.type}::${release.name}`),
                `Argo CD waits for ${release.name}`,
            );
            // The explicit Kubernetes provider, inherited from the platform: never the ambient one.
            assert.equal(release.opts.provider, argoCd.opts.provider);
            assert.match(String(release.opts.provider), /^pulumi:providers:kubernetes::/);
        }
        const rule = run.resources.find((r) => r.inputs.kind === "PrometheusRule");
        assert.ok(rule && (await validateObject(rule.inputs)).length === 0);
    });
});

/** Runs the program with a bad config; returns the error's problems and how much got registered. */
async function rejectConfig(
    config: Record<string, unknown>,
    options: { fillMissingSecrets?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ problems: string[]; message: string; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform("dev", config, { ...options, onMocks: (r) => (recorder = r) });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, message: err.message, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

function withAddons(addons: Record<string, unknown>): Record<string, unknown> {
    const config = stackConfig("dev");
    Object.assign(config["gitops-platform:addons"] as Record<string, unknown>, addons);
    return config;
}

describe("bad add-on config", () => {
    const cases: { title: string; config: () => Record<string, unknown>; expect: RegExp }[] = [
        {
            title: "an unknown add-on",
            config: () => withAddons({ "nginx-ingress": { enabled: true } }),
            expect: /^addons\.nginx-ingress: expected an add-on of the catalog \(kube-prometheus-stack, cert-manager, .*\)/,
        },
        {
            title: "a version range instead of an exact version",
            config: () => withAddons({ "ingress-nginx": { version: "^4.12.0" } }),
            expect: /^addons\.ingress-nginx\.version: expected an exact version such as 1\.2\.3 \(no ranges\), got "\^4\.12\.0"/,
        },
        {
            title: "a wave that is not a number",
            config: () => withAddons({ "cert-manager": { syncWave: "early" } }),
            expect: /^addons\.cert-manager\.syncWave: expected number, got "early"/,
        },
        {
            title: "a misspelt add-on setting",
            config: () => withAddons({ "cert-manager": { enable: true } }),
            expect: /^addons\.cert-manager\.enable: expected no such key/,
        },
        {
            title: "a CRD user before the CRD owner",
            config: () => withAddons({ "argo-rollouts": { syncWave: 5 } }),
            expect: /^addons\.argo-rollouts\.syncWave: .*expected a sync wave greater than kube-prometheus-stack's \(10\), got 5/,
        },
        {
            title: "cert-manager's version without its v prefix",
            config: () => withAddons({ "cert-manager": { version: "1.18.1" } }),
            expect: /^addons\.cert-manager\.version: expected a version written like the chart repository's \(v1\.18\.1\)/,
        },
        {
            title: "external-dns without zones",
            config: () => withAddons({ dns: { provider: "aws" } }),
            expect: /^addons\.dns\.domainFilters: expected at least one domain/,
        },
        {
            title: "a canary without Argo Rollouts",
            config: () => {
                const config = withAddons({ "argo-rollouts": { enabled: false } });
                (config["gitops-platform:apps"] as Record<string, unknown>[])[0].canary = {};
                return config;
            },
            expect: /^apps\[0\]\.canary: expected the argo-rollouts add-on to be enabled/,
        },
        {
            title: "subscriptions for a project that does not exist",
            config: () => {
                const config = stackConfig("dev");
                (config["gitops-platform:notifications"] as Record<string, unknown>).projects = [
                    { project: "billing", slackChannel: "billing" },
                ];
                return config;
            },
            expect: /^notifications\.projects\[0\]\.project: expected platform or a configured team/,
        },
        {
            title: "an unknown notification trigger",
            config: () => {
                const config = stackConfig("dev");
                (config["gitops-platform:notifications"] as Record<string, unknown>).triggers = [
                    "on-sync-faild",
                ];
                return config;
            },
            expect: /^notifications\.triggers\[0\]: expected one of "on-sync-failed"/,
        },
    ];
    for (const { title, config, expect } of cases) {
        it(`${title}: a clear error with the key path, and nothing registered`, async () => {
            const { problems, registered } = await rejectConfig(config());
            assert.ok(
                problems.some((p) => expect.test(p)),
                `no problem matches ${expect}:\n${problems.join("\n")}`,
            );
            assert.equal(registered, 0);
        });
    }

    it("a real deploy without the Slack token gets the pulumi config set --secret command", async () => {
        const { problems, registered } = await rejectConfig(stackConfig("dev"), {
            fillMissingSecrets: false,
            env: { GITHUB_TOKEN: "from-env" },
        });
        assert.ok(
            problems.some(
                (p) =>
                    p.startsWith("slackToken: expected the Slack bot token") &&
                    p.includes("`pulumi config set --secret --stack dev slackToken <value>`"),
            ),
            problems.join("\n"),
        );
        assert.ok(problems.some((p) => p.startsWith("smtpPassword:")));
        assert.equal(registered, 0);
    });

    it("the render instead fills the token with a placeholder and lists it", async () => {
        const run = await runPlatform("dev", stackConfig("dev"), { env: { GITHUB_TOKEN: "from-env" } });
        assert.deepEqual(run.missingSecrets, ["slackToken", "smtpUsername", "smtpPassword"]);
    });
});
