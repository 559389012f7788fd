import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError } from "../../stacks/errors";
import { deployFeedback } from "../../stacks/sections/notifications";
import { runPlatform, type Recorder } from "../harness";
import { render, writeConfigFile } from "../render/cli";
import { minimalConfig } from "./fixtures";

const app = { id: 918273, installationId: 51234567 };

function withFeedback(github: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...minimalConfig(), ...extra, "gitops-platform:notifications": { github } };
}

/** Runs the program with a config that must be refused; returns the problems and what was registered. */
async function reject(
    config: Record<string, unknown>,
    fillMissingSecrets = true,
): Promise<{ problems: string[]; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform("dev", config, {
            fillMissingSecrets,
            env: { GITHUB_TOKEN: "from-env" },
            onMocks: (r) => (recorder = r),
        });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

/** argocd-notifications-cm's data as a stack registers it. */
async function notificationsData(config: Record<string, unknown>): Promise<Record<string, string>> {
    const run = await runPlatform("dev", config, { env: { GITHUB_TOKEN: "from-env" } });
    const cm = run.resources.find(
        (r) =>
            r.type === "kubernetes:core/v1:ConfigMap" &&
            (r.inputs.metadata as { name?: string }).name === "argocd-notifications-cm",
    );
    assert.ok(cm, "argocd-notifications-cm is registered");
    return cm.inputs.data as Record<string, string>;
}

const malformed: { title: string; github: unknown; extra?: Record<string, unknown>; expect: RegExp }[] = [
    {
        title: "an app id that is not a number",
        github: { app: { id: "my-app", installationId: 1 } },
        expect: /^notifications\.github\.app\.id: expected number, got "my-app"$/,
    },
    {
        title: "an app id of 0",
        github: { app: { id: 0, installationId: 1 } },
        expect: /^notifications\.github\.app\.id: expected a number at least 1, got number 0$/,
    },
    {
        title: "an app without its installation",
        github: { app: { id: 1 } },
        expect: /^notifications\.github\.app\.installationId: expected number, got nothing$/,
    },
    {
        title: "an enterprise URL that is not the API root",
        github: { app, enterpriseBaseURL: "https://ghe.example.com" },
        expect: /^notifications\.github\.enterpriseBaseURL: expected the REST API root of GitHub Enterprise Server, an http\(s\) URL ending in \/api\/v3 .*, got "https:\/\/ghe\.example\.com"$/,
    },
    {
        title: "an enterprise URL with a trailing slash",
        github: { app, enterpriseBaseURL: "https://ghe.example.com/api/v3/" },
        expect: /^notifications\.github\.enterpriseBaseURL: expected the REST API root/,
    },
    {
        title: "deploy feedback without any GitHub App",
        github: { enterpriseBaseURL: "https://ghe.example.com/api/v3" },
        expect: /^notifications\.github\.app: expected the GitHub App that reports deploy feedback \(\{ id, installationId \}; or github\.app\), got nothing; set enabled: false to turn it off$/,
    },
    {
        title: "both statuses and deployments off",
        github: { app, statuses: false, deployments: false },
        expect: /^notifications\.github\.deployments: expected commit statuses or deployments to be on, got both off/,
    },
    {
        title: "a misspelt key",
        github: { app, enterpriseBaseUrl: "https://ghe.example.com/api/v3" },
        expect: /^notifications\.github\.enterpriseBaseUrl: expected no such key/,
    },
];

describe("deploy feedback config", () => {
    for (const testCase of malformed) {
        it(`rejects ${testCase.title}, naming the key, and registers nothing`, async () => {
            const { problems, registered } = await reject(withFeedback(testCase.github, testCase.extra));
            assert.ok(
                problems.some((problem) => testCase.expect.test(problem)),
                `no problem matches ${testCase.expect}:\n${problems.join("\n")}`,
            );
            assert.equal(registered, 0, "resources were registered despite the bad config");
        });
    }

    it("requires notificationsGithubPrivateKey for its own App, naming the key and the command", async () => {
        const { problems, registered } = await reject(withFeedback({ app }), false);
        assert.deepEqual(
            problems.filter((p) => p.startsWith("notificationsGithub")),
            [
                "notificationsGithubPrivateKey: expected the PEM private key of the GitHub App in notifications.github.app, which reports deploy feedback (commit statuses and deployments), got nothing; set it with `pulumi config set --secret --stack dev notificationsGithubPrivateKey <value>`",
            ],
        );
        assert.equal(registered, 0);
    });

    it("is on by default with github.app, and reads its key githubAppPrivateKey", () => {
        const config = {
            notifications: {},
            github: { app },
        };
        assert.deepEqual(deployFeedback(config), {
            app,
            privateKeySecret: "githubAppPrivateKey",
            statuses: true,
            deployments: true,
        });
        assert.equal(deployFeedback({ notifications: {}, github: {} }), undefined, "a token: off");
        assert.equal(
            deployFeedback({ notifications: { github: { enabled: false } }, github: { app } }),
            undefined,
        );
    });

    it("stands apart from repository management: its own App, with your own Git", () => {
        assert.deepEqual(
            deployFeedback({
                notifications: { github: { app, enterpriseBaseURL: "https://ghe.example.com/api/v3" } },
            }),
            {
                app,
                privateKeySecret: "notificationsGithubPrivateKey",
                enterpriseBaseURL: "https://ghe.example.com/api/v3",
                statuses: true,
                deployments: true,
            },
        );
    });

    it("configures the github service in argocd-notifications-cm of a stack that sets it", async () => {
        const data = await notificationsData(
            withFeedback({ app, enterpriseBaseURL: "https://ghe.example.com/api/v3", deployments: false }),
        );
        assert.deepEqual(parse(data["service.github"]), {
            appID: app.id,
            installationID: app.installationId,
            privateKey: "$github-privateKey",
            enterpriseBaseURL: "https://ghe.example.com/api/v3",
        });
        const github = (parse(data.subscriptions) as { recipients: string[]; triggers: string[] }[]).find(
            (s) => s.recipients.includes("github"),
        );
        assert.deepEqual(github?.triggers, [
            "on-commit-deploying",
            "on-commit-deployed",
            "on-commit-deploy-failed",
        ]);
    });

    it("leaves GitHub out of a stack without an App", async () => {
        const data = await notificationsData(minimalConfig());
        assert.equal(data["service.github"], undefined);
    });

    describe("the render CLI", () => {
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-feedback-"));
        after(() => fs.rmSync(outDir, { recursive: true, force: true }));

        /** Renders dev from a config file with these deploy feedback settings, into outDir/`out`. */
        const renderWithFeedback = (file: string, github: unknown, out = "out") =>
            render([
                "--stack",
                "dev",
                "--config-file",
                writeConfigFile(path.join(outDir, file), withFeedback(github)),
                "--out",
                path.join(outDir, out),
            ]);

        it("exits 2 on a bad app id, naming the key, and writes nothing", () => {
            const result = renderWithFeedback("bad-app-id.yaml", {
                app: { id: "my-app", installationId: 1 },
            });
            assert.equal(result.status, 2, result.stderr);
            assert.match(result.stderr, /notifications\.github\.app\.id: expected number, got "my-app"/);
            assert.equal(fs.existsSync(path.join(outDir, "out", "dev")), false);
        });

        it("exits 2 when deploy feedback has no App, naming the missing key", () => {
            const result = renderWithFeedback("no-app.yaml", {
                enterpriseBaseURL: "https://ghe.example.com/api/v3",
            });
            assert.equal(result.status, 2, result.stderr);
            assert.match(
                result.stderr,
                /notifications\.github\.app: expected the GitHub App that reports deploy feedback/,
            );
        });

        it("lists the environment that reports to GitHub in the summary", () => {
            const result = renderWithFeedback("feedback.yaml", { app }, "ok");
            assert.equal(result.status, 0, result.stderr);
            assert.match(
                result.stdout,
                /^deploy feedback: dev reports to GitHub as App 918273 at https:\/\/api\.github\.com: commit statuses deploy\/dev, deployments to environment dev$/m,
            );
            assert.match(
                result.stdout,
                /secret notificationsGithubPrivateKey is not set; rendered with a placeholder/,
            );
        });
    });
});
