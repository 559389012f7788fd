import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    ArgoCdNotifications,
    notificationTemplates,
    notificationTriggers,
    notificationsChartValues,
    notificationsConfigData,
    notificationsSecretData,
    renderTemplate,
    templateFields,
    type ArgoCdNotificationsArgs,
    type NotificationsConfigArgs,
} from "../../../components/notifications";
import {
    chartDefaults,
    isSecret,
    record,
    undeclaredKeys,
    validateObject,
    type Recorder,
} from "../../harness";

function configArgs(overrides: Partial<NotificationsConfigArgs> = {}): NotificationsConfigArgs {
    return {
        environment: "staging",
        argocdUrl: "https://argocd.staging.example.com",
        slack: { channel: "gitops-staging" },
        email: {
            host: "smtp.example.com",
            port: 587,
            from: "argocd@example.com",
            recipients: ["platform@example.com"],
        },
        triggers: ["on-sync-failed", "on-health-degraded"],
        projects: [
            { project: "payments", slackChannel: "payments-alerts", emails: ["payments@example.com"] },
        ],
        ...overrides,
    };
}

/** Replaces every Go template action with a plain word, as if it had rendered to one. */
function stripActions(text: string): string {
    return text.replace(/\{\{.*?\}\}/g, "x");
}

describe("notifications config (argocd-notifications-cm)", () => {
    const data = notificationsConfigData(configArgs());

    it("uses exactly the keys Argo CD reads", () => {
        assert.deepEqual(Object.keys(data).sort(), [
            "context",
            "defaultTriggers",
            "service.email",
            "service.slack",
            "subscriptions",
            "template.app-deployed",
            "template.app-health-degraded",
            "template.app-sync-failed",
            "template.app-sync-status-unknown",
            "trigger.on-deployed",
            "trigger.on-health-degraded",
            "trigger.on-sync-failed",
            "trigger.on-sync-status-unknown",
        ]);
        for (const value of Object.values(data)) assert.equal(typeof value, "string");
    });

    it("has at least the four required triggers, each sending a template that exists", () => {
        const names = notificationTriggers.map((t) => t.name);
        for (const required of [
            "on-sync-failed",
            "on-health-degraded",
            "on-deployed",
            "on-sync-status-unknown",
        ]) {
            assert.ok(names.includes(required), required);
        }
        for (const trigger of notificationTriggers) {
            const parsed = parse(data[`trigger.${trigger.name}`]) as { when: string; send: string[] }[];
            assert.equal(parsed.length, 1);
            assert.equal(parsed[0].when, trigger.when);
            assert.deepEqual(parsed[0].send, [trigger.template]);
            assert.ok(`template.${trigger.template}` in data, `no template for ${trigger.name}`);
        }
        const deployed = parse(data["trigger.on-deployed"]) as { oncePer: string }[];
        assert.equal(deployed[0].oncePer, "app.status.operationState?.syncResult?.revision");
    });

    it("references the Slack token and SMTP credentials in the Secret, never the values", () => {
        assert.deepEqual(parse(data["service.slack"]), { token: "$slack-token" });
        assert.deepEqual(parse(data["service.email"]), {
            host: "smtp.example.com",
            port: 587,
            from: "argocd@example.com",
            username: "$email-username",
            password: "$email-password",
        });
    });

    it("points the Slack service at a Slack-compatible API when apiURL is set (notifications-engine slack.go apiURL)", () => {
        const withApi = notificationsConfigData(
            configArgs({ slack: { channel: "gitops-staging", apiURL: "http://127.0.0.1:8065/api/" } }),
        );
        assert.deepEqual(parse(withApi["service.slack"]), {
            token: "$slack-token",
            apiURL: "http://127.0.0.1:8065/api/",
        });
    });

    it("every $key a service references exists in the Secret", () => {
        const secretKeys = Object.keys(
            notificationsSecretData({ slackToken: "t", smtpUsername: "u", smtpPassword: "p" }),
        );
        for (const key of ["service.slack", "service.email"]) {
            for (const [, ref] of data[key].matchAll(/\$([a-z-]+)/g))
                assert.ok(secretKeys.includes(ref), ref);
        }
    });

    it("subscribes the environment's channel and recipients, then each project by its team label", () => {
        assert.deepEqual(parse(data.subscriptions), [
            {
                recipients: ["slack:gitops-staging", "email:platform@example.com"],
                triggers: ["on-sync-failed", "on-health-degraded"],
            },
            {
                recipients: ["slack:payments-alerts", "email:payments@example.com"],
                triggers: ["on-sync-failed", "on-health-degraded"],
                selector: "gitops-platform/team=payments",
            },
        ]);
        assert.deepEqual(parse(data.defaultTriggers), ["on-sync-failed", "on-health-degraded"]);
        assert.deepEqual(parse(data.context), {
            argocdUrl: "https://argocd.staging.example.com",
            environment: "staging",
        });
    });

    it("leaves a service out, with its recipients, when it is not configured", () => {
        const slackOnly = notificationsConfigData(configArgs({ email: undefined }));
        assert.equal(slackOnly["service.email"], undefined);
        assert.doesNotMatch(slackOnly.subscriptions, /email:/);
        const none = notificationsConfigData(configArgs({ email: undefined, slack: undefined }));
        assert.equal(none.subscriptions, undefined);
        assert.ok(none["trigger.on-sync-failed"], "triggers and templates stay for per-app annotations");
    });

    it("rejects a trigger the catalog does not have", () => {
        assert.throws(
            () => notificationsConfigData(configArgs({ triggers: ["on-sync-faild"] })),
            /unknown notification trigger on-sync-faild/,
        );
    });
});

describe("notification templates", () => {
    for (const template of notificationTemplates) {
        describe(template.name, () => {
            const parsed = parse(renderTemplate(template)) as {
                message: string;
                email: { subject: string };
                slack: { blocks: string };
            };

            it("has an email subject and body showing app, env, revision, commit link and sync message", () => {
                assert.match(parsed.email.subject, /\.context\.environment/);
                for (const field of [
                    "app",
                    "environment",
                    "revision",
                    "commit",
                    "syncMessage",
                    "appUrl",
                ] as const) {
                    assert.ok(parsed.message.includes(templateFields[field]), `message lacks ${field}`);
                }
                assert.match(parsed.message, /call \$\.repo\.RepoURLToHTTPS \.repoURL \}\}\/commit\//);
            });

            it("has Slack blocks that are valid JSON once rendered, with the same fields", () => {
                const blocks = JSON.parse(stripActions(parsed.slack.blocks)) as { type: string }[];
                assert.equal(blocks[0].type, "header");
                for (const field of [
                    "app",
                    "environment",
                    "revision",
                    "commit",
                    "syncMessageJson",
                ] as const) {
                    assert.ok(parsed.slack.blocks.includes(templateFields[field]), `blocks lack ${field}`);
                }
                // Only the JSON-escaped message may go into blocks: a quote in it would break the JSON.
                assert.ok(!parsed.slack.blocks.includes(templateFields.syncMessage));
            });

            it("guards every field that young Applications lack", () => {
                assert.doesNotMatch(renderTemplate(template), /\{\{ \.app\.status\.operationState\.message/);
                assert.doesNotMatch(renderTemplate(template), /\{\{ \.app\.status\.sync\.revision/);
            });
        });
    }

    it("balances Go template actions and blocks", () => {
        for (const template of notificationTemplates) {
            const text = renderTemplate(template);
            const opened = (text.match(/\{\{ (with|if) /g) ?? []).length;
            const closed = (text.match(/\{\{ end \}\}/g) ?? []).length;
            assert.equal(opened, closed, template.name);
        }
    });
});

describe("notifications chart values", () => {
    it("keep the chart from creating the ConfigMap or the Secret, with keys the pinned argo-cd chart declares", () => {
        const values = notificationsChartValues();
        assert.deepEqual(values, {
            notifications: { enabled: true, secret: { create: false }, cm: { create: false } },
        });
        assert.deepEqual(undeclaredKeys(values, chartDefaults("argo-cd").values), []);
    });
});

let counter = 0;
async function build(
    overrides: Partial<ArgoCdNotificationsArgs> = {},
): Promise<{ recorder: Recorder; notifications: ArgoCdNotifications }> {
    let notifications: ArgoCdNotifications | undefined;
    const recorder = await record(() => {
        notifications = new ArgoCdNotifications(`notifications-${++counter}`, {
            argoCd: { namespace: "argocd" },
            environment: "dev",
            argocdUrl: "https://argocd.dev.example.com",
            slack: { channel: "gitops-dev" },
            email: {
                host: "smtp.example.com",
                port: 587,
                from: "argocd@example.com",
                recipients: ["a@example.com"],
            },
            triggers: ["on-sync-failed"],
            slackToken: "xoxb-real-token",
            smtpUsername: "smtp-user",
            smtpPassword: "smtp-pass",
            ...overrides,
        });
    });
    return { recorder, notifications: notifications! };
}

describe("ArgoCdNotifications", () => {
    it("manages argocd-notifications-cm and argocd-notifications-secret in Argo CD's namespace", async () => {
        const { recorder } = await build();
        const [cm] = recorder.ofType("kubernetes:core/v1:ConfigMap");
        const [secret] = recorder.ofType("kubernetes:core/v1:Secret");
        const meta = (r: typeof cm) => r.inputs.metadata as { name: string; namespace: string };
        assert.deepEqual([meta(cm).name, meta(cm).namespace], ["argocd-notifications-cm", "argocd"]);
        assert.deepEqual(
            [meta(secret).name, meta(secret).namespace],
            ["argocd-notifications-secret", "argocd"],
        );
        for (const resource of [cm, secret]) {
            assert.deepEqual(
                await validateObject({
                    apiVersion: "v1",
                    kind: resource === cm ? "ConfigMap" : "Secret",
                    ...resource.inputs,
                }),
                [],
            );
        }
    });

    it("puts the token and SMTP credentials only into the Secret, marked secret", async () => {
        const { recorder } = await build();
        const [secret] = recorder.ofType("kubernetes:core/v1:Secret");
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        assert.deepEqual(Object.keys(secret.inputs.stringData as object).sort(), [
            "email-password",
            "email-username",
            "slack-token",
        ]);
        for (const other of recorder.resources.filter((r) => r !== secret)) {
            const text = JSON.stringify(other.inputs);
            for (const value of ["xoxb-real-token", "smtp-user", "smtp-pass"]) {
                assert.ok(!text.includes(value), `${value} leaked into ${other.type} ${other.name}`);
            }
        }
    });

    it("marks each secret value secret even when it comes in as plain text", async () => {
        const data = notificationsSecretData({ slackToken: "t", smtpUsername: "u", smtpPassword: "p" });
        for (const value of Object.values(data)) assert.equal(await isSecret(value as never), true);
    });

    it("exports its services and triggers", async () => {
        const { notifications } = await build({ email: undefined });
        assert.deepEqual(await new Promise((r) => notifications.services.apply(r)), ["slack"]);
        const triggers = (await new Promise((r) => notifications.triggers.apply(r))) as string[];
        assert.ok(triggers.length >= 4);
    });

    for (const [title, missing, expected] of [
        ["Slack without a token", { slackToken: undefined }, /Slack is configured .* no slackToken/],
        ["email without credentials", { smtpPassword: undefined }, /email is configured .* smtpPassword/],
    ] as const) {
        it(`refuses ${title}, before registering anything`, async () => {
            let thrown: unknown;
            const recorder = await record(() => {
                try {
                    new ArgoCdNotifications(`notifications-${++counter}`, {
                        argoCd: { namespace: "argocd" },
                        environment: "dev",
                        slack: { channel: "gitops-dev" },
                        email: {
                            host: "smtp.example.com",
                            port: 25,
                            from: "a@example.com",
                            recipients: ["b@example.com"],
                        },
                        ...{ slackToken: "t", smtpUsername: "u", smtpPassword: "p" },
                        ...missing,
                    });
                } catch (err) {
                    thrown = err;
                }
            });
            assert.match(String(thrown), expected);
            assert.deepEqual(recorder.resources, []);
        });
    }
});
