import { z } from "zod";
import {
    appSettingProblems,
    parsePercent,
    parseQuantity,
    type AppDefaults,
    type AppTemplateSettings,
} from "../../components/apps/settings";
import { describeValue, quote } from "../errors";
import { addonEnabled, type addonsSchema } from "./addons";
import { dnsLabel, hostname, labelKey, nameOf } from "./common";
import * as names from "../names";

/**
 * The settings of an app's standard template (`apps[]`), the per-environment `appDefaults` they fall back
 * to, and the platform's ClusterSecretStore (`secretStore`). Every check is linear in its input.
 */

/** A Kubernetes quantity such as `100m`, `1`, `256Mi` (k8s.io/apimachinery resource.Quantity). */
const quantity = z.string().superRefine((value, ctx) => {
    if (parseQuantity(value) === undefined) {
        ctx.addIssue({
            code: "custom",
            message: `expected a Kubernetes quantity such as 100m, 1, 256Mi or 1Gi, got ${describeValue(value)}`,
        });
    }
});

/** An integer at least 0, or a percentage `"0%"`…`"100%"` (IntOrString). */
const intOrPercent = z.union([z.number().int().min(0), z.string()]).superRefine((value, ctx) => {
    if (typeof value === "string" && parsePercent(value) === undefined) {
        ctx.addIssue({
            code: "custom",
            message: `expected an integer or a percentage from "0%" to "100%", got ${describeValue(value)}`,
        });
    }
});

/** An environment variable name (a C identifier: what shells and most runtimes accept). */
const envName = z.string().superRefine((value, ctx) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || value.length > 253) {
        ctx.addIssue({
            code: "custom",
            message: `expected an environment variable name (letters, digits and '_', not starting with a digit), got ${describeValue(value)}`,
        });
    }
});

/** A ConfigMap key (validation.go IsConfigMapKey): letters, digits, '-', '_', '.'; not `.` or `..`. */
const configKey = z.string().superRefine((value, ctx) => {
    if (!/^[-._a-zA-Z0-9]+$/.test(value) || value.length > 253 || value === "." || value === "..") {
        ctx.addIssue({
            code: "custom",
            message: `expected a file name of letters, digits, '-', '_' and '.', got ${describeValue(value)}`,
        });
    }
});

/** An IAM role ARN, as EKS IRSA takes it. */
const awsRoleArn = z
    .string()
    .regex(
        /^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/,
        "an IAM role ARN such as arn:aws:iam::123456789012:role/checkout",
    );
/** A Google service account email, as GKE Workload Identity takes it. */
const gcpServiceAccount = z
    .string()
    .regex(
        /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/,
        "a Google service account such as checkout@acme-prod.iam.gserviceaccount.com",
    );

const percent = z.number().int().min(1).max(1000);

const hpaSchema = z.strictObject({
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1),
    /** Percent of the CPU request; 75 when neither target is set. */
    cpuUtilization: percent.optional(),
    memoryUtilization: percent.optional(),
});

const resourcesSchema = z.strictObject({
    requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
    limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});

const pdbSchema = z.strictObject({
    enabled: z.boolean().optional(),
    minAvailable: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
});

const topologySpreadSchema = z.strictObject({
    enabled: z.boolean().optional(),
    maxSkew: z.number().int().min(1).optional(),
    whenUnsatisfiable: z.enum(["ScheduleAnyway", "DoNotSchedule"]).optional(),
});

const networkPolicySchema = z.strictObject({
    enabled: z.boolean().optional(),
    allowNamespaces: z.array(dnsLabel).optional(),
});

/** The keys of `apps[]` that configure the app's standard template; each falls back to `appDefaults`. */
export const appTemplateShape = {
    /** Fixed replica count; not with `hpa`. */
    replicas: z.number().int().min(1).optional(),
    /** HorizontalPodAutoscaler; not with `replicas`. */
    hpa: hpaSchema.optional(),
    resources: resourcesSchema.optional(),
    pdb: pdbSchema.optional(),
    topologySpread: topologySpreadSchema.optional(),
    serviceAccount: z
        .strictObject({
            awsRoleArn: awsRoleArn.optional(),
            gcpServiceAccount: gcpServiceAccount.optional(),
            annotations: z.record(labelKey, z.string()).optional(),
        })
        .optional(),
    /** Plain environment variables. */
    env: z.record(envName, z.string()).optional(),
    /** Files of the app's ConfigMap, mounted at /etc/<app>. */
    config: z.record(configKey, z.string()).optional(),
    /** Environment variables from the secret manager, through an ExternalSecret. */
    secrets: z
        .record(envName, z.strictObject({ key: z.string().min(1), property: z.string().min(1).optional() }))
        .optional(),
    /** Public hostname: an Ingress with TLS. */
    host: hostname.optional(),
    metrics: z
        .strictObject({
            path: z
                .string()
                .regex(/^\/[!-~]*$/, "a URL path such as /metrics")
                .optional(),
            port: z.number().int().min(1).max(65535).optional(),
        })
        .optional(),
    networkPolicy: networkPolicySchema.optional(),
};

/** `appDefaults`: the platform's per-environment defaults of every app's template. */
export const appDefaultsSchema = z.strictObject({
    replicas: z.number().int().min(1).optional(),
    hpa: hpaSchema.optional(),
    resources: resourcesSchema.optional(),
    pdb: pdbSchema.optional(),
    topologySpread: topologySpreadSchema.optional(),
    networkPolicy: networkPolicySchema.optional(),
    canary: z
        .strictObject({
            analysis: z
                .strictObject({ noData: z.enum(["fail", "pass", "inconclusive"]).optional() })
                .optional(),
        })
        .optional(),
});

/** `secretStore`: the ClusterSecretStore the platform declares in every cluster of the environment. */
export const secretStoreSchema = z.strictObject({
    /** Name apps' ExternalSecrets reference. */
    name: nameOf(names.dns1123Subdomain),
    /** The store's `spec.provider`: exactly one external-secrets provider, e.g. `{ aws: { service, region } }`. */
    provider: z.record(z.string(), z.record(z.string(), z.unknown())).superRefine((value, ctx) => {
        const keys = Object.keys(value);
        if (keys.length !== 1) {
            ctx.addIssue({
                code: "custom",
                message: `expected exactly one provider (e.g. aws, gcpsm, azurekv, vault), got ${keys.length === 0 ? "none" : keys.map((key) => quote(key)).join(", ")}`,
            });
        }
    }),
});

/**
 * Whether an add-on runs where the apps run: enabled on the hub, and, when spokes run the apps, listed by
 * every spoke that does (add-ons fan out to the spokes that list them).
 */
export function addonWhereAppsRun(
    config: {
        addons: z.infer<typeof addonsSchema>;
        workloadClusters: { addons: string[]; workloads: boolean }[];
    },
    name: Parameters<typeof addonEnabled>[1],
): boolean {
    return (
        addonEnabled(config.addons, name) &&
        config.workloadClusters
            .filter((cluster) => cluster.workloads)
            .every((cluster) => cluster.addons.includes(name))
    );
}

type App = AppTemplateSettings & {
    name: string;
    canary?: { analysis?: { enabled?: boolean; source?: string; noData?: string } };
};

/**
 * Cross-field checks of app templates: `appSettingProblems` (replicas with hpa, budgets that block drains,
 * limits below requests, …) for every app against `appDefaults`; a `host` needs a certificate issuer; secrets
 * need the ClusterSecretStore and external-secrets; a canary analysis of the app's own metrics needs
 * `metrics`, and one of ingress metrics needs a `host`.
 */
export function appTemplateIssues(
    config: {
        apps: App[];
        appDefaults: AppDefaults;
        addons: z.infer<typeof addonsSchema>;
        argocd: { clusterIssuer?: string };
        secretStore?: unknown;
        workloadClusters: { addons: string[]; workloads: boolean }[];
    },
    ctx: z.RefinementCtx,
): void {
    const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: "custom", path, message });
    // appDefaults on its own (an app that sets nothing): reported once, at appDefaults, with or without apps.
    const ownDefaults = appSettingProblems({}, config.appDefaults).defaults;
    for (const problem of ownDefaults) issue(["appDefaults", ...problem.path], problem.message);
    config.apps.forEach((app, index) => {
        const at = (...path: (string | number)[]) => ["apps", index, ...path];
        const problems = appSettingProblems(app, config.appDefaults);
        for (const problem of problems.app) issue(at(...problem.path), problem.message);
        // A default that only this app's own settings make wrong (e.g. a budget its replicas cannot meet).
        if (ownDefaults.length === 0) {
            for (const problem of problems.defaults)
                issue(at(...problem.path), `${problem.message} (from appDefaults.${problem.path.join(".")})`);
        }
        if (app.host && !config.addons.acme && !config.argocd.clusterIssuer) {
            issue(
                at("host"),
                "expected a certificate issuer for the Ingress's TLS (addons.acme or argocd.clusterIssuer), got none",
            );
        }
        if (app.secrets && Object.keys(app.secrets).length > 0) {
            if (!config.secretStore) {
                issue(
                    at("secrets"),
                    "expected the platform's ClusterSecretStore (secretStore) to be configured, got none",
                );
            }
            if (!addonWhereAppsRun(config, "external-secrets")) {
                issue(
                    at("secrets"),
                    "expected the external-secrets add-on where the apps run (addons.external-secrets.enabled, and in every workload cluster's addons), got it missing",
                );
            }
        }
        const hpa = app.hpa ?? (app.replicas === undefined ? config.appDefaults.hpa : undefined);
        if (hpa && !addonWhereAppsRun(config, "metrics-server")) {
            issue(
                at(app.hpa ? "hpa" : "replicas"),
                "expected metrics-server where the apps run (an autoscaler without resource metrics is Degraded: FailedGetResourceMetric), got it missing",
            );
        }
        if (
            app.canary &&
            addonEnabled(config.addons, "argo-rollouts") &&
            !addonWhereAppsRun(config, "argo-rollouts")
        ) {
            issue(
                at("canary"),
                "expected argo-rollouts in every workload cluster's addons (the Rollout runs there), got it missing",
            );
        }
        const analysis = app.canary?.analysis;
        if (app.canary && analysis?.enabled !== false) {
            const source = analysis?.source ?? (app.host ? "ingress" : "app");
            if (source === "app" && !app.metrics) {
                issue(
                    at("metrics"),
                    "expected the app's metrics endpoint (its canary analysis reads the app's own http_requests_total{code}, as it has no host and so no Ingress), got nothing",
                );
            }
            if (source === "ingress" && !app.host) {
                issue(
                    at("canary", "analysis", "source"),
                    `expected app or istio (the app has no host, so no Ingress), got ${quote(source)}`,
                );
            }
        }
    });
}
