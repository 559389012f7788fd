import { z } from "zod";
import { addonNames } from "../../components/addons/catalog";
import { addonProblems } from "../../components/addons/plan";
import { helmRepositoryUrl } from "./argocd";
import { dnsLabel, exactVersion, hostname } from "./common";

const addonMode = z.enum(["gitops", "direct"]);

/** One add-on in one environment; every field but `enabled` falls back to the catalog. */
const addonSettingsSchema = z.strictObject({
    /** Install the add-on in this environment. */
    enabled: z.boolean().optional(),
    /** Exact chart version; the catalog's pin when unset. Set it in one stack first to promote a version. */
    version: exactVersion.optional(),
    /**
     * Helm repository the chart comes from, e.g. a mirror (Artifactory, Harbor, ChartMuseum); the
     * catalog's when unset. http(s) only: Argo CD reads OCI charts through a repository Secret instead.
     */
    repoURL: helmRepositoryUrl.optional(),
    /** Argo CD sync wave in the app-of-apps root; the catalog's when unset. CRD owners come first. */
    syncWave: z.number().int().optional(),
    /** `gitops` (an Argo CD Application) or `direct` (a Pulumi Helm release); `addons.mode` when unset. */
    mode: addonMode.optional(),
    /** Helm values merged over the built ones. */
    values: z.record(z.string(), z.unknown()).optional(),
});

const addonEntries = Object.fromEntries(
    addonNames.map((name) => [name, addonSettingsSchema.optional()]),
) as Record<(typeof addonNames)[number], z.ZodOptional<typeof addonSettingsSchema>>;

/** The add-ons of the catalog per environment, how they are installed, and cert-manager/external-dns settings. */
export const addonsSchema = z
    .object({
        /** How add-ons are installed unless an add-on says otherwise. */
        mode: addonMode,
        /** cert-manager's ACME ClusterIssuer, created when set. */
        acme: z
            .strictObject({
                /** Registration email; expiry warnings go here. */
                email: z.email({ error: "an email address" }),
                /** ACME directory; Let's Encrypt production when unset. */
                server: z.url({ protocol: /^https$/, error: "an https URL" }).optional(),
                /** ClusterIssuer name; `argocd.clusterIssuer` (or `letsencrypt`) when unset. */
                issuerName: dnsLabel.optional(),
            })
            .optional(),
        /** external-dns settings; provider and domainFilters are required when it is enabled. */
        dns: z
            .strictObject({
                /** external-dns provider, e.g. aws, google, azure, cloudflare. */
                provider: z
                    .string()
                    .regex(/^[a-z0-9-]+$/, "an external-dns provider name such as aws")
                    .optional(),
                /** Zones external-dns may change. */
                domainFilters: z.array(hostname).optional(),
                /** `sync` deletes records it no longer needs; `upsert-only` never deletes. */
                policy: z.enum(["sync", "upsert-only"]).optional(),
                /** TXT owner id; the cluster name when unset. */
                txtOwnerId: z.string().min(1).optional(),
            })
            .optional(),
        ...addonEntries,
    })
    .catchall(
        z.custom<unknown>(() => false, {
            error: `expected an add-on of the catalog (${addonNames.join(", ")}) or mode, acme, dns; got an unknown key`,
        }),
    )
    // Every other key was rejected above, so the parsed value has exactly the declared keys.
    .transform((addons) => addons as KnownKeys<typeof addons>);

/** A type without its string index signature. */
type KnownKeys<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

type Addons = z.infer<typeof addonsSchema>;

/** Whether an add-on of the catalog is switched on. */
export function addonEnabled(addons: Addons, name: (typeof addonNames)[number]): boolean {
    return addons[name]?.enabled === true;
}

/** Cross-field checks of the add-ons (catalog rules, external-dns settings); every issue names its key path. */
export function addonIssues(config: { addons: Addons }, ctx: z.RefinementCtx): void {
    const { mode, dns } = config.addons;
    const addons = Object.fromEntries(addonNames.map((name) => [name, config.addons[name]]));
    for (const problem of addonProblems(addons, mode)) {
        ctx.addIssue({
            code: "custom",
            path: ["addons", problem.addon, problem.field],
            message: problem.message,
        });
    }
    if (addonEnabled(config.addons, "external-dns")) {
        if (!dns?.provider) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "dns", "provider"],
                message:
                    "expected an external-dns provider such as aws (external-dns is enabled), got nothing",
            });
        }
        if (!dns?.domainFilters?.length) {
            ctx.addIssue({
                code: "custom",
                path: ["addons", "dns", "domainFilters"],
                message:
                    "expected at least one domain (external-dns is enabled and would otherwise manage every zone it can reach), got nothing",
            });
        }
    }
}
