import { chartFullname, componentName } from "../common/helmNames";
import { rbacPolicyCsv, type RbacArgs } from "./rbac";

/** Helm release name of Argo CD's chart; every Argo CD Service name derives from it. */
export const argoCdReleaseName = "argocd";

/** The argo-cd chart's `nameOverride` default (its values.yaml), part of every derived name. */
const argoCdChartNameOverride = "argocd";

/**
 * `argo-cd.fullname` (argoproj/argo-helm `charts/argo-cd/templates/_common.tpl`): the release name when it
 * contains `argocd` (the chart's `nameOverride`), else `<release>-argocd`; 63 characters at most.
 */
export function argoCdFullname(releaseName: string = argoCdReleaseName): string {
    return chartFullname({ release: releaseName, chart: "argo-cd", nameOverride: argoCdChartNameOverride });
}

/**
 * Name of the Argo CD server's Service: `argo-cd.server.fullname` (`<fullname>-server`, argoproj/argo-helm
 * `charts/argo-cd/templates/_helpers.tpl`), e.g. `argocd-server`.
 */
export function argoCdServerServiceName(releaseName: string = argoCdReleaseName): string {
    return componentName(argoCdFullname(releaseName), "server");
}

/**
 * The Argo CD server as reached from inside its cluster, e.g. `http://argocd-server.argocd.svc`. Plain HTTP:
 * the platform runs the server with `server.insecure` (TLS ends at the ingress), so its Service's ports
 * speak HTTP.
 */
export function argoCdInClusterUrl(namespace: string, releaseName: string = argoCdReleaseName): string {
    return `http://${argoCdServerServiceName(releaseName)}.${namespace}.svc`;
}

/** Resource request profiles for Argo CD's components. */
export type SizeProfile = "small" | "medium" | "large";

/** Replica counts of the Argo CD components. */
export interface ArgoCdReplicas {
    server: number;
    repoServer: number;
    applicationSet: number;
    controller: number;
}

/** Everything the Helm values depend on, as plain data. */
export interface ArgoCdValuesArgs {
    /** Public hostname. Default: none; Argo CD's URL is then its in-cluster Service (`argoCdInClusterUrl`). */
    hostname?: string;
    /** Namespace Argo CD runs in. Default: `argocd`. */
    namespace?: string;
    /** Helm release name of the chart. Default: `argoCdReleaseName`. */
    releaseName?: string;
    ingressClassName: string;
    clusterIssuer?: string;
    adminEnabled: boolean;
    ha: boolean;
    replicas: ArgoCdReplicas;
    reconciliationTimeout: string;
    revisionHistoryLimit: number;
    size: SizeProfile;
    rbac: RbacArgs;
    /** Extra `argocd-cm` entries, e.g. health customisations added by other components. */
    extraConfig?: Record<string, string>;
}

interface Resources {
    requests: { cpu: string; memory: string };
    limits: { memory: string };
}

const requests: Record<SizeProfile, Record<"controller" | "server" | "repoServer" | "small", Resources>> = {
    small: {
        controller: resources("250m", "512Mi", "1Gi"),
        server: resources("50m", "128Mi", "256Mi"),
        repoServer: resources("100m", "256Mi", "512Mi"),
        small: resources("25m", "64Mi", "128Mi"),
    },
    medium: {
        controller: resources("500m", "1Gi", "2Gi"),
        server: resources("100m", "256Mi", "512Mi"),
        repoServer: resources("250m", "512Mi", "1Gi"),
        small: resources("50m", "128Mi", "256Mi"),
    },
    large: {
        controller: resources("1", "2Gi", "4Gi"),
        server: resources("250m", "512Mi", "1Gi"),
        repoServer: resources("500m", "1Gi", "2Gi"),
        small: resources("100m", "128Mi", "256Mi"),
    },
};

function resources(cpu: string, memory: string, memoryLimit: string): Resources {
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

/**
 * How often Argo CD polls Git. With a webhook, polling is only a safety net; without one it is the
 * only trigger, so it runs more often.
 */
export function reconciliationTimeout(webhookEnabled: boolean, explicit?: string): string {
    return explicit ?? (webhookEnabled ? "300s" : "60s");
}

/** Builds the argo-cd chart values. Pure: tests call it directly and check every key against the chart. */
export function argoCdValues(args: ArgoCdValuesArgs): Record<string, unknown> {
    const size = requests[args.size];
    const serverHost = `${argoCdServerServiceName(args.releaseName)}.${args.namespace ?? "argocd"}.svc`;
    // Without a hostname the chart would still write `url: https://<global.domain>`, and its default domain
    // is argocd.example.com (argo-helm `argo-cd.config.cm.presets`). An empty `url` cannot remove that preset
    // (`mergeOverwrite` keeps a preset over an empty value), so both name the in-cluster Service instead.
    const url = args.hostname
        ? `https://${args.hostname}`
        : argoCdInClusterUrl(args.namespace ?? "argocd", args.releaseName);
    return {
        global: {
            domain: args.hostname ?? serverHost,
            revisionHistoryLimit: args.revisionHistoryLimit,
        },
        // Keep the CRDs when the release is uninstalled: deleting them would delete every Application.
        crds: { keep: true },
        configs: {
            cm: {
                url,
                "admin.enabled": args.adminEnabled,
                "timeout.reconciliation": args.reconciliationTimeout,
                "application.resourceTrackingMethod": "annotation",
                ...args.extraConfig,
            },
            params: {
                // TLS ends at the ingress; the server speaks plain HTTP inside the cluster.
                "server.insecure": true,
                ...(args.replicas.controller > 1
                    ? { "controller.sharding.algorithm": "consistent-hashing" }
                    : {}),
            },
            rbac: {
                "policy.default": "role:readonly",
                "policy.csv": rbacPolicyCsv(args.rbac),
                scopes: "[groups]",
            },
            // argocd-secret is managed by Pulumi, so secret values never pass through Helm values.
            secret: { createSecret: false },
        },
        controller: { replicas: args.replicas.controller, resources: size.controller },
        server: {
            replicas: args.replicas.server,
            resources: size.server,
            ingress: args.hostname
                ? {
                      enabled: true,
                      ingressClassName: args.ingressClassName,
                      hostname: args.hostname,
                      tls: true,
                      annotations: {
                          ...(args.clusterIssuer
                              ? { "cert-manager.io/cluster-issuer": args.clusterIssuer }
                              : {}),
                          "nginx.ingress.kubernetes.io/backend-protocol": "HTTP",
                      },
                  }
                : { enabled: false },
        },
        repoServer: { replicas: args.replicas.repoServer, resources: size.repoServer },
        applicationSet: { replicas: args.replicas.applicationSet, resources: size.small },
        // Dex stays off: SSO is configured through OIDC, and groups map to roles in policy.csv.
        dex: { enabled: false },
        redis: { enabled: !args.ha, resources: size.small },
        "redis-ha": { enabled: args.ha },
    };
}

/**
 * Chart values that give the application controller and the server an AWS identity through IRSA (the
 * `eks.amazonaws.com/role-arn` annotation on their service accounts), which they use for EKS workload clusters
 * registered with `awsAuthConfig`: the controller syncs, the server shows live state. Pure.
 */
export function irsaValues(roleArn: string): Record<string, unknown> {
    const serviceAccount = { annotations: { "eks.amazonaws.com/role-arn": roleArn } };
    return { controller: { serviceAccount }, server: { serviceAccount } };
}
