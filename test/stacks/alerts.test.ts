import { strict as assert } from "node:assert";
import {
    alertReceiversSecretName,
    alertRoute,
    clusterAlertSummaries,
    type AlertRoute,
} from "../../components/monitoring";
import { ConfigError } from "../../stacks/errors";
import {
    chartDefaults,
    runPlatform,
    undeclaredKeys,
    type ProgramRun,
    type RecordedResource,
} from "../harness";
import { minimalConfig, rootChildren, stackConfig } from "./fixtures";

/**
 * A route matcher with Alertmanager's routing semantics (prometheus/alertmanager `dispatch/route.go`,
 * `Route.Match`): a route matches when all its matchers do; its children are tried in order, and the first
 * that matches ends the search unless it has `continue: true`; a route none of whose children match is the
 * match itself. Matchers are `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`, regexes anchored.
 * Returns the receivers the alert is sent to.
 */
function receiversFor(route: AlertRoute, labels: Record<string, string>): string[] {
    const matcher = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$/;
    const holds = (m: string): boolean => {
        const [, name, op, value] = matcher.exec(m) ?? [];
        assert.ok(name, `unparsable matcher ${m}`);
        const actual = labels[name] ?? "";
        if (op === "=") return actual === value;
        if (op === "!=") return actual !== value;
        const regex = new RegExp(`^(?:${value})$`);
        return op === "=~" ? regex.test(actual) : !regex.test(actual);
    };
    const match = (node: AlertRoute): AlertRoute[] | undefined => {
        if (!(node.matchers ?? []).every(holds)) return undefined;
        const all: AlertRoute[] = [];
        for (const child of node.routes ?? []) {
            const found = match(child);
            if (found) all.push(...found);
            if (found && !child.continue) break;
        }
        return all.length > 0 ? all : [node];
    };
    return (match(route) ?? []).map((node) => node.receiver);
}

interface AlertmanagerValues {
    config: {
        route: AlertRoute;
        receivers: {
            name: string;
            slack_configs?: Record<string, unknown>[];
            email_configs?: Record<string, unknown>[];
        }[];
    };
    alertmanagerSpec: { secrets: string[]; replicas: number };
}

function hubAlertmanager(run: ProgramRun): AlertmanagerValues {
    return rootChildren(run)["kube-prometheus-stack"].source.helm!.valuesObject
        .alertmanager as AlertmanagerValues;
}

function receiverSecrets(run: ProgramRun): RecordedResource[] {
    return run.resources.filter(
        (r) =>
            r.type === "kubernetes:core/v1:Secret" &&
            (r.inputs.metadata as { name: string }).name === alertReceiversSecretName,
    );
}

describe("alert routing (prod's rendered route tree)", () => {
    let run: ProgramRun;
    let alertmanager: AlertmanagerValues;
    before(async () => {
        run = await runPlatform("prod", stackConfig("prod"));
        alertmanager = hubAlertmanager(run);
    });

    const route = () => alertmanager.config.route;

    it("sends a critical alert of team payments to payments' channel, and by e-mail", () => {
        const labels = {
            alertname: "PodCrashLooping",
            severity: "critical",
            namespace: "payments",
            cluster: "prod-eu",
        };
        assert.deepEqual(receiversFor(route(), labels), ["critical-email", "team-payments"]);
        const payments = alertmanager.config.receivers.find((r) => r.name === "team-payments")!;
        assert.equal(payments.slack_configs?.[0].channel, "#payments-alerts");
    });

    it("routes Argo CD's alerts of a team's project, and warnings of any of its namespaces, to the team", () => {
        assert.deepEqual(
            receiversFor(route(), {
                alertname: "ArgoCdAppOutOfSync",
                severity: "warning",
                project: "payments",
                namespace: "argocd",
            }),
            ["team-payments"],
        );
        assert.deepEqual(
            receiversFor(route(), {
                alertname: "DeploymentReplicasUnavailable",
                severity: "warning",
                namespace: "storefront-jobs",
            }),
            ["team-storefront"],
        );
    });

    it("sends what no team owns to the platform's channel, critical ones by e-mail too", () => {
        assert.deepEqual(
            receiversFor(route(), { alertname: "NodeNotReady", severity: "critical", node: "n1" }),
            ["critical-email", "platform"],
        );
        assert.deepEqual(
            receiversFor(route(), {
                alertname: "CertificateExpiresSoon",
                severity: "warning",
                namespace: "ingress-nginx",
            }),
            ["platform"],
        );
        const platform = alertmanager.config.receivers.find((r) => r.name === "platform")!;
        assert.equal(platform.slack_configs?.[0].channel, "#platform-alerts");
        const email = alertmanager.config.receivers.find((r) => r.name === "critical-email")!;
        assert.deepEqual(
            email.email_configs?.map((c) => [c.to, c.smarthost]),
            [["platform-oncall@example.com", "smtp.example.com:587"]],
        );
    });

    it("drops the chart's always-firing helpers and informational alerts", () => {
        assert.deepEqual(receiversFor(route(), { alertname: "Watchdog", severity: "none" }), ["null"]);
        assert.deepEqual(
            receiversFor(route(), {
                alertname: "CPUThrottlingHigh",
                severity: "info",
                namespace: "payments",
            }),
            ["null"],
        );
    });

    it("names only receivers it declares, with keys the chart's values.yaml declares", () => {
        const declared = new Set(alertmanager.config.receivers.map((r) => r.name));
        const walk = (node: AlertRoute): string[] => [node.receiver, ...(node.routes ?? []).flatMap(walk)];
        for (const name of walk(route())) assert.ok(declared.has(name), name);
        const { values } = chartDefaults("kube-prometheus-stack");
        assert.deepEqual(undeclaredKeys({ alertmanager }, values, ["alertmanager.config"]), []);
    });

    it("keeps the webhook URL out of every value and Application: Alertmanager reads it from a mounted Secret", () => {
        const slack = alertmanager.config.receivers.flatMap((r) => r.slack_configs ?? []);
        assert.ok(slack.length > 0);
        for (const config of slack) {
            assert.equal(config.api_url, undefined);
            assert.equal(
                config.api_url_file,
                `/etc/alertmanager/secrets/${alertReceiversSecretName}/slack-webhook-url`,
            );
        }
        assert.deepEqual(alertmanager.alertmanagerSpec.secrets, [alertReceiversSecretName]);
        const placeholder = "«secret:alertmanagerSlackWebhookUrl»";
        for (const resource of run.resources) {
            if (resource.type === "kubernetes:core/v1:Secret") continue;
            assert.ok(
                !JSON.stringify(resource.inputs).includes(placeholder),
                `${resource.type} ${resource.name}`,
            );
        }
    });

    it("creates the receivers' Secret, marked secret, on the hub and on every spoke with Prometheus, through each cluster's own provider", () => {
        const secrets = receiverSecrets(run);
        assert.equal(secrets.length, 3, secrets.map((s) => s.name).join());
        for (const secret of secrets) {
            assert.deepEqual(secret.secretInputs, ["stringData"], secret.name);
            assert.equal(
                (secret.inputs.stringData as Record<string, string>)["slack-webhook-url"],
                "«secret:alertmanagerSlackWebhookUrl»",
            );
            assert.equal((secret.inputs.metadata as { namespace: string }).namespace, "monitoring");
        }
        const providers = new Set(secrets.map((s) => s.opts.provider));
        assert.equal(providers.size, 3, "the hub's and each spoke's own provider");
        const spokeProviders = run.resources.filter(
            (r) => r.type === "pulumi:providers:kubernetes" && /prod-(eu|us)-k8s$/.test(r.name),
        );
        assert.equal(spokeProviders.length, 2);
        for (const provider of spokeProviders)
            assert.ok(provider.secretInputs.includes("kubeconfig"), provider.name);
    });

    it("gives the spokes the same routing", () => {
        const eu = run.resources.find(
            (r) =>
                r.type === "kubernetes:core/v1:Secret" &&
                (r.inputs.stringData as { name?: string } | undefined)?.name === "prod-eu",
        )!;
        const values = JSON.parse(
            (eu.inputs.metadata as { annotations: Record<string, string> }).annotations[
                "gitops-platform/values.kube-prometheus-stack"
            ],
        ) as { alertmanager: AlertmanagerValues };
        assert.deepEqual(values.alertmanager.config, alertmanager.config);
    });
});

describe("the cluster rule set", () => {
    it("watches nodes, workloads and certificates, with rollouts only where Argo Rollouts runs", () => {
        const names = (certManager: boolean, rollouts: boolean) =>
            clusterAlertSummaries({
                namespace: "monitoring",
                environment: "prod",
                cluster: "c",
                certManager,
                rollouts,
            }).map((a) => a.alert);
        assert.deepEqual(names(true, true), [
            "NodeNotReady",
            "NodeUnderPressure",
            "NodeFilesystemAlmostFull",
            "PodCrashLooping",
            "DeploymentReplicasUnavailable",
            "AutoscalerAtMaximum",
            "DisruptionBudgetBlocksEvictions",
            "RolloutAborted",
            "CertificateExpiresSoon",
            "CertificateNotReady",
        ]);
        assert.ok(!names(false, false).includes("RolloutAborted"));
        assert.ok(!names(false, false).some((name) => name.startsWith("Certificate")));
    });

    it("routes without a team, and without a Slack channel, to the platform only", () => {
        const tree = alertRoute({
            environment: "dev",
            teams: [{ name: "payments", namespaces: ["payments"] }],
        });
        assert.deepEqual(
            receiversFor(tree, { alertname: "PodCrashLooping", severity: "critical", namespace: "payments" }),
            ["platform"],
        );
    });
});

describe("alerts config", () => {
    async function problems(config: Record<string, unknown>, stack = "dev"): Promise<string[]> {
        try {
            await runPlatform(stack, config);
        } catch (err) {
            assert.ok(ConfigError.isConfigError(err), String(err));
            return err.problems;
        }
        throw new Error("the config was accepted");
    }
    const withAlerts = (alerts: unknown, extra: Record<string, unknown> = {}) => ({
        ...minimalConfig(),
        "gitops-platform:alerts": alerts,
        ...extra,
    });

    it("needs kube-prometheus-stack, somewhere to send to, a channel, and SMTP for e-mail", async () => {
        const noPrometheus = await problems(
            withAlerts(
                { slack: { channel: "alerts" } },
                { "gitops-platform:addons": { "kube-prometheus-stack": { enabled: false } } },
            ),
        );
        assert.ok(
            noPrometheus.some((p) => /^alerts: expected kube-prometheus-stack to be enabled/.test(p)),
            noPrometheus.join("\n"),
        );
        assert.ok((await problems(withAlerts({}))).some((p) => /^alerts: expected slack or email/.test(p)));
        assert.ok(
            (await problems(withAlerts({ slack: {} }))).some((p) =>
                /^alerts\.slack\.channel: expected the platform's alert channel/.test(p),
            ),
        );
        assert.ok(
            (await problems(withAlerts({ email: { to: ["a@example.com"] } }))).some((p) =>
                /^alerts\.email: expected notifications\.email/.test(p),
            ),
        );
        assert.ok(
            (await problems(withAlerts({ email: { to: ["not-an-address"] } }))).some((p) =>
                /^alerts\.email\.to\[0\]: expected an email address/.test(p),
            ),
        );
    });
});
