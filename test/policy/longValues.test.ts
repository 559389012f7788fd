import { strict as assert } from "node:assert";
import { globMatches } from "../../policy/lib/github";
import { embeddedPair, hasPasswordInUrl } from "../../policy/lib/credentials";
import { checkPolicies } from "../../scripts/render/policy";
import { ConfigError } from "../../stacks/errors";
import { loadStack } from "../../stacks/loader";
import { runPlatform, type RecordedResource } from "../harness";
import { minimalConfig } from "../stacks/fixtures";

/**
 * Every policy and config validator runs in linear time (issue 11 B). A 100,000-character value used to
 * take 35–50 s in k8s-configmap-no-credentials (an unanchored `[a-z][a-z0-9+.-]*:\/\/…` over a long run
 * of letters, and a lazy `(.*?)\s*$` over a long run of spaces).
 */

const length = 100_000;
/** Shapes that make backtracking regular expressions quadratic: long runs of one class of character. */
const hostile: Record<string, string> = {
    letters: "a".repeat(length),
    spaces: `x${" ".repeat(length)}x`,
    "scheme-like": "a+".repeat(length / 2),
    "user:password-like": `a://${"b:".repeat(length / 2)}`,
    slashes: `https://x${"/".repeat(length)}`,
};

/** A dev config whose free-text settings (OIDC, Slack) carry `value`: valid, so it renders. */
function configCarrying(value: string): Record<string, unknown> {
    return {
        ...minimalConfig(),
        "gitops-platform:argocd": {
            oidc: { name: value, issuer: "https://sso.example.com", clientId: value },
        },
        "gitops-platform:notifications": { slack: { channel: "deploys", username: value, icon: value } },
    };
}

/** A dev config with `value` in every string setting the schema has: judged, and refused, at once. */
function everyStringIs(value: string): Record<string, unknown> {
    const v = value;
    return {
        "gitops-platform:cluster": { name: v, context: v, kubeconfig: v },
        "gitops-platform:argocd": {
            namespace: v,
            chartVersion: v,
            hostname: v,
            ingressClassName: v,
            clusterIssuer: v,
            reconciliationTimeout: v,
            adminGroups: [v],
            oidc: { name: v, issuer: v, clientId: v },
        },
        "gitops-platform:github": { owner: v, registry: v },
        "gitops-platform:gitops": { repository: v, branch: v },
        "gitops-platform:teams": [{ name: v, group: v, namespaces: [v], githubTeam: v }],
        "gitops-platform:apps": [{ name: v, team: v, namespace: v }],
        "gitops-platform:notifications": {
            slack: { channel: v, username: v, icon: v },
            email: { host: v, port: 25, from: v, recipients: [v] },
            projects: [{ project: v, slackChannel: v, emails: [v] }],
        },
        "gitops-platform:addons": {
            acme: { email: v, server: v, issuerName: v },
            dns: { provider: v, domainFilters: [v], txtOwnerId: v },
            "cert-manager": { version: v },
        },
        "gitops-platform:monitoring": { prometheusRetention: v, prometheusRetentionSize: v },
        "gitops-platform:workloadClusters": [
            {
                name: v,
                server: v,
                labels: { [v]: v, ok: v },
                connection: { stackReference: { stack: v, tokenOutput: v, caDataOutput: v } },
            },
        ],
    };
}

/** Loads a config as the program does (no resources), returning its problems. */
function judge(config: Record<string, unknown>): string[] {
    const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, JSON.stringify(v)]));
    try {
        loadStack({ project: "gitops-platform", stack: "dev", values, isSecret: () => false, env: {} });
        return [];
    } catch (err) {
        if (ConfigError.isConfigError(err)) return err.problems;
        throw err;
    }
}

describe("long values are judged in linear time", function () {
    this.timeout(120_000);
    const renders = new Map<string, RecordedResource[]>();
    before(async () => {
        for (const [shape, value] of Object.entries(hostile)) {
            renders.set(shape, (await runPlatform("dev", configCarrying(value))).resources);
        }
        // Warm up: compile the schema and the pack on small values, so the timing below is the judging.
        judge(everyStringIs("warm"));
        await checkPolicies("dev", "dev", (await runPlatform("dev", minimalConfig())).resources);
    });

    it("a 100,000-character value, in every setting and in rendered config maps, is judged in under 2 s", async () => {
        for (const [shape, value] of Object.entries(hostile)) {
            const started = performance.now();
            const problems = judge(everyStringIs(value));
            const policy = await checkPolicies("dev", "dev", renders.get(shape)!);
            const elapsed = performance.now() - started;
            assert.ok(elapsed < 2000, `${shape}: judging took ${Math.round(elapsed)} ms`);
            assert.ok(problems.length > 10, `${shape}: only ${problems.length} problems`);
            assert.ok(
                problems.every((problem) => problem.length < 2000),
                `${shape}: a message quotes the whole value`,
            );
            assert.deepEqual(
                policy.mandatory.map((v) => v.message),
                [],
                `${shape}: a long harmless value is not a credential`,
            );
        }
    });
});

describe("k8s-configmap-no-credentials scans agree with the regular expressions they replace", () => {
    const passwordInUrl = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i;
    const pairLine = /^\s*-?\s*["']?([\w.-]+)["']?\s*[:=]\s*(.*?)\s*$/;
    const samples = [
        "postgres://app:hunter2@db:5432/app",
        "https://user@host/path",
        "https://host/a:b@c",
        "x://a:b@",
        "9://a:b@",
        "1a+://u:p@",
        "://u:p@",
        "see http://a:b c@d",
        "redis://:pass@host",
        "git+ssh://git:tok@github.com/x",
        "a://b:c/d@e",
        "  - 'clientSecret': abc  ",
        'clientSecret= "x"',
        "-password:",
        "name: SSO",
        "   ",
        "key value",
        '"quoted.key" : v',
        "a-b.c_d=1",
    ];
    for (const sample of samples) {
        it(`agrees on ${JSON.stringify(sample)}`, () => {
            assert.equal(hasPasswordInUrl(sample), passwordInUrl.test(sample));
            const match = pairLine.exec(sample);
            assert.deepEqual(embeddedPair(sample), match ? { key: match[1], value: match[2] } : undefined);
        });
    }

    it("globMatches agrees with fnmatch on ruleset patterns", () => {
        assert.ok(globMatches("refs/heads/*", "refs/heads/main"));
        assert.ok(!globMatches("refs/heads/*", "refs/heads/release/1"));
        assert.ok(globMatches("refs/heads/**", "refs/heads/release/1"));
        assert.ok(globMatches("refs/heads/release-?", "refs/heads/release-1"));
        assert.ok(!globMatches("refs/heads/release-?", "refs/heads/release-12"));
        assert.ok(globMatches("**/main", "refs/heads/main"));
        assert.ok(globMatches("*", ""));
        assert.ok(!globMatches("*a*a*a*a*a*b", "a".repeat(length)), "many stars over a long value");
    });
});
