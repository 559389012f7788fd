import { z } from "zod";
import { addonCatalog, addonNames } from "../../components/addons/catalog";
import { ownsCrd } from "../../components/addons/plan";
import type { addonsSchema } from "./addons";
import { quote } from "../errors";
import { dnsLabel, labelKey, labelValue, uniqueNames, type Environment } from "./common";
import { iamRoleArn } from "./pipeline";

/** The hub cluster this stack deploys Argo CD to. */
export const clusterSchema = z.strictObject({
    /** Short cluster name, used in labels and resource names. */
    name: dnsLabel,
    /** kubeconfig context to use; the current context when unset. */
    context: z.string().min(1).optional(),
    /** Path to a kubeconfig file; the ambient kubeconfig (KUBECONFIG or ~/.kube/config) when unset. */
    kubeconfig: z.string().min(1).optional(),
});

const configKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a config key name such as prodEuKubeconfig");

/** Where the hub's Argo CD gets a workload cluster's credentials and CA: exactly one of the three. */
const connectionSchema = z
    .strictObject({
        /**
         * Secret config key holding a kubeconfig whose current context has a bearer token, or an EKS exec
         * (`aws eks get-token`, `aws-iam-authenticator`), which becomes `awsAuthConfig`.
         */
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
        /**
         * An EKS cluster Argo CD reaches through its own AWS identity (`awsAuthConfig`): the cluster's name,
         * the role to assume, and its CA (public, so plain config).
         */
        eks: z
            .strictObject({
                clusterName: z
                    .string()
                    .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, "an EKS cluster name such as prod-eu"),
                roleArn: iamRoleArn.optional(),
                profile: z
                    .string()
                    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "an AWS profile name")
                    .optional(),
                caData: z
                    .string()
                    .regex(
                        /^LS0tLS1CRUdJTi[A-Za-z0-9+/]*={0,2}$/,
                        "the cluster CA as base64 PEM (certificate-authority-data, starting LS0tLS1CRUdJTi)",
                    ),
            })
            .optional(),
    })
    .refine(
        (c) =>
            [c.kubeconfigSecret, c.stackReference, c.eks].filter((source) => source !== undefined).length ===
            1,
        { message: "expected exactly one of kubeconfigSecret, stackReference or eks" },
    );

/** A workload cluster the hub's Argo CD deploys to. */
export const workloadClusterSchema = z.strictObject({
    name: dnsLabel,
    /** API server URL. */
    server: z.url({ protocol: /^https$/, error: "an https URL" }),
    /**
     * Labels that ApplicationSet cluster generators select on, put on the cluster Secret: label keys and
     * values by the API server's rules. Keys the platform sets itself are refused. Default: none.
     */
    labels: z.record(labelKey, labelValue).default({}),
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

/** Workload clusters: unique names and servers, and add-ons that are enabled for GitOps fan-out. */
export function workloadClusterIssues(
    config: {
        environment: Environment;
        workloadClusters: WorkloadClusterConfig[];
        addons: z.infer<typeof addonsSchema>;
        argocd: { install: string; awsRoleArn?: string };
    },
    ctx: z.RefinementCtx,
): void {
    uniqueNames(config.workloadClusters, ["workloadClusters"], ctx);
    if (config.argocd.install === "external" && config.argocd.awsRoleArn !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["argocd", "awsRoleArn"],
            message: `expected no awsRoleArn with install: external (the platform sets no chart values there: annotate your install's argocd-application-controller and argocd-server service accounts), got ${quote(config.argocd.awsRoleArn)}`,
        });
    }
    const servers = new Set<string>();
    const mode = config.addons.mode ?? "gitops";
    config.workloadClusters.forEach((cluster, index) => {
        if (servers.has(cluster.server)) {
            ctx.addIssue({
                code: "custom",
                path: ["workloadClusters", index, "server"],
                message: `expected each cluster registered once, got ${quote(cluster.server)} a second time`,
            });
        }
        servers.add(cluster.server);
        for (const missing of missingCrdOwners(cluster.addons, config.addons)) {
            ctx.addIssue({
                code: "custom",
                path: ["workloadClusters", index, "addons"],
                message: `expected ${missing.owner} as well (${missing.user} creates ${missing.group} objects there), got no ${missing.owner}`,
            });
        }
        cluster.addons.forEach((addon, addonIndex) => {
            const settings = config.addons[addon];
            if (!settings?.enabled || (settings.mode ?? mode) !== "gitops") {
                ctx.addIssue({
                    code: "custom",
                    path: ["workloadClusters", index, "addons", addonIndex],
                    message: `expected an add-on enabled in gitops mode for ${config.environment}, got ${quote(addon)}`,
                });
            }
        });
    });
}

/**
 * Add-ons a cluster needs because others create objects of their CRDs there (e.g. ServiceMonitors of
 * kube-prometheus-stack): when the hub runs the CRD owner, fanned-out values include those objects.
 */
function missingCrdOwners(
    clusterAddons: readonly string[],
    addons: z.infer<typeof addonsSchema>,
): { user: string; owner: string; group: string }[] {
    const missing: { user: string; owner: string; group: string }[] = [];
    for (const user of addonCatalog.filter((addon) => clusterAddons.includes(addon.name))) {
        for (const group of user.usesCrds ?? []) {
            const owner = addonCatalog.find((addon) => ownsCrd(addon.ownsCrds, group));
            if (owner && addons[owner.name]?.enabled && !clusterAddons.includes(owner.name)) {
                missing.push({ user: user.name, owner: owner.name, group });
            }
        }
    }
    return missing;
}
