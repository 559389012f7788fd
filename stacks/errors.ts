import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * A problem with the stack configuration. It extends `pulumi.RunError`, so `pulumi up` prints the message
 * alone, without a stack trace, and the offline render exits with code 2.
 */
export class ConfigError extends pulumi.RunError {
    /** Every problem found, one `key.path: expected …, got …` line each. */
    public readonly problems: string[];

    constructor(problems: string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((problem) => `  - ${problem}`).join("\n"),
        );
        this.name = "ConfigError";
        this.problems = problems;
    }

    public static isConfigError(err: unknown): err is ConfigError {
        return (
            err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems)
        );
    }
}

/** Formats a path as `argocd.replicas.server` or `teams[1].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path
        .map((part, index) =>
            typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
        )
        .join("");
}

/** Describes a user-supplied value briefly, for the `got …` half of a message. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (typeof value === "string")
        return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    if (Array.isArray(value)) return `a list of ${value.length}`;
    if (typeof value === "object") return "an object";
    return `${typeof value} ${String(value)}`;
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
