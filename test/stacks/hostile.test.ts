import { strict as assert } from "node:assert";
import { ConfigError, escapeInvisible, formatPath, quote } from "../../stacks/errors";
import * as names from "../../stacks/names";
import { parseStackFile } from "../../stacks/stackFile";
import { runPlatform, type Recorder } from "../harness";
import { minimalConfig, stackConfig } from "./fixtures";

/**
 * Hostile input (issue 11, part B): each config renders today, or fails half-way; each must be one clear
 * `key.path: expected …, got …` problem, every problem at once, before anything registers.
 */

const p = "gitops-platform:";

/** Runs the program with a bad config; returns its problems and how many resources got registered. */
async function reject(config: Record<string, unknown>, stack = "dev"): Promise<string[]> {
    let recorder: Recorder | undefined;
    try {
        await runPlatform(stack, config, { onMocks: (r) => (recorder = r) });
    } catch (err) {
        assert.ok(ConfigError.isConfigError(err), `expected a ConfigError, got ${String(err)}`);
        assert.equal(recorder?.resources.length, 0, "resources were registered despite the bad config");
        assert.doesNotMatch(err.message, /\n\s+at /, "the message carries a stack trace");
        return err.problems;
    }
    throw new Error("the config was accepted");
}

function withKeys(keys: Record<string, unknown>, base = minimalConfig()): Record<string, unknown> {
    return { ...base, ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`${p}${k}`, v])) };
}

const team = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    group: `acme:${name}`,
    ...extra,
});

/** Each case: a config, and the one problem it must give (every line matched, in order). */
const cases: { title: string; config: () => Record<string, unknown>; stack?: string; expect: RegExp[] }[] = [
    {
        title: "a team named platform (the platform's own AppProject)",
        config: () => withKeys({ teams: [team("payments"), team("platform")] }),
        expect: [
            /^teams\[1\]\.name: expected a team name other than a reserved name \(AppProject "platform" is the platform's own project, for add-ons and platform manifests\), got "platform"$/,
        ],
    },
    {
        title: "two teams listing one namespace (one Namespace resource twice)",
        config: () =>
            withKeys({
                teams: [
                    team("payments", { namespaces: ["shared"] }),
                    team("billing", { namespaces: ["shared"] }),
                ],
            }),
        expect: [
            /^teams\[1\]\.namespaces\[0\]: expected a namespace that no other key claims \(Namespace "shared" already comes from teams\[0\]\.namespaces\[0\]\), got "shared"$/,
        ],
    },
    {
        title: "a team whose default namespace is another team's listed one",
        config: () => withKeys({ teams: [team("billing", { namespaces: ["payments"] }), team("payments")] }),
        expect: [
            /^teams\[1\]\.name: expected a team name \(its namespace by default\) that no other key claims/,
        ],
    },
    {
        title: "reserved namespaces: default, kube-*, Argo CD's, an enabled add-on's",
        config: () =>
            withKeys({
                teams: [
                    team("payments", { namespaces: ["default", "kube-system", "argocd", "cert-manager"] }),
                ],
            }),
        expect: [
            /^teams\[0\]\.namespaces\[0\]: expected a namespace other than a reserved name \(Namespace "default" is Kubernetes' default namespace\), got "default"$/,
            /^teams\[0\]\.namespaces\[1\]: .*kube-\* is reserved for Kubernetes' own namespaces\), got "kube-system"$/,
            /^teams\[0\]\.namespaces\[2\]: .*Namespace "argocd" is Argo CD's namespace \(argocd\.namespace\)\), got "argocd"$/,
            /^teams\[0\]\.namespaces\[3\]: .*Namespace "cert-manager" is the namespace of add-on cert-manager\), got "cert-manager"$/,
        ],
    },
    {
        title: "a team named default (Argo CD's allow-everything project)",
        config: () => withKeys({ teams: [team("default")], apps: [] }),
        expect: [/^teams\[0\]\.name: .*AppProject "default" is Argo CD's built-in project/],
    },
    {
        title: "a team named admin (its group would get Argo CD's built-in role:admin)",
        config: () => withKeys({ teams: [team("payments"), team("admin")] }),
        expect: [
            /^teams\[1\]\.name: .*Argo CD RBAC role "role:admin" is Argo CD's built-in admin role\), got "admin"$/,
        ],
    },
    {
        title: "a team named platform-project (the platform project's Pulumi resource name)",
        config: () => withKeys({ teams: [team("payments"), team("platform-project")] }),
        expect: [
            /^teams\[1\]\.name: .*Pulumi AppProject "dev-platform-project" is the platform project's resource name/,
        ],
    },
    {
        title: "an app named 1ledger (a Service name must be a DNS-1035 label)",
        config: () => withKeys({ apps: [{ name: "1ledger", team: "payments" }] }),
        expect: [/^apps\[0\]\.name: expected a DNS-1035 label, as Service names must be .*, got "1ledger"$/],
    },
    {
        title: "an app whose <app>-<env> Application name is longer than a DNS label",
        config: () => withKeys({ apps: [{ name: `a${"b".repeat(57)}`, team: "payments" }] }),
        expect: [
            /^apps\[0\]\.name: expected an app name whose Application "ab+\.\.\." \(66 characters\) is a DNS label of at most 63 characters, got "ab{57}"$/,
        ],
        stack: "staging",
    },
    {
        title: "an app whose namespace is not one of its team's (Argo CD would refuse to sync it)",
        config: () => withKeys({ apps: [{ name: "checkout", team: "payments", namespace: "billing" }] }),
        expect: [
            /^apps\[0\]\.namespace: expected one of team payments's namespaces \(payments\), which its AppProject allows, got "billing"$/,
        ],
    },
    {
        title: "an unknown environment: one problem, not one per default it would have supplied",
        config: () => withKeys({ environment: "production" }),
        expect: [/^environment: expected one of "dev" \| "staging" \| "prod", got "production"$/],
    },
    {
        title: "a name with an invisible character, quoted with escapes",
        config: () => withKeys({ apps: [{ name: "led\u200bger", team: "payments" }] }),
        expect: [/^apps\[0\]\.name: expected a DNS-1035 label.*, got "led\\u200bger"$/],
    },
    {
        title: "a team name with a look-alike (Cyrillic) letter, quoted with escapes, not again at its apps",
        config: () => withKeys({ teams: [team("p\u0430yments")] }),
        expect: [/^teams\[0\]\.name: expected a DNS label .*, got "p\\u0430yments"$/],
    },
    {
        title: "an SSO group that would add a line to Argo CD's policy.csv",
        config: () =>
            withKeys({
                teams: [team("payments", { group: "acme\ng, acme:payments, role:admin" })],
            }),
        expect: [
            /^teams\[0\]\.group: expected an SSO group name for Argo CD's RBAC policy\.csv .*, got "acme\\ng, acme:payments, role:admin"$/,
        ],
    },
    {
        title: "an admin group with a comma",
        config: () => withKeys({ argocd: { adminGroups: ["ops, role:admin"] } }),
        expect: [/^argocd\.adminGroups\[0\]: expected an SSO group name .*, got "ops, role:admin"$/],
    },
    {
        title: "a GitOps branch git refuses",
        config: () => withKeys({ gitops: { branch: "main..next" } }),
        expect: [/^gitops\.branch: expected a Git branch name .*, got "main\.\.next"$/],
    },
    {
        title: "two teams sharing a GitHub team (the GitOps repository grants it access twice)",
        config: () => withKeys({ teams: [team("payments"), team("billing", { githubTeam: "payments" })] }),
        expect: [/^teams\[1\]\.githubTeam: expected a GitHub team slug that no other key claims/],
    },
    {
        title: "a GitHub team slug too long for the app repositories' team-<slug> topic",
        config: () => withKeys({ teams: [team("payments", { githubTeam: "p".repeat(46) })] }),
        expect: [
            /^teams\[0\]\.githubTeam: expected a GitHub team slug whose app repository topic "team-p+" is a GitHub topic/,
        ],
    },
];

/** prod with one spoke change: spoke tests start from the shipped hub-and-spoke stack. */
function prodWith(change: (config: Record<string, unknown>) => void): Record<string, unknown> {
    const config = stackConfig("prod");
    change(config);
    return config;
}

type Spoke = { name: string; server: string; labels?: Record<string, string> };
const spokes = (config: Record<string, unknown>) => config[`${p}workloadClusters`] as Spoke[];

const spokeCases: typeof cases = [
    {
        title: "an app whose <app>-<cluster> Application is an add-on's fan-out Application",
        config: () =>
            prodWith((config) => {
                const apps = config[`${p}apps`] as { name: string; team: string }[];
                apps.push({ name: "cert-manager", team: apps[0].team });
            }),
        expect: [
            /^apps\[\d+\]\.name: expected an app name other than a reserved name \(Application "cert-manager-prod-eu" is add-on cert-manager fanned out to prod-eu\), got "cert-manager"$/,
        ],
    },
    {
        title: "a spoke registered at the hub's own in-cluster URL",
        config: () => prodWith((config) => (spokes(config)[0].server = "https://kubernetes.default.svc/")),
        expect: [/^workloadClusters\[0\]\.server: expected the URL of another cluster's API server/],
    },
    {
        title: "a spoke named in-cluster (Argo CD's name for its own cluster)",
        config: () => prodWith((config) => (spokes(config)[0].name = "in-cluster")),
        expect: [
            /^workloadClusters\[0\]\.name: .*Argo CD cluster "in-cluster" is Argo CD's name for the cluster it runs in/,
        ],
    },
    {
        title: "cluster labels the platform sets itself, and labels the API server refuses",
        config: () =>
            prodWith((config) => {
                spokes(config)[0].labels = { "enable_external-dns": "true" };
                spokes(config)[1].labels = { "tier/": "x", region: "eu west" };
            }),
        expect: [
            /^workloadClusters\[1\]\.labels\.tier\/: expected a label key/,
            /^workloadClusters\[1\]\.labels\.region: expected a label value .*, got "eu west"$/,
        ],
    },
    {
        title: "a cluster label key the platform sets itself",
        config: () => prodWith((config) => (spokes(config)[0].labels = { "enable_external-dns": "true" })),
        expect: [
            /^workloadClusters\[0\]\.labels\.enable_external-dns: expected a label key the platform does not set itself/,
        ],
    },
];

describe("hostile stack config (issue 11 B): one clear problem per key, nothing registered", () => {
    for (const testCase of [...cases, ...spokeCases]) {
        it(`refuses ${testCase.title}`, async () => {
            const problems = await reject(testCase.config(), testCase.stack);
            assert.equal(problems.length, testCase.expect.length, problems.join("\n"));
            testCase.expect.forEach((pattern, index) => assert.match(problems[index], pattern));
        });
    }

    it("reports problems of different keys all at once", async () => {
        const problems = await reject(
            withKeys({
                teams: [team("payments"), team("platform")],
                apps: [
                    { name: "checkout", team: "payments", namespace: "billing" },
                    { name: "ledger", team: "payments", namespace: "kube-system" },
                ],
            }),
        );
        assert.deepEqual(
            problems.map((problem) => problem.split(":")[0]),
            ["teams[1].name", "apps[0].namespace", "apps[1].namespace"],
            problems.join("\n"),
        );
    });

    it("still accepts the shipped stacks and the minimal config", async () => {
        for (const stack of ["dev", "staging", "prod"]) await runPlatform(stack, stackConfig(stack));
        await runPlatform("dev", minimalConfig());
    });
});

describe("Kubernetes name rules (k8s.io/apimachinery validation.go)", () => {
    const table: [names.NameRule, string[], string[]][] = [
        [
            names.dns1123Label,
            ["a", "0", "a-b", "1ledger", "a".repeat(63)],
            ["", "A", "-a", "a-", "a_b", "a.b", "a".repeat(64), "led\u200bger"],
        ],
        [names.dns1035Label, ["a", "a-1", "a".repeat(63)], ["1ledger", "", "a-", "A", "a".repeat(64)]],
        [
            names.dns1123Subdomain,
            ["a", "a.b", "a-1.b-2", `${"a".repeat(63)}.${"b".repeat(63)}`],
            ["", "a..b", ".a", "a.", "A.b", `${"a.".repeat(126)}ab`, `${"a".repeat(64)}.b`],
        ],
        [names.labelValue, ["", "a", "A.b_c-1", "a".repeat(63)], ["-a", "a-", "a b", "a/b", "a".repeat(64)]],
        [
            names.labelKey,
            ["a", "example.com/a", "A_b.c", `${"a".repeat(63)}`],
            ["/a", "a/", "a/b/c", "Example.com/a", "a b", `${"a".repeat(64)}`, "x/-a"],
        ],
        [
            names.hostname,
            ["argocd.example.com", "a.io", "xn--80ak6aa92e.com"],
            ["argocd", "Argocd.example.com", "argocd.example.com.", "10.0.0.1", "*.example.com", "a..b.com"],
        ],
        [
            names.gitBranch,
            ["main", "release/1.2", "feature/a-b_c"],
            ["", "-x", "a..b", "a b", "a/", "a.lock", "@", "x@{y", "a//b", ".a"],
        ],
        [names.rbacSubject, ["acme:payments", "Platform Admins"], ["", "a,b", 'a"b', "a\nb", " a", "#a"]],
        [names.gitHubTopic, ["team-payments", "a".repeat(50)], ["Team", "team_x", "-a", "a".repeat(51)]],
    ];
    for (const [rule, valid, invalid] of table) {
        it(`${rule.expected.split(" (")[0]}: accepts ${valid.length}, refuses ${invalid.length}`, () => {
            for (const value of valid) assert.ok(rule.test(value), `refused ${quote(value)}`);
            for (const value of invalid) assert.ok(!rule.test(value), `accepted ${quote(value)}`);
        });
    }
});

describe("error formatting of hostile strings", () => {
    it("quotes invisible and look-alike characters with escapes, and cuts long values with their length", () => {
        assert.equal(quote("led\u200bger"), '"led\\u200bger"');
        assert.equal(quote("p\u0430yments"), '"p\\u0430yments"');
        assert.equal(quote("a\nb"), '"a\\nb"');
        assert.equal(quote("x".repeat(100)), `"${"x".repeat(57)}..." (100 characters)`);
    });

    it("quotes odd keys in a path, and escapes what is left invisible in a finished message", () => {
        assert.equal(formatPath(["addons", "cert-manager", "version"]), "addons.cert-manager.version");
        assert.equal(formatPath(["labels", "a\u200bb"]), 'labels["a\\u200bb"]');
        assert.equal(escapeInvisible("x\u202ey"), "x\\u202ey");
        assert.deepEqual(new ConfigError(["a: got \u200b"]).problems, ["a: got \\u200b"]);
    });
});

describe("stack files read as pulumi reads them (file:line:column)", () => {
    const parse = (text: string) => () => parseStackFile(text, "Pulumi.x.yaml", "gitops-platform");
    const refuses = (text: string, pattern: RegExp) =>
        assert.throws(parse(text), (err: unknown) => {
            assert.ok(ConfigError.isConfigError(err), String(err));
            assert.equal(err.problems.length, 1, err.problems.join("\n"));
            assert.match(err.problems[0], pattern);
            return true;
        });

    it("refuses tabs as indentation", () =>
        refuses(
            "config:\n  gitops-platform:cluster:\n\tname: c\n",
            /^Pulumi\.x\.yaml:3:1: expected indentation with spaces \(YAML does not allow tabs there\), got a tab$/,
        ));
    it("refuses a key given twice", () =>
        refuses(
            "config:\n  gitops-platform:teams: []\n  gitops-platform:teams: []\n",
            /^Pulumi\.x\.yaml:3:3: expected each key once in a map, got "gitops-platform:teams" a second time$/,
        ));
    it("refuses the same key bare and with the project's namespace", () =>
        refuses(
            "config:\n  teams: []\n  gitops-platform:teams: []\n",
            /^Pulumi\.x\.yaml:3:3: expected each config key once, got "gitops-platform:teams" after "teams"/,
        ));
    it("refuses a list instead of a map", () =>
        refuses(
            "- config\n- teams\n",
            /^Pulumi\.x\.yaml:1:1: expected a map of stack settings .*, got a list$/,
        ));
    it("refuses a config: that is not a map", () =>
        refuses(
            "config:\n  - a\n",
            /^Pulumi\.x\.yaml:2:3: expected config to be a map of <namespace>:<name> keys, got a list$/,
        ));
    it("refuses a key with two namespaces", () =>
        refuses(
            "config:\n  a:b:c: 1\n",
            /^Pulumi\.x\.yaml:2:3: expected a config key of the form <namespace>:<name> or <name>, got "a:b:c"$/,
        ));
    it("refuses a malformed encrypted value", () =>
        refuses(
            "config:\n  gitops-platform:githubToken:\n    secure: 1\n",
            /^Pulumi\.x\.yaml:3:5: expected an encrypted value \{ secure: <ciphertext> \} alone/,
        ));
    it("refuses an alias bomb instead of expanding it", () => {
        const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 1; i < 8; i++)
            levels.push(
                `${"abcdefgh"[i]}: &${"abcdefgh"[i]} [${Array(10)
                    .fill(`*${"abcdefgh"[i - 1]}`)
                    .join(", ")}]`,
            );
        const text = `config:\n  gitops-platform:bomb:\n${levels.map((l) => `    ${l}`).join("\n")}\n`;
        refuses(text, /^Pulumi\.x\.yaml:3:5: expected a value of reasonable size/);
    });
    it("reads an empty file, and a file without config:, as no config", () => {
        assert.deepEqual(parse("")(), {});
        assert.deepEqual(parse("secretsprovider: passphrase\n")(), {});
    });
});
