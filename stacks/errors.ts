import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * A problem with the stack configuration. It extends `pulumi.RunError`, so `pulumi up` prints the message
 * alone, without a stack trace, and the offline render exits with code 2.
 */
export class ConfigError extends pulumi.RunError {
    /** Every problem found, one `key.path: expected …, got …` line each. */
    public readonly problems: string[];

    /**
     * @param problems one line each; invisible, control and bidirectional characters left in a line are
     *   escaped (`\u200b`), so a message never hides or reorders text. Lines are reported once each.
     */
    constructor(problems: string[]) {
        const lines = [...new Set(problems.map(escapeInvisible))];
        super(
            `Invalid stack configuration (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n` +
                lines.map((problem) => `  - ${problem}`).join("\n"),
        );
        this.name = "ConfigError";
        this.problems = lines;
    }

    public static isConfigError(err: unknown): err is ConfigError {
        return (
            err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems)
        );
    }
}

/**
 * Formats a path as `argocd.replicas.server`, `teams[1].name` or `addons["cert-manager"]`: a key that is not
 * a plain identifier-like word (letters, digits, `_`, `-`, `.`, `/`) is quoted with escapes, so a key with an
 * invisible or look-alike character cannot pass for another.
 */
export function formatPath(path: readonly PropertyKey[]): string {
    return path
        .map((part, index) => {
            if (typeof part === "number") return `[${part}]`;
            const key = String(part);
            if (!plainKey(key)) return `[${quote(key)}]`;
            return index === 0 ? key : `.${key}`;
        })
        .join("");
}

/** Longest string quoted whole in a message; longer ones are cut, with their length given. */
const quotedMax = 60;

/**
 * Quotes a user-supplied string for a message: JSON-style double quotes, and every character outside
 * printable ASCII escaped (`"led\u200bger"`, `"p\u0430yments"` with a Cyrillic a), so invisible and
 * look-alike characters show. Strings longer than 60 characters are cut to 57 plus `...` and their length.
 * Linear in the length of the string.
 */
export function quote(value: string): string {
    if (value.length <= quotedMax) return escapeNonAscii(JSON.stringify(value));
    return `${escapeNonAscii(JSON.stringify(`${value.slice(0, quotedMax - 3)}...`))} (${value.length} characters)`;
}

/** Describes a user-supplied value briefly, for the `got …` half of a message. Strings are `quote`d. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (typeof value === "string") return quote(value);
    if (Array.isArray(value)) return `a list of ${value.length}`;
    if (typeof value === "object") return "an object";
    return `${typeof value} ${String(value)}`;
}

/** A key printed bare in a path: ASCII letters, digits and `_-./:`, starting with a letter or digit. */
function plainKey(key: string): boolean {
    if (key.length === 0 || key.length > quotedMax) return false;
    for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        if (!alnum && (i === 0 || !"_-./:".includes(key[i]))) return false;
    }
    return true;
}

/** Escapes every UTF-16 unit outside printable ASCII as `\uXXXX` (the quotes JSON.stringify added stay). */
function escapeNonAscii(text: string): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out += c >= 0x20 && c <= 0x7e ? text[i] : `\\u${c.toString(16).padStart(4, "0")}`;
    }
    return out;
}

/**
 * Escapes what must never reach a terminal as-is in a finished message: C0/C1 controls (a problem is one
 * line), zero-width and bidirectional formatting characters, line and paragraph
 * separators, and the BOM. Typographic characters the messages use themselves (`…`, `→`) stay.
 */
export function escapeInvisible(line: string): string {
    let out = "";
    for (let i = 0; i < line.length; i++) {
        const c = line.charCodeAt(i);
        const invisible =
            c < 0x20 ||
            (c >= 0x7f && c <= 0x9f) ||
            c === 0xad ||
            c === 0x34f ||
            c === 0x61c ||
            c === 0x115f ||
            c === 0x1160 ||
            c === 0x180e ||
            (c >= 0x200b && c <= 0x200f) ||
            (c >= 0x2028 && c <= 0x202e) ||
            (c >= 0x2060 && c <= 0x206f) ||
            c === 0x3164 ||
            (c >= 0xfe00 && c <= 0xfe0f) ||
            c === 0xfeff ||
            c === 0xffa0 ||
            (c >= 0xfff0 && c <= 0xfffb) ||
            (c >= 0xd800 && c <= 0xdfff);
        out += invisible ? `\\u${c.toString(16).padStart(4, "0")}` : line[i];
    }
    return out;
}

/** Turns zod issues into `key.path: expected …, got …` lines, prefixed with the config key prefix. */
export function formatIssues(
    issues: readonly z.core.$ZodIssue[],
    prefix: readonly PropertyKey[] = [],
): string[] {
    const lines: string[] = [];
    for (const issue of issues) {
        const path = [...prefix, ...issue.path];
        const input = (issue as { input?: unknown }).input;
        switch (issue.code) {
            case "unrecognized_keys":
                for (const key of issue.keys) {
                    lines.push(
                        `${formatPath([...path, key])}: expected no such key (is it misspelt?), got an unknown key`,
                    );
                }
                break;
            case "invalid_type":
                lines.push(`${formatPath(path)}: expected ${issue.expected}, got ${describeValue(input)}`);
                break;
            case "invalid_value":
                lines.push(
                    `${formatPath(path)}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, got ${describeValue(input)}`,
                );
                break;
            case "too_small":
                lines.push(
                    `${formatPath(path)}: expected ${bound("at least", issue)}, got ${describeValue(input)}`,
                );
                break;
            case "too_big":
                lines.push(
                    `${formatPath(path)}: expected ${bound("at most", issue)}, got ${describeValue(input)}`,
                );
                break;
            case "custom":
                lines.push(`${formatPath(path)}: ${issue.message}`);
                break;
            case "invalid_key":
            case "invalid_element":
                // A record key or map element that failed its own schema: its issues, at its path.
                lines.push(...formatIssues(issue.issues, path));
                break;
            default:
                lines.push(`${formatPath(path)}: expected ${issue.message}, got ${describeValue(input)}`);
        }
    }
    return lines;
}

function bound(word: string, issue: { origin: string; minimum?: unknown; maximum?: unknown }): string {
    const limit = String(issue.minimum ?? issue.maximum);
    switch (issue.origin) {
        case "array":
            return `${word} ${limit} item(s)`;
        case "string":
            return `${word} ${limit} character(s)`;
        default:
            return `a number ${word} ${limit}`;
    }
}
