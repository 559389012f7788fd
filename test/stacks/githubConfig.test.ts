import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../stacks/errors";
import type { LoadedStack } from "../../stacks/loader";
import { gitHubProviderArgs } from "../../stacks/program";
import { isSecret, runPlatform, valueOf, type Recorder } from "../harness";
import { minimalConfig } from "./fixtures";

/** Runs the program with a bad config; returns the problems and how many resources were registered. */
async function reject(
    config: Record<string, unknown>,
    options: { fillMissingSecrets?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ problems: string[]; registered: number }> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform("dev", config, {
            fillMissingSecrets: options.fillMissingSecrets,
            env: options.env ?? { GITHUB_TOKEN: "from-env" },
            onMocks: (r) => (recorder = r),
        });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        return { problems: err.problems, registered: recorder?.resources.length ?? -1 };
    }
    throw new Error("the config was accepted");
}

function withGitHub(github: Record<string, unknown>): Record<string, unknown> {
    return { ...minimalConfig(), "gitops-platform:github": { owner: "acme", ...github } };
}

function withApps(apps: unknown[]): Record<string, unknown> {
    return { ...minimalConfig(), "gitops-platform:apps": apps };
}

const malformed: { title: string; config: Record<string, unknown>; expect: RegExp }[] = [
    {
        title: "an owner that is no GitHub login",
        config: withGitHub({ owner: "-acme" }),
        expect: /^github\.owner: expected a GitHub login \(letters, digits and '-'\), got "-acme"$/,
    },
    {
        title: "an owner with a space",
        config: withGitHub({ owner: "acme corp" }),
        expect: /^github\.owner: expected a GitHub login .*, got "acme corp"$/,
    },
    {
        title: "no owner",
        config: { ...minimalConfig(), "gitops-platform:github": {} },
        expect: /^github\.owner: expected string, got nothing$/,
    },
    {
        title: "an app without a team",
        config: withApps([{ name: "checkout" }]),
        expect: /^apps\[0\]\.team: expected string, got nothing$/,
    },
    {
        title: "an app whose team does not exist",
        config: withApps([{ name: "checkout", team: "billing" }]),
        expect: /^apps\[0\]\.team: expected one of the configured teams \(payments\), got "billing"$/,
    },
    {
        title: "a duplicate app name",
        config: withApps([
            { name: "checkout", team: "payments" },
            { name: "checkout", team: "payments" },
        ]),
        expect: /^apps\[1\]\.name: expected a unique name, got "checkout" a second time$/,
    },
    {
        title: "an app named like the GitOps repository",
        config: withApps([{ name: "gitops", team: "payments" }]),
        expect: /^apps\[0\]\.name: expected a name other than the GitOps repository's, got "gitops"$/,
    },
    {
        title: "an unknown owning stack",
        config: withGitHub({ sharedStack: "qa" }),
        expect: /^github\.sharedStack: expected one of "dev" \| "staging" \| "prod", got "qa"$/,
    },
    {
        title: "a GitHub App without an installation",
        config: withGitHub({ app: { id: 123 } }),
        expect: /^github\.app\.installationId: expected number, got nothing$/,
    },
    {
        title: "a registry URL instead of a host",
        config: withGitHub({ registry: "https://ghcr.io" }),
        expect: /^github\.registry\.host: expected a registry host such as ghcr\.io/,
    },
    {
        title: "a negative approval count",
        config: withGitHub({ requiredApprovals: -1 }),
        expect: /^github\.requiredApprovals: expected a number at least 0, got number -1$/,
    },
    {
        title: "a reviewer given by name instead of ID",
        config: withGitHub({ environmentProtection: { reviewerTeamIds: ["platform"] } }),
        expect: /^github\.environmentProtection\.reviewerTeamIds\[0\]: expected number, got "platform"$/,
    },
    {
        title: "a team slug with capitals",
        config: {
            ...minimalConfig(),
            "gitops-platform:teams": [{ name: "payments", group: "g", githubTeam: "Payments" }],
        },
        expect: /^teams\[0\]\.githubTeam: expected a GitHub team slug/,
    },
    {
        title: "a misspelt GitHub key",
        config: withGitHub({ sharedstack: "prod" }),
        expect: /^github\.sharedstack: expected no such key/,
    },
];

describe("GitHub config validation", () => {
    for (const testCase of malformed) {
        it(`rejects ${testCase.title}, naming the key, and registers nothing`, async () => {
            const { problems, registered } = await reject(testCase.config);
            assert.ok(
                problems.some((problem) => testCase.expect.test(problem)),
                `no problem matches ${testCase.expect}:\n${problems.join("\n")}`,
            );
            assert.equal(registered, 0, "resources were registered despite the bad config");
        });
    }

    it("requires the App's private key when github.app is set, and no token then", async () => {
        const config = withGitHub({ app: { id: 123, installationId: 456 } });
        const { problems, registered } = await reject(config, { fillMissingSecrets: false, env: {} });
        assert.deepEqual(
            problems.filter((p) => p.startsWith("github")),
            [
                "githubAppPrivateKey: expected the PEM private key of the GitHub App in github.app, got nothing; set it with `pulumi config set --secret --stack dev githubAppPrivateKey <value>`",
            ],
        );
        assert.equal(registered, 0);
    });
});

describe("GitHub provider", () => {
    it("authenticates with the githubToken secret", async () => {
        const run = await runPlatform("dev", minimalConfig());
        const args = gitHubProviderArgs(run.stack);
        assert.equal(args.owner, "acme");
        assert.equal(args.appAuth, undefined);
        assert.ok(args.token);
        assert.equal(await isSecret(pulumi.output(args.token)), true);
    });

    it("authenticates as a GitHub App when github.app is set, with the key as a secret", async () => {
        const run = await runPlatform("dev", withGitHub({ app: { id: 123, installationId: 456 } }));
        const args = gitHubProviderArgs(run.stack);
        assert.equal(await valueOf(pulumi.output(args.token ?? "unset")), "", "no token next to the App");
        const appAuth = args.appAuth as { id: string; installationId: string; pemFile: pulumi.Input<string> };
        assert.equal(appAuth.id, "123");
        assert.equal(appAuth.installationId, "456");
        assert.equal(await isSecret(pulumi.output(appAuth.pemFile)), true);
        assert.equal(await valueOf(pulumi.output(appAuth.pemFile)), "«secret:githubAppPrivateKey»");
    });

    it("refuses App auth without the App's key, before registering anything", () => {
        const stack = {
            config: { github: { owner: "acme", app: { id: 1, installationId: 2 } } },
            secrets: {},
        };
        assert.throws(
            () => gitHubProviderArgs(stack as unknown as LoadedStack),
            (err: unknown) =>
                ConfigError.isConfigError(err) && err.problems[0].startsWith("githubAppPrivateKey: expected"),
        );
    });

    it("is the one explicit github provider of the stack, with the App's key secret", async () => {
        // The provider SDK reads GITHUB_TOKEN from the process environment itself.
        const previous = process.env.GITHUB_TOKEN;
        process.env.GITHUB_TOKEN = "ghp_ambient";
        let run: Awaited<ReturnType<typeof runPlatform>>;
        try {
            run = await runPlatform("dev", withGitHub({ app: { id: 123, installationId: 456 } }));
        } finally {
            if (previous === undefined) delete process.env.GITHUB_TOKEN;
            else process.env.GITHUB_TOKEN = previous;
        }
        const providers = run.resources.filter((r) => r.type === "pulumi:providers:github");
        assert.equal(providers.length, 1);
        assert.ok(providers[0].secretInputs.includes("appAuth"), JSON.stringify(providers[0]));
        assert.ok(providers[0].secretInputs.includes("token"));
        assert.doesNotMatch(
            JSON.stringify(providers[0].inputs),
            /ghp_/,
            "an ambient token leaked into the inputs",
        );
        for (const resource of run.resources.filter((r) => r.type.startsWith("github:index/"))) {
            assert.equal(resource.opts.provider, "pulumi:providers:github::github", resource.name);
        }
    });
});
