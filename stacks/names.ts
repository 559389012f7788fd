/**
 * The API server's own rules for names, label keys and values, and hostnames, plus the few other naming
 * rules that the objects this platform creates must meet (GitHub topics, Git branch names, Argo CD RBAC
 * subjects). Each rule is a predicate plus the phrase a message gives after `expected`.
 *
 * Kubernetes rules are those of k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue), which the API server applies to
 * `metadata.name` (ValidateObjectMeta with the kind's NameIsDNS* function), to Service names (DNS-1035, see
 * k8s.io/kubernetes/pkg/apis/core/validation ValidateServiceName) and to labels (ValidateLabels). npm has no
 * maintained package of these validators (kubernetes-models validates shapes, not names), so they are
 * encoded here. Every predicate is one left-to-right pass over its input, with no regular expression, so
 * any input is judged in linear time.
 */

/** A naming rule: a predicate, and what a message says was expected. */
export interface NameRule {
    /** Upper bound on the length, in UTF-16 units (ASCII characters, for every valid name). */
    maxLength: number;
    /** Whether `value` meets the rule. Linear in `value.length`. */
    test(value: string): boolean;
    /** The `expected …` phrase of a message, e.g. `a DNS label (RFC 1123: …)`. */
    expected: string;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLowerAlnum = (c: number): boolean => isLower(c) || isDigit(c);
const isAlnum = (c: number): boolean => isLowerAlnum(c) || isUpper(c);
const hyphen = 45;
const dot = 46;
const underscore = 95;

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` over `value[from, to)`, with a first-character test. */
function labelBody(value: string, from: number, to: number, first: (c: number) => boolean): boolean {
    if (to <= from || !first(value.charCodeAt(from)) || !isLowerAlnum(value.charCodeAt(to - 1))) return false;
    for (let i = from + 1; i < to - 1; i++) {
        const c = value.charCodeAt(i);
        if (!isLowerAlnum(c) && c !== hyphen) return false;
    }
    return true;
}

/** `label('.' label)*` where every label is a DNS-1123 label of at most 63 characters. */
function dnsLabels(value: string, from: number, to: number): boolean {
    let start = from;
    for (let i = from; i <= to; i++) {
        if (i === to || value.charCodeAt(i) === dot) {
            if (i - start > 63 || !labelBody(value, start, i, isLowerAlnum)) return false;
            start = i + 1;
        }
    }
    return true;
}

/** validation.go IsDNS1123Label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters. */
export const dns1123Label: NameRule = {
    maxLength: 63,
    test: (value) => value.length <= 63 && labelBody(value, 0, value.length, isLowerAlnum),
    expected:
        "a DNS label (RFC 1123: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit)",
};

/**
 * validation.go IsDNS1123Subdomain: DNS-1123 labels joined by `.`, at most 253 characters. (The API server
 * checks the subdomain pattern, which allows a label longer than 63 when the whole fits in 253; this rule
 * keeps every label to 63 as DNS does, so a subdomain is always a usable DNS name.)
 */
export const dns1123Subdomain: NameRule = {
    maxLength: 253,
    test: (value) => value.length <= 253 && dnsLabels(value, 0, value.length),
    expected:
        "a DNS subdomain (RFC 1123: lowercase DNS labels of at most 63 characters joined by '.', at most 253 in all)",
};

/** validation.go IsDNS1035Label: `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters. Service names. */
export const dns1035Label: NameRule = {
    maxLength: 63,
    test: (value) => value.length <= 63 && labelBody(value, 0, value.length, isLower),
    expected:
        "a DNS-1035 label, as Service names must be (at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)",
};

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` over `value[from, to)`. */
function qualifiedNamePart(value: string, from: number, to: number): boolean {
    if (to <= from || !isAlnum(value.charCodeAt(from)) || !isAlnum(value.charCodeAt(to - 1))) return false;
    for (let i = from + 1; i < to - 1; i++) {
        const c = value.charCodeAt(i);
        if (!isAlnum(c) && c !== hyphen && c !== underscore && c !== dot) return false;
    }
    return true;
}

/**
 * validation.go IsValidLabelValue: empty, or at most 63 characters of `[-A-Za-z0-9_.]` starting and
 * ending with a letter or digit.
 */
export const labelValue: NameRule = {
    maxLength: 63,
    test: (value) => value === "" || (value.length <= 63 && qualifiedNamePart(value, 0, value.length)),
    expected:
        "a label value (empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
};

/**
 * validation.go IsQualifiedName, the rule for label and annotation keys: an optional DNS-1123 subdomain
 * prefix and `/`, then a name of at most 63 characters of `[-A-Za-z0-9_.]` starting and ending with a letter
 * or digit.
 */
export const labelKey: NameRule = {
    maxLength: 253 + 1 + 63,
    test: (value) => {
        const slash = value.indexOf("/");
        if (slash < 0) return value.length <= 63 && qualifiedNamePart(value, 0, value.length);
        const name = value.length - slash - 1;
        return (
            slash <= 253 &&
            dnsLabels(value, 0, slash) &&
            name <= 63 &&
            qualifiedNamePart(value, slash + 1, value.length)
        );
    },
    expected:
        "a label key ([prefix/]name: an optional DNS subdomain prefix, then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
};

/**
 * A fully qualified hostname, as an Ingress `host`, a TLS certificate and a webhook URL take it: a DNS-1123
 * subdomain (validation.go IsDNS1123Subdomain, each label at most 63, at most 253 in all) of at least two
 * labels, whose last label (the top-level domain) starts with a letter, so it is never an IP address
 * (RFC 1123 section 2.1). No wildcard.
 */
export const hostname: NameRule = {
    maxLength: 253,
    test: (value) => {
        const lastDot = value.lastIndexOf(".");
        return (
            value.length <= 253 &&
            lastDot > 0 &&
            lastDot + 1 < value.length &&
            isLower(value.charCodeAt(lastDot + 1)) &&
            dnsLabels(value, 0, value.length)
        );
    },
    expected:
        "a fully qualified hostname such as argocd.example.com (lowercase DNS labels of at most 63 characters joined by '.', at most 253 in all, ending in a top-level domain)",
};

/** An IPv4 address in dotted-quad form (four decimal octets 0-255, no leading zeros). */
export const ipv4Address: NameRule = {
    maxLength: 15,
    test: (value) => {
        const parts = value.split(".");
        return (
            value.length <= 15 &&
            parts.length === 4 &&
            parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255)
        );
    },
    expected: "an IPv4 address such as 10.0.0.25",
};

/** A server's address as a client dials it: a fully qualified hostname, or an IPv4 address (e.g. an SMTP relay). */
export const serverAddress: NameRule = {
    maxLength: 253,
    test: (value) => hostname.test(value) || ipv4Address.test(value),
    expected: "a fully qualified hostname such as smtp.example.com, or an IPv4 address such as 10.0.0.25",
};

/**
 * A GitHub repository topic: at most 50 characters, lowercase letters, digits and `-`, starting with a
 * letter or digit (GitHub's rule, docs "Classifying your repository with topics"; the API answers 422
 * otherwise).
 */
export const gitHubTopic: NameRule = {
    maxLength: 50,
    test: (value) => {
        if (value.length === 0 || value.length > 50 || !isLowerAlnum(value.charCodeAt(0))) return false;
        for (let i = 1; i < value.length; i++) {
            const c = value.charCodeAt(i);
            if (!isLowerAlnum(c) && c !== hyphen) return false;
        }
        return true;
    },
    expected:
        "a name that makes a GitHub topic (at most 50 lowercase letters, digits and '-', starting with a letter or digit)",
};

/**
 * A Git branch name, by `git check-ref-format --branch` (git's refs.c check_refname_component): no ASCII
 * control character, space, `~ ^ : ? * [ \`, no `..` or `@{`, no component that starts with `.` or ends
 * with `.lock`, not `@`, not starting with `-` or `/`, not ending with `/` or `.`, no `//`. At most 255
 * characters (a ref is a file name on most Git servers).
 */
export const gitBranch: NameRule = {
    maxLength: 255,
    test: (value) => {
        if (value.length === 0 || value.length > 255 || value === "@") return false;
        if (value.startsWith("-") || value.startsWith("/") || value.endsWith("/") || value.endsWith("."))
            return false;
        let componentStart = 0;
        for (let i = 0; i <= value.length; i++) {
            const ch = i < value.length ? value[i] : "/";
            const c = ch.charCodeAt(0);
            if (ch === "/") {
                const component = value.slice(componentStart, i);
                if (component === "" || component.startsWith(".") || component.endsWith(".lock"))
                    return false;
                componentStart = i + 1;
                continue;
            }
            if (c < 0x20 || c === 0x7f || " ~^:?*[\\".includes(ch)) return false;
            if (ch === "." && value[i + 1] === ".") return false;
            if (ch === "@" && value[i + 1] === "{") return false;
        }
        return true;
    },
    expected:
        "a Git branch name (git check-ref-format: no spaces, control characters, '~^:?*[\\', '..' or '@{', no component starting with '.' or ending in '.lock', not starting with '-' or ending with '/' or '.')",
};

/**
 * A subject (SSO group) in Argo CD's RBAC `policy.csv`, which is CSV read by casbin: printable text with no
 * comma, quote or line break, and no space at either end, so a group can never add or change a policy line.
 * At most 256 characters.
 */
export const rbacSubject: NameRule = {
    maxLength: 256,
    test: (value) => {
        if (value.length === 0 || value.length > 256) return false;
        if (value[0] === " " || value[value.length - 1] === " " || value[0] === "#") return false;
        for (let i = 0; i < value.length; i++) {
            const c = value.charCodeAt(i);
            if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0x2028 || c === 0x2029)
                return false;
            if (value[i] === "," || value[i] === '"') return false;
        }
        return true;
    },
    expected:
        "an SSO group name for Argo CD's RBAC policy.csv (at most 256 printable characters, no comma, double quote or line break, no leading '#' or space at either end)",
};
