import { z } from "zod";
import { describeValue, quote } from "../errors";
import * as names from "../names";
import type { NameRule } from "../names";

/**
 * Refinements shared by the config schema's sections. Every object in the schema is strict, so a misspelt
 * key is an error rather than a silently ignored setting.
 */

/** Environments this platform knows; each has its own defaults in `defaults.ts`. */
export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

/**
 * A string judged by a naming rule of `../names` (the API server's rules, and the platform's own): one
 * `expected <rule>, got "<value>"` issue when it fails. Linear in the length of the value.
 */
export function nameOf(rule: NameRule): z.ZodType<string> {
    return z.string().superRefine((value, ctx) => {
        if (!rule.test(value)) {
            ctx.addIssue({
                code: "custom",
                message: `expected ${rule.expected}, got ${describeValue(value)}`,
            });
        }
    });
}

/** A DNS-1123 label (k8s.io/apimachinery validation.go IsDNS1123Label): namespaces, teams, clusters. */
export const dnsLabel = nameOf(names.dns1123Label);
/** A DNS-1035 label (validation.go IsDNS1035Label): what becomes a Service name, i.e. app names. */
export const dns1035Label = nameOf(names.dns1035Label);
/** A fully qualified hostname: a DNS-1123 subdomain of at least two labels; see `names.hostname`. */
export const hostname = nameOf(names.hostname);
/** A hostname or an IPv4 address a client dials, e.g. an SMTP relay; see `names.serverAddress`. */
export const serverAddress = nameOf(names.serverAddress);
/** A label key (validation.go IsQualifiedName). */
export const labelKey = nameOf(names.labelKey);
/** A label value (validation.go IsValidLabelValue). */
export const labelValue = nameOf(names.labelValue);
/** A Git branch name (git check-ref-format). */
export const gitBranch = nameOf(names.gitBranch);
/** An SSO group as Argo CD's RBAC policy.csv takes it. */
export const rbacSubject = nameOf(names.rbacSubject);
/** An exact semantic version: no ranges, no `*`, no `latest`. */
export const exactVersion = z
    .string()
    .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "an exact version such as 1.2.3 (no ranges)");
export const duration = z.string().regex(/^\d+(s|m|h)$/, "a duration such as 30s, 5m or 1h");
export const positiveInt = z.number().int().min(1);

/** Reports every item whose `name` an earlier item of the list already has. */
export function uniqueNames(
    items: { name: string }[],
    path: (string | number)[],
    ctx: z.RefinementCtx,
): void {
    const seen = new Set<string>();
    items.forEach((item, index) => {
        if (seen.has(item.name)) {
            ctx.addIssue({
                code: "custom",
                path: [...path, index, "name"],
                message: `expected a unique name, got ${quote(item.name)} a second time`,
            });
        }
        seen.add(item.name);
    });
}
