/**
 * What a service team can set on its app's standard template (`apps[]` in the stack config), the platform's
 * per-environment defaults for it (`appDefaults`), and how the two resolve into one settings object per app
 * and environment. Pure data and pure functions: the stack config validates with `appSettingProblems`, the
 * template builders read `resolveAppSettings`.
 */

import type { NoDataOutcome } from "../addons/rollouts/canary";

/** An integer, or a percentage such as `"25%"` (Kubernetes IntOrString). */
export type IntOrPercent = number | string;

/** A HorizontalPodAutoscaler (autoscaling/v2) on CPU and/or memory utilisation. */
export interface HpaSettings {
    /** Lowest replica count. */
    minReplicas: number;
    /** Highest replica count, at least `minReplicas`. */
    maxReplicas: number;
    /** Target average CPU use, in percent of the CPU request (needs `resources.requests.cpu`). */
    cpuUtilization?: number;
    /** Target average memory use, in percent of the memory request (needs `resources.requests.memory`). */
    memoryUtilization?: number;
}

/** Container resources as Kubernetes quantities (`100m`, `1`, `256Mi`, `1Gi`). */
export interface ResourceSettings {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
}

/** A PodDisruptionBudget: exactly one of `minAvailable` and `maxUnavailable`. */
export interface PdbSettings {
    /** Default: on when a budget is given. */
    enabled?: boolean;
    minAvailable?: IntOrPercent;
    maxUnavailable?: IntOrPercent;
}

/** Spreading the app's pods over zones (`topology.kubernetes.io/zone`). */
export interface TopologySpreadSettings {
    /** Default: on when the section is given. */
    enabled?: boolean;
    /** Largest difference in pod count between two zones. Default: `1`. */
    maxSkew?: number;
    /** `ScheduleAnyway` (a preference) or `DoNotSchedule` (a rule). Default: `ScheduleAnyway`. */
    whenUnsatisfiable?: "ScheduleAnyway" | "DoNotSchedule";
}

/** The app's ServiceAccount and the cloud identity it maps to. */
export interface ServiceAccountSettings {
    /** EKS IRSA: the IAM role, as annotation `eks.amazonaws.com/role-arn`. */
    awsRoleArn?: string;
    /** GKE Workload Identity: the Google service account, as annotation `iam.gke.io/gcp-service-account`. */
    gcpServiceAccount?: string;
    /** Further annotations, e.g. Azure's `azure.workload.identity/client-id`. */
    annotations?: Record<string, string>;
}

/** One secret value, fetched by external-secrets from the platform's ClusterSecretStore. */
export interface SecretReference {
    /** Key of the secret in the secret manager, e.g. `prod/checkout/db`. */
    key: string;
    /** A field of a JSON secret, e.g. `password`. Default: the whole value. */
    property?: string;
}

/** Where Prometheus scrapes the app's own metrics. */
export interface MetricsSettings {
    /** Default: `/metrics`. */
    path?: string;
    /** Container port of the metrics endpoint. Default: the app's `port`. */
    port?: number;
}

/** The app's default NetworkPolicy: ingress only from its namespace, the ingress controller and Prometheus. */
export interface NetworkPolicySettings {
    /** Default: `true`. */
    enabled?: boolean;
    /** Further namespaces allowed to reach the app. Default: none. */
    allowNamespaces?: string[];
}

/** Settings of the standard template an app may set; each falls back to `AppDefaults`. */
export interface AppTemplateSettings {
    /** Fixed replica count; not with `hpa`. */
    replicas?: number;
    /** Autoscaling; not with `replicas`. */
    hpa?: HpaSettings;
    resources?: ResourceSettings;
    pdb?: PdbSettings;
    topologySpread?: TopologySpreadSettings;
    serviceAccount?: ServiceAccountSettings;
    /** Plain environment variables (name → value). */
    env?: Record<string, string>;
    /** Files of the app's ConfigMap `<app>-config` (file name → content), mounted at `/etc/<app>`. */
    config?: Record<string, string>;
    /** Environment variables from the secret manager (name → reference), through an ExternalSecret. */
    secrets?: Record<string, SecretReference>;
    /** Public hostname: an Ingress with a cert-manager TLS certificate. */
    host?: string;
    /** The app's Prometheus metrics endpoint: a ServiceMonitor, and the canary's own-metrics analysis. */
    metrics?: MetricsSettings;
    networkPolicy?: NetworkPolicySettings;
}

/** The platform's defaults for every app of an environment (`appDefaults`). */
export interface AppDefaults {
    replicas?: number;
    hpa?: HpaSettings;
    resources?: ResourceSettings;
    pdb?: PdbSettings;
    topologySpread?: TopologySpreadSettings;
    networkPolicy?: NetworkPolicySettings;
    /** Defaults of apps that are canaries. */
    canary?: { analysis?: { noData?: NoDataOutcome } };
}

/** An app's template settings for one environment, every default applied. */
export interface ResolvedAppSettings {
    /** Exactly one of a fixed replica count and an autoscaler. */
    scaling: { replicas: number; hpa?: undefined } | { hpa: HpaSettings; replicas?: undefined };
    resources: { requests: { cpu?: string; memory?: string }; limits: { cpu?: string; memory?: string } };
    /** The budget, or undefined for none. */
    pdb?: { minAvailable: IntOrPercent } | { maxUnavailable: IntOrPercent };
    topologySpread?: Required<Omit<TopologySpreadSettings, "enabled">>;
    serviceAccountAnnotations: Record<string, string>;
    env: Record<string, string>;
    config: Record<string, string>;
    secrets: Record<string, SecretReference>;
    host?: string;
    metrics?: Required<Pick<MetricsSettings, "path">> & Pick<MetricsSettings, "port">;
    /** Namespaces allowed besides the app's own, the ingress controller's and Prometheus'; undefined: no policy. */
    networkPolicy?: { allowNamespaces: string[] };
    /** The canary analysis' no-data outcome (canaries only). */
    canaryNoData: NoDataOutcome;
}

/** Annotation keys of the cloud identities a ServiceAccount maps to. */
export const identityAnnotations = {
    /** EKS IAM Roles for Service Accounts. */
    aws: "eks.amazonaws.com/role-arn",
    /** GKE Workload Identity. */
    gcp: "iam.gke.io/gcp-service-account",
} as const;

/** The template's fallbacks when neither the app nor `appDefaults` says: a small, safe service. */
export const templateDefaults = {
    replicas: 2,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    hpaCpuUtilization: 75,
    pdb: { maxUnavailable: 1 },
    topologySpread: { maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" as const },
    metricsPath: "/metrics",
    canaryNoData: "fail" as NoDataOutcome,
} as const;

function budgetOf(
    pdb: PdbSettings | undefined,
): { minAvailable: IntOrPercent } | { maxUnavailable: IntOrPercent } | undefined {
    if (pdb?.minAvailable !== undefined) return { minAvailable: pdb.minAvailable };
    if (pdb?.maxUnavailable !== undefined) return { maxUnavailable: pdb.maxUnavailable };
    return undefined;
}

/**
 * An app's settings for one environment: each of the app's own settings, else `appDefaults`', else the
 * template's. The app's `hpa` replaces a default `replicas` and its `replicas` a default `hpa`; its budget
 * (`minAvailable` or `maxUnavailable`) replaces the default's; maps (`resources`) merge key by key. An HPA
 * without a target gets 75 % CPU. Pure.
 */
export function resolveAppSettings(
    app: AppTemplateSettings & { canary?: { analysis?: { noData?: NoDataOutcome } } },
    defaults: AppDefaults = {},
): ResolvedAppSettings {
    const hpa = app.hpa ?? (app.replicas === undefined ? defaults.hpa : undefined);
    const scaling: ResolvedAppSettings["scaling"] = hpa
        ? {
              hpa: {
                  ...hpa,
                  ...(hpa.cpuUtilization === undefined && hpa.memoryUtilization === undefined
                      ? { cpuUtilization: templateDefaults.hpaCpuUtilization }
                      : {}),
              },
          }
        : { replicas: app.replicas ?? defaults.replicas ?? templateDefaults.replicas };

    const resources = {
        requests: {
            ...(defaults.resources?.requests ?? templateDefaults.resources.requests),
            ...app.resources?.requests,
        },
        limits: {
            ...(defaults.resources?.limits ?? templateDefaults.resources.limits),
            ...app.resources?.limits,
        },
    };

    const ownBudget = budgetOf(app.pdb);
    const pdbEnabled =
        app.pdb?.enabled ??
        (ownBudget ? true : (defaults.pdb?.enabled ?? budgetOf(defaults.pdb) !== undefined));
    const pdb = pdbEnabled ? (ownBudget ?? budgetOf(defaults.pdb) ?? templateDefaults.pdb) : undefined;

    const spread = { ...defaults.topologySpread, ...app.topologySpread };
    const spreadEnabled =
        app.topologySpread?.enabled ??
        (app.topologySpread !== undefined
            ? true
            : (defaults.topologySpread?.enabled ?? defaults.topologySpread !== undefined));

    const policy = { ...defaults.networkPolicy, ...app.networkPolicy };
    const account = app.serviceAccount ?? {};
    return {
        scaling,
        resources,
        ...(pdb ? { pdb } : {}),
        ...(spreadEnabled
            ? {
                  topologySpread: {
                      maxSkew: spread.maxSkew ?? templateDefaults.topologySpread.maxSkew,
                      whenUnsatisfiable:
                          spread.whenUnsatisfiable ?? templateDefaults.topologySpread.whenUnsatisfiable,
                  },
              }
            : {}),
        serviceAccountAnnotations: {
            ...account.annotations,
            ...(account.awsRoleArn ? { [identityAnnotations.aws]: account.awsRoleArn } : {}),
            ...(account.gcpServiceAccount ? { [identityAnnotations.gcp]: account.gcpServiceAccount } : {}),
        },
        env: { ...app.env },
        config: { ...app.config },
        secrets: { ...app.secrets },
        ...(app.host ? { host: app.host } : {}),
        ...(app.metrics
            ? {
                  metrics: {
                      path: app.metrics.path ?? templateDefaults.metricsPath,
                      ...(app.metrics.port !== undefined ? { port: app.metrics.port } : {}),
                  },
              }
            : {}),
        ...(policy.enabled !== false
            ? { networkPolicy: { allowNamespaces: [...(policy.allowNamespaces ?? [])] } }
            : {}),
        canaryNoData:
            app.canary?.analysis?.noData ??
            defaults.canary?.analysis?.noData ??
            templateDefaults.canaryNoData,
    };
}

/** The smallest number of replicas the app runs with: its fixed count, or its autoscaler's minimum. */
export function minimumReplicas(settings: Pick<ResolvedAppSettings, "scaling">): number {
    return settings.scaling.hpa ? settings.scaling.hpa.minReplicas : settings.scaling.replicas;
}

const quantityPattern = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei|[eE][+-]?[0-9]+)?$/;
const suffixes: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/**
 * A Kubernetes quantity (k8s.io/apimachinery `pkg/api/resource/quantity.go`: a decimal number with a
 * decimal SI (`m`, `k`, `M`, …), binary SI (`Ki`, `Mi`, …) or exponent suffix) as a number of base units,
 * or undefined when `value` is not one. Linear in the length of `value` (one anchored pattern without
 * nested repetition).
 */
export function parseQuantity(value: string): number | undefined {
    const match = quantityPattern.exec(value);
    if (!match) return undefined;
    const number = Number(match[1]);
    const suffix = match[2];
    if (suffix === undefined) return number;
    if (suffix in suffixes) return number * suffixes[suffix];
    return number * 10 ** Number(suffix.slice(1));
}

/** A percentage `"0%"` … `"100%"`, as a number, or undefined. */
export function parsePercent(value: string): number | undefined {
    const match = /^([0-9]{1,3})%$/.exec(value);
    if (!match) return undefined;
    const number = Number(match[1]);
    return number <= 100 ? number : undefined;
}

/** A problem with one app's settings, anchored at the key to fix (relative to the app). */
export interface AppSettingProblem {
    path: (string | number)[];
    message: string;
}

/**
 * Problems with one app's settings once resolved for an environment, each anchored at the key to change:
 * `replicas` together with `hpa`, an HPA whose maximum is below its minimum or whose target has no request,
 * a limit below its request, a disruption budget that would block every voluntary eviction (a node drain
 * could then never finish, kubernetes.io "Specifying a Disruption Budget"), or `PORT` set by hand (the
 * template sets it from `port`). `defaults` problems are reported under `appDefaults`. Pure; linear in the
 * size of the settings.
 */
export function appSettingProblems(
    app: AppTemplateSettings,
    defaults: AppDefaults = {},
): { app: AppSettingProblem[]; defaults: AppSettingProblem[] } {
    const own: AppSettingProblem[] = [];
    const fromDefaults: AppSettingProblem[] = [];
    for (const [layer, problems] of [
        [app, own],
        [defaults, fromDefaults],
    ] as const) {
        if (layer.replicas !== undefined && layer.hpa !== undefined) {
            problems.push({ path: ["hpa"], message: "expected replicas or hpa, not both, got both" });
        }
        if (layer.hpa && layer.hpa.maxReplicas < layer.hpa.minReplicas) {
            problems.push({
                path: ["hpa", "maxReplicas"],
                message: `expected at least hpa.minReplicas (${layer.hpa.minReplicas}), got ${layer.hpa.maxReplicas}`,
            });
        }
        if (layer.pdb?.minAvailable !== undefined && layer.pdb.maxUnavailable !== undefined) {
            problems.push({
                path: ["pdb", "maxUnavailable"],
                message: "expected minAvailable or maxUnavailable, not both, got both",
            });
        }
    }
    if (own.length > 0 || fromDefaults.length > 0) return { app: own, defaults: fromDefaults };

    const resolved = resolveAppSettings(app, defaults);
    for (const resource of ["cpu", "memory"] as const) {
        const request = resolved.resources.requests[resource];
        const limit = resolved.resources.limits[resource];
        const requested = request === undefined ? undefined : parseQuantity(request);
        const limited = limit === undefined ? undefined : parseQuantity(limit);
        if (requested !== undefined && limited !== undefined && limited < requested) {
            own.push({
                path: ["resources", "limits", resource],
                message: `expected at least the ${resource} request (${request}), got ${JSON.stringify(limit)}`,
            });
        }
    }
    const hpa = resolved.scaling.hpa;
    if (hpa) {
        const at = app.hpa ? own : fromDefaults;
        if (hpa.cpuUtilization !== undefined && resolved.resources.requests.cpu === undefined) {
            at.push({
                path: ["hpa", "cpuUtilization"],
                message:
                    "expected resources.requests.cpu to be set (utilisation is a share of the request), got no CPU request",
            });
        }
        if (hpa.memoryUtilization !== undefined && resolved.resources.requests.memory === undefined) {
            at.push({
                path: ["hpa", "memoryUtilization"],
                message:
                    "expected resources.requests.memory to be set (utilisation is a share of the request), got no memory request",
            });
        }
    }
    const pdb = resolved.pdb;
    if (pdb) {
        const replicas = minimumReplicas(resolved);
        const blocks =
            "minAvailable" in pdb
                ? typeof pdb.minAvailable === "number"
                    ? pdb.minAvailable >= replicas
                    : parsePercent(pdb.minAvailable) === 100
                : typeof pdb.maxUnavailable === "number"
                  ? pdb.maxUnavailable === 0
                  : parsePercent(pdb.maxUnavailable) === 0;
        if (blocks) {
            const key = "minAvailable" in pdb ? "minAvailable" : "maxUnavailable";
            const value = "minAvailable" in pdb ? pdb.minAvailable : pdb.maxUnavailable;
            const at = budgetOf(app.pdb) ? own : fromDefaults;
            at.push({
                path: ["pdb", key],
                message: `expected a budget that lets at least one of the app's ${replicas} replica${replicas === 1 ? "" : "s"} be evicted (a node drain would never finish), got ${JSON.stringify(value)}`,
            });
        }
    }
    if (app.env && "PORT" in app.env) {
        own.push({
            path: ["env", "PORT"],
            message: "expected no PORT (the template sets it from port), got one",
        });
    }
    for (const name of Object.keys(app.secrets ?? {})) {
        if (app.env && name in app.env) {
            own.push({
                path: ["secrets", name],
                message: `expected a name that env does not also set, got ${JSON.stringify(name)} in both`,
            });
        }
    }
    return { app: own, defaults: fromDefaults };
}
