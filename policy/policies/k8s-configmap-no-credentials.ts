import { isChart } from "../lib/argo";
import { embeddedPair, hasPasswordInUrl } from "../lib/credentials";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { helmTypes, k8sTypes } from "../lib/types";
import { at, isObj, obj, str, violation, type Obj } from "../lib/values";

interface Config {
    allowedKeys?: string[];
    chartNames?: string[];
}

/** Key names that hold credentials. */
const credentialKey =
    /(password|passwd|passphrase|secret|token|api[-_.]?key|private[-_.]?key|credential|access[-_.]?key|bearer)/i;
/** Key names that only point at or describe a credential. */
const descriptiveKey =
    /(name|ref|path|file|ttl|expiry|expiration|duration|length|enabled|url|endpoint|type)$/i;
/**
 * Values that look like credentials whatever their key. Every test is linear in the value: the regular
 * expressions start with a literal and cannot backtrack past it (each run they scan ends at a character the
 * run cannot hold), and the password-in-a-URL test is a scan, because its regular expression
 * (`[a-z][a-z0-9+.-]*:\/\/…`, unanchored) took quadratic time on a long run of letters: 35–50 s for one
 * 100,000-character value.
 */
const credentialValues: [string, (value: string) => boolean][] = [
    ["a private key", (v) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)],
    ["an AWS access key", (v) => /\bAKIA[0-9A-Z]{16}\b/.test(v)],
    ["a GitHub token", (v) => /\b(gh[opusr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})\b/.test(v)],
    ["a Slack token", (v) => /\bxox[abprs]-[A-Za-z0-9-]{10,}/.test(v)],
    [
        "a Slack webhook URL",
        (v) => /hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/.test(v),
    ],
    ["a password in a URL", hasPasswordInUrl],
];

/** A value that only references a credential kept elsewhere: Argo CD `$secret:key`, `${ENV}`, or nothing. */
function isReference(value: string): boolean {
    const v = value.trim().replace(/^["']|["']$/g, "");
    return v === "" || v.startsWith("$") || v === "|" || v === ">" || /^(true|false|null|\d+)$/.test(v);
}

/** What in one entry looks like a credential: never the value itself, which must not reach a log. */
function findings(key: string, value: string, allowed: Set<string>): string[] {
    const found: string[] = [];
    if (!allowed.has(key)) {
        for (const [what, looksLike] of credentialValues)
            if (looksLike(value)) found.push(`key "${key}" holds ${what}`);
        const leaf = key.split(".").pop() ?? key;
        if (credentialKey.test(key) && !descriptiveKey.test(leaf) && !isReference(value)) {
            found.push(`key "${key}" holds a literal credential`);
        }
        for (const line of value.split("\n").slice(value.includes("\n") ? 0 : 1)) {
            const pair = embeddedPair(line);
            if (!pair || allowed.has(pair.key)) continue;
            if (credentialKey.test(pair.key) && !descriptiveKey.test(pair.key) && !isReference(pair.value)) {
                found.push(`key "${key}" embeds a literal "${pair.key}"`);
            }
        }
    }
    return [...new Set(found)];
}

function scan(entries: Obj, allowed: Set<string>, decode = false, prefix = ""): string[] {
    return Object.entries(entries).flatMap(([name, raw]) => {
        const key = `${prefix}${name}`;
        if (isObj(raw)) return scan(raw, allowed, decode, `${key}.`);
        if (Array.isArray(raw)) return scan(Object.fromEntries(raw.entries()), allowed, decode, `${key}.`);
        if (raw === undefined || raw === null) return [];
        const value =
            decode && typeof raw === "string" ? Buffer.from(raw, "base64").toString("utf8") : String(raw);
        return findings(key, value, allowed);
    });
}

const fix =
    "move the credential to a Kubernetes Secret (e.g. argocd-secret, managed by Pulumi from secret config) and " +
    "reference it (`$key` in Argo CD config maps, or secretKeyRef in a pod).";

/** A ConfigMap is readable by anyone who can read the namespace, and is stored unencrypted. */
export const k8sConfigmapNoCredentials: PackResourcePolicy = {
    name: "k8s-configmap-no-credentials",
    description:
        "ConfigMaps (and the Argo CD config maps built from the chart's values) hold no credential-like keys or values.",
    severity: "critical",
    remediationSteps:
        "Store passwords, tokens, client secrets and keys in a Secret, set through `pulumi config set --secret`, " +
        "and reference them: Argo CD config maps take `$<key>` references to argocd-secret. Add a key to the " +
        "`allowedKeys` knob only when it is not a credential.",
    configSchema: {
        properties: {
            allowedKeys: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Keys that look like credentials but are not.",
            },
            chartNames: {
                type: "array",
                items: { type: "string" },
                default: ["argo-cd"],
                description:
                    "Charts whose config map values (configs.cm, configs.params, notifications) are checked.",
            },
        },
    },
    validateResource: validateTypes([k8sTypes.configMap, helmTypes.release], (props, args, report) => {
        const config = args.getConfig<Config>();
        const allowed = new Set(config.allowedKeys ?? []);
        if (args.type === k8sTypes.configMap) {
            const name = str(at(props, "metadata", "name")) ?? args.name;
            const found = [...scan(obj(props.data), allowed), ...scan(obj(props.binaryData), allowed, true)];
            for (const finding of found) report(violation(`ConfigMap ${name}: ${finding}.`, fix));
            return;
        }
        if (!isChart(str(props.chart), config.chartNames ?? ["argo-cd"]))
            args.notApplicable("not an Argo CD chart");
        const values = obj(props.values);
        const maps: [string, Obj][] = [
            ["argocd-cm (configs.cm)", obj(at(values, "configs", "cm"))],
            ["argocd-cmd-params-cm (configs.params)", obj(at(values, "configs", "params"))],
            ["argocd-rbac-cm (configs.rbac)", obj(at(values, "configs", "rbac"))],
            [
                "argocd-notifications-cm (notifications.notifiers)",
                obj(at(values, "notifications", "notifiers")),
            ],
        ];
        for (const [where, entries] of maps) {
            for (const finding of scan(entries, allowed))
                report(violation(`${where} of ${args.name}: ${finding}.`, fix));
        }
    }),
};
