import { z } from "zod";

/**
 * Refinements shared by the config schema's sections. Every object in the schema is strict, so a misspelt
 * key is an error rather than a silently ignored setting.
 */

/** Environments this platform knows; each has its own defaults in `defaults.ts`. */
export const environments = ["dev", "staging", "prod"] as const;
export type Environment = (typeof environments)[number];

export const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lowercase letters, digits and '-')");
export const hostname = z
    .string()
    .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/,
        "a fully qualified hostname such as argocd.example.com",
    );
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
                message: `expected a unique name, got "${item.name}" a second time`,
            });
        }
        seen.add(item.name);
    });
}
