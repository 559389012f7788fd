import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../stacks/errors";
import { loadStack, type ConfigSource } from "../../stacks/loader";
import { runPlatform, type Recorder } from "../harness";
import { minimalConfig } from "./fixtures";

/** Runs the program with a bad config; returns the error's problems and what got registered. */
async function rejectConfig(
    config: Record<string, unknown>,
    stack = "dev",
): Promise<{ problems: string[]; message: string; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform(stack, config, { onMocks: (r) => (recorder = r) });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, message: err.message, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

function withKey(key: string, value: unknown): Record<string, unknown> {
    return { ...minimalConfig(), [`gitops-platform:${key}`]: value };
}

const malformed: { title: string; config: Record<string, unknown>; stack?: string; expect: RegExp }[] = [
    {
        title: "unknown top-level key",
        config: withKey("argocdd", {}),
        expect: /^argocdd: expected no such key/,
    },
    {
        title: "unknown nested key (a typo)",
        config: withKey("argocd", { hostnmae: "argocd.example.com" }),
        expect: /^argocd\.hostnmae: expected no such key/,
    },
    {
        title: "wrong type for a number",
        config: withKey("argocd", {
            replicas: { server: "two", repoServer: 1, applicationSet: 1, controller: 1 },
        }),
        expect: /^argocd\.replicas\.server: expected number, got "two"/,
    },
    {
        title: "wrong type for a boolean",
        config: withKey("argocd", { ha: "yes" }),
        expect: /^argocd\.ha: expected boolean, got "yes"/,
    },
    {
        title: "zero replicas",
        config: withKey("argocd", {
            replicas: { server: 0, repoServer: 1, applicationSet: 1, controller: 1 },
        }),
        expect: /^argocd\.replicas\.server: expected a number at least 1, got number 0/,
    },
    {
        title: "hostname that is not a hostname",
        config: withKey("argocd", { hostname: "https://argocd" }),
        expect: /^argocd\.hostname: expected a fully qualified hostname/,
    },
    {
        title: "chart version range",
        config: withKey("argocd", { chartVersion: "^9.0.0" }),
        expect: /^argocd\.chartVersion: expected an exact version/,
    },
    {
        title: "bad duration",
        config: withKey("argocd", { reconciliationTimeout: "5 minutes" }),
        expect: /^argocd\.reconciliationTimeout: expected a duration/,
    },
    {
        title: "unknown size profile",
        config: withKey("argocd", { size: "huge" }),
        expect: /^argocd\.size: expected one of "small" \| "medium" \| "large", got "huge"/,
    },
    {
        title: "missing cluster",
        config: { ...minimalConfig(), "gitops-platform:cluster": undefined },
        expect: /^cluster: expected object, got nothing/,
    },
    {
        title: "cluster name not a DNS label",
        config: withKey("cluster", { name: "Acme_Dev" }),
        expect: /^cluster\.name: expected a DNS label/,
    },
    {
        title: "teams not a list",
        config: withKey("teams", { name: "payments" }),
        expect: /^teams: expected array, got an object/,
    },
    {
        title: "team without a group",
        config: withKey("teams", [{ name: "payments" }]),
        expect: /^teams\[0\]\.group: expected string, got nothing/,
    },
    {
        title: "duplicate team",
        config: withKey("teams", [
            { name: "payments", group: "a" },
            { name: "payments", group: "b" },
        ]),
        expect: /^teams\[1\]\.name: expected a unique name, got "payments" a second time/,
    },
    {
        title: "app of an unknown team",
        config: withKey("apps", [{ name: "checkout", team: "billing" }]),
        expect: /^apps\[0\]\.team: expected one of the configured teams \(payments\), got "billing"/,
    },
    {
        title: "port out of range",
        config: withKey("apps", [{ name: "checkout", team: "payments", port: 70000 }]),
        expect: /^apps\[0\]\.port: expected a number at most 65535, got number 70000/,
    },
    {
        title: "sync retry limit not an integer",
        config: withKey("sync", { retry: { limit: 1.5 } }),
        expect: /^sync\.retry\.limit: expected int/,
    },
    {
        title: "unknown environment",
        config: withKey("environment", "qa"),
        expect: /^environment: expected one of "dev" \| "staging" \| "prod", got "qa"/,
    },
    {
        title: "stack name that is no environment, and no environment key",
        config: minimalConfig(),
        stack: "sandbox",
        expect: /^environment: expected one of dev \| staging \| prod \(the stack name "sandbox" is none of them\)/,
    },
    {
        title: "an SMTP host that is neither a hostname nor an IPv4 address",
        config: withKey("notifications", {
            email: { host: "256.1.1.1", port: 25, from: "a@example.com", recipients: ["b@example.com"] },
        }),
        expect: /^notifications\.email\.host: expected a fully qualified hostname such as smtp\.example\.com, or an IPv4 address/,
    },
    {
        title: "a Slack API URL that is not http(s)",
        config: withKey("notifications", {
            slack: { channel: "gitops", apiURL: "ftp://slack.example.com/api/" },
        }),
        expect: /^notifications\.slack\.apiURL: expected an http\(s\) URL/,
    },
    {
        title: "OIDC issuer over plain HTTP",
        config: withKey("argocd", {
            oidc: { name: "SSO", issuer: "http://sso.example.com", clientId: "argocd" },
        }),
        expect: /^argocd\.oidc\.issuer: expected an https URL/,
    },
];

describe("stack config validation", () => {
    for (const testCase of malformed) {
        it(`rejects ${testCase.title}, naming the key, and registers nothing`, async () => {
            const result = await rejectConfig(testCase.config, testCase.stack);
            assert.ok(
                result.problems.some((p) => testCase.expect.test(p)),
                `no problem matches ${testCase.expect}:\n${result.problems.join("\n")}`,
            );
            assert.equal(result.registered, 0, "resources were registered despite the bad config");
            assert.doesNotMatch(result.message, /\n\s+at /, "the message carries a stack trace");
        });
    }

    it("accepts an SMTP relay by IPv4 address and a Slack-compatible API URL", () => {
        const notifications = {
            slack: { channel: "gitops", apiURL: "https://slack-gateway.example.com/api/" },
            email: { host: "10.0.0.25", port: 25, from: "a@example.com", recipients: ["b@example.com"] },
        };
        const secrets = { slackToken: "xoxb-1", smtpUsername: "u", smtpPassword: "p" };
        const entries = Object.fromEntries(
            Object.entries(secrets).map(([k, v]) => [`gitops-platform:${k}`, v]),
        );
        const { config } = loadStack({
            ...configSource({ ...withKey("notifications", notifications), ...entries }, Object.keys(entries)),
            env: { GITHUB_TOKEN: "from-env" },
        });
        assert.equal(config.notifications.email?.host, "10.0.0.25");
        assert.equal(config.notifications.slack?.apiURL, "https://slack-gateway.example.com/api/");
    });

    it("reports every problem at once", async () => {
        const config = { ...withKey("argocd", { ha: "yes", size: "huge" }), "gitops-platform:typo": 1 };
        const { problems } = await rejectConfig(config);
        assert.equal(problems.length, 3, problems.join("\n"));
    });

    it("accepts the minimal config and fills in the environment's defaults", () => {
        const { config } = loadStack({ ...configSource(minimalConfig()), env: { GITHUB_TOKEN: "from-env" } });
        assert.equal(config.environment, "dev");
        assert.equal(config.argocd.namespace, "argocd");
        assert.equal(config.sync.selfHeal, true);
    });
});

function configSource(
    config: Record<string, unknown>,
    secretKeys: string[] = [],
    stack = "dev",
): ConfigSource {
    const values = Object.fromEntries(
        Object.entries(config)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return {
        project: "gitops-platform",
        stack,
        values,
        isSecret: (key) => secretKeys.includes(key),
        env: {},
    };
}

describe("secret config", () => {
    it("names the exact command for a missing required secret", () => {
        assert.throws(
            () => loadStack(configSource(minimalConfig())),
            (err: unknown) =>
                ConfigError.isConfigError(err) &&
                err.problems.some(
                    (p) =>
                        p.startsWith("githubToken: expected") &&
                        p.includes("`pulumi config set --secret --stack dev githubToken <value>`"),
                ),
        );
    });

    it("refuses a secret stored in plain text", () => {
        const config = { ...minimalConfig(), "gitops-platform:githubToken": "ghp_plain" };
        assert.throws(
            () => loadStack(configSource(config)),
            (err: unknown) =>
                ConfigError.isConfigError(err) &&
                err.problems.some((p) => p.startsWith("githubToken: expected a secret value")) &&
                !err.message.includes("ghp_plain"),
        );
    });

    it("needs the OIDC client secret only when OIDC is configured", () => {
        const env = { GITHUB_TOKEN: "from-env" };
        const withOidc = {
            ...minimalConfig(),
            "gitops-platform:argocd": {
                oidc: { name: "SSO", issuer: "https://sso.example.com", clientId: "argocd" },
            },
        };
        assert.doesNotThrow(() => loadStack({ ...configSource(minimalConfig()), env }));
        assert.throws(
            () => loadStack({ ...configSource(withOidc), env }),
            (err: unknown) =>
                ConfigError.isConfigError(err) &&
                err.problems.some((p) => p.startsWith("argocdOidcClientSecret:")),
        );
    });
});

describe("GitHub token from the environment", () => {
    it("is read once by the loader and kept secret", async () => {
        const { secrets } = loadStack({
            ...configSource(minimalConfig()),
            env: { GITHUB_TOKEN: "ghp_from_env" },
        });
        assert.ok(secrets.githubToken);
        assert.equal(await pulumi.isSecret(secrets.githubToken), true);
    });
});
