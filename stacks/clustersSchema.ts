import { z } from "zod";
import { addonNames } from "../components/addons/catalog";

const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lowercase letters, digits and '-')");
const configKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a config key name such as prodEuKubeconfig");

/** Where the hub's Argo CD gets a workload cluster's token and CA: exactly one of the two. */
const connectionSchema = z
    .strictObject({
        /** Secret config key holding a kubeconfig whose current context has a bearer token. */
        kubeconfigSecret: configKey.optional(),
        /** A cluster stack's outputs: the stack name and the output names of the token and CA. */
        stackReference: z
            .strictObject({
                stack: z
                    .string()
                    .regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, "a stack name such as acme/clusters/prod-eu"),
                tokenOutput: z.string().min(1).default("argocdToken"),
                caDataOutput: z.string().min(1).default("caData"),
            })
            .optional(),
    })
    .refine((c) => (c.kubeconfigSecret === undefined) !== (c.stackReference === undefined), {
        message: "expected exactly one of kubeconfigSecret or stackReference",
    });

/** A workload cluster the hub's Argo CD deploys to. */
export const workloadClusterSchema = z.strictObject({
    name: dnsLabel,
    /** API server URL. */
    server: z.url({ protocol: /^https$/, error: "an https URL" }),
    /** Labels that ApplicationSet cluster generators select on. Default: none. */
    labels: z.record(z.string(), z.string()).default({}),
    /** Add-ons fanned out to this cluster (each must be enabled in gitops mode). Default: none. */
    addons: z.array(z.enum(addonNames)).default([]),
    /** Per-add-on Helm value overrides for this cluster. Default: none. */
    values: z.partialRecord(z.enum(addonNames), z.record(z.string(), z.unknown())).default({}),
    /** Team apps run here (instead of on the hub). Default: `true`. */
    workloads: z.boolean().default(true),
    connection: connectionSchema,
});

export type WorkloadClusterConfig = z.infer<typeof workloadClusterSchema>;

/** Secret config keys named by `workloadClusters[].connection.kubeconfigSecret` in raw stack config. */
export function kubeconfigSecretKeys(raw: unknown): string[] {
    if (!Array.isArray(raw)) return [];
    return raw
        .map(
            (cluster) =>
                (cluster as { connection?: { kubeconfigSecret?: unknown } })?.connection?.kubeconfigSecret,
        )
        .filter((key): key is string => typeof key === "string");
}

/** Stacks named by `workloadClusters[].connection.stackReference` in raw stack config, with output names. */
export function clusterStackReferences(
    raw: unknown,
): { stack: string; tokenOutput: string; caDataOutput: string }[] {
    if (!Array.isArray(raw)) return [];
    return raw
        .map(
            (cluster) =>
                (cluster as { connection?: { stackReference?: Record<string, unknown> } })?.connection
                    ?.stackReference,
        )
        .filter((ref): ref is Record<string, unknown> => typeof ref?.stack === "string")
        .map((ref) => ({
            stack: String(ref.stack),
            tokenOutput: typeof ref.tokenOutput === "string" ? ref.tokenOutput : "argocdToken",
            caDataOutput: typeof ref.caDataOutput === "string" ? ref.caDataOutput : "caData",
        }));
}
