import { UnknownValueError } from "@pulumi/policy";

/**
 * Helpers for reading resource properties. CrossGuard hands policies plain JSON wrapped in a proxy that
 * throws `UnknownValueError` when a value cannot be known during preview (e.g. an output of a resource
 * that does not exist yet), so reads that may hit such a value go through `known`.
 */

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as an object, or an empty one. */
export function obj(value: unknown): Obj {
    return isObj(value) ? value : {};
}

/** The value as a list, or an empty one. */
export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** The value as a string, or undefined. */
export function str(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The strings of a list; anything else is dropped. */
export function strings(value: unknown): string[] {
    return list(value).filter((item): item is string => typeof item === "string");
}

/** The value at a key path, or undefined when any step is missing. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (!isObj(current)) return undefined;
        current = current[key];
    }
    return current;
}

/** Boolean config values arrive as booleans in Helm values and as strings in ConfigMaps. */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
    return value === false || value === "false";
}

/** A number, or a string holding one (Helm values and Argo CD fields accept both). */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        return Number(value);
    return undefined;
}

/** Argo CD (Go) template placeholders: their value is only known per generated Application. */
export function isTemplated(value: unknown): boolean {
    return typeof value === "string" && value.includes("{{");
}

/** Marks a value that exists but cannot be known until the update runs. */
export const unknown: unique symbol = Symbol("unknown during preview");

/** Reads a value; returns `unknown` when it cannot be known during preview instead of throwing. */
export function known<T>(read: () => T): T | typeof unknown {
    try {
        return read();
    } catch (err) {
        if (err instanceof UnknownValueError) return unknown;
        throw err;
    }
}

/** Joins a problem and its fix into one violation message. */
export function violation(problem: string, fix: string): string {
    return `${problem} Fix: ${fix}`;
}

/** A JSON rendering of a short, non-secret value for messages. */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
