import { addonNames } from "../components/addons/catalog";
import { argoCdChart } from "../components/argocd/chart";
import { runnerImage } from "../components/github/workflows/actions";
import type { Environment, PlatformConfigInput as PlatformConfig } from "./schema";
export { mergeLayers } from "../components/common/merge";

/** A partial config: what a stack file may set, and what a defaults layer provides. */
export type DeepPartial<T> = T extends (infer U)[]
    ? U[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/** Settings shared by every environment. */
export const commonDefaults: DeepPartial<PlatformConfig> = {
    argocd: {
        namespace: "argocd",
        install: "helm",
        chartVersion: argoCdChart.version,
        chartRepository: argoCdChart.repository,
        ingressClassName: "nginx",
        adminGroups: [],
    },
    gitops: { repository: "gitops", branch: "main" },
    // prod's stack declares the shared GitHub objects: they hold prod's desired state (see docs/github.md).
    github: {
        sharedStack: "prod",
        registry: "ghcr.io",
        pipeline: {
            repository: "platform-pipeline",
            runsOn: [runnerImage],
            platforms: ["linux/amd64"],
            testTarget: "test",
            scan: { enabled: true, severity: ["CRITICAL", "HIGH"], ignoreUnfixed: true },
        },
        environmentProtection: {
            reviewerTeamIds: [],
            reviewerUserIds: [],
            waitTimer: 0,
            preventSelfReview: false,
        },
    },
    // Every environment syncs automatically, prunes and self-heals; they differ in retries and deletes.
    sync: { automated: true, prune: true, selfHeal: true },
    teams: [],
    workloadClusters: [],
    apps: [],
    addons: { mode: "gitops" },
    notifications: { projects: [] },
    appDefaults: {},
};

/**
 * Sections that exist only when the stack file sets them: their defaults apply then and not otherwise.
 * A stack without `github` brings its own Git (`gitops.repoURL`), and GitHub defaults would make it look
 * half-configured.
 */
export const optionalSections = ["github"] as const;

/** The merged config without the optional sections the stack file leaves out. Pure. */
export function withoutUnsetSections(merged: unknown, raw: Record<string, unknown>): unknown {
    if (typeof merged !== "object" || merged === null) return merged;
    const result = { ...(merged as Record<string, unknown>) };
    for (const section of optionalSections) if (raw[section] === undefined) delete result[section];
    return result;
}

/**
 * Add-ons, notifications and monitoring per environment. Every add-on runs everywhere except the image
 * updater, which only bumps tags in dev (staging and prod get new tags by promotion PR), and external-dns,
 * which a stack turns on together with its DNS provider and zones. dev's DNS records are disposable (`sync`
 * deletes them); prod never deletes one. prod alerts sooner and keeps metrics longer.
 */
const addonAndAlertDefaults: Record<Environment, DeepPartial<PlatformConfig>> = {
    dev: {
        addons: { ...addonsOn({ except: ["external-dns"] }), dns: { policy: "sync" } },
        notifications: { triggers: ["on-sync-failed", "on-health-degraded", "on-sync-status-unknown"] },
        monitoring: {
            prometheusRetention: "3d",
            outOfSyncMinutes: 30,
            degradedMinutes: 10,
            syncFailuresPerHour: 5,
        },
    },
    staging: {
        addons: {
            ...addonsOn({ except: ["external-dns", "argocd-image-updater"] }),
            dns: { policy: "sync" },
        },
        notifications: {
            triggers: ["on-sync-failed", "on-health-degraded", "on-sync-status-unknown", "on-deployed"],
        },
        monitoring: {
            prometheusRetention: "7d",
            outOfSyncMinutes: 20,
            degradedMinutes: 10,
            syncFailuresPerHour: 3,
        },
    },
    prod: {
        addons: {
            ...addonsOn({ except: ["external-dns", "argocd-image-updater"] }),
            dns: { policy: "upsert-only" },
        },
        notifications: {
            triggers: ["on-sync-failed", "on-health-degraded", "on-sync-status-unknown", "on-deployed"],
        },
        monitoring: {
            prometheusRetention: "30d",
            prometheusRetentionSize: "90GB",
            outOfSyncMinutes: 10,
            degradedMinutes: 5,
            syncFailuresPerHour: 2,
        },
    },
};

type AddonName = (typeof addonNames)[number];

/** `{ enabled }` for every add-on of the catalog: on, except the listed ones. */
function addonsOn({ except }: { except: AddonName[] }): Record<AddonName, { enabled: boolean }> {
    return Object.fromEntries(
        addonNames.map((name) => [name, { enabled: !except.includes(name) }]),
    ) as Record<AddonName, { enabled: boolean }>;
}

/**
 * Every app's template per environment: dev runs one replica of each app and lets a canary without data
 * pass; staging runs two, with a disruption budget and zone spread, and pauses a canary without data for a
 * person; prod runs three, larger, and fails a canary without data (fail closed). Every app gets its
 * default NetworkPolicy everywhere.
 */
const appTemplateDefaults: Record<Environment, DeepPartial<PlatformConfig>> = {
    dev: {
        appDefaults: {
            replicas: 1,
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
            pdb: { enabled: false },
            topologySpread: { enabled: false },
            networkPolicy: { enabled: true },
            canary: { analysis: { noData: "pass" } },
        },
    },
    staging: {
        appDefaults: {
            replicas: 2,
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            pdb: { enabled: true, maxUnavailable: 1 },
            topologySpread: { enabled: true, maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" },
            networkPolicy: { enabled: true },
            canary: { analysis: { noData: "inconclusive" } },
        },
    },
    prod: {
        appDefaults: {
            replicas: 3,
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
            pdb: { enabled: true, maxUnavailable: 1 },
            topologySpread: { enabled: true, maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" },
            networkPolicy: { enabled: true },
            canary: { analysis: { noData: "fail" } },
        },
    },
};

/**
 * Per-environment defaults, as data. dev is small and syncs everything automatically; prod is highly
 * available, has no local admin, keeps more history and never cascades an Application delete.
 */
export const environmentDefaults: Record<Environment, DeepPartial<PlatformConfig>> = {
    dev: {
        ...addonAndAlertDefaults.dev,
        ...appTemplateDefaults.dev,
        github: { requiredApprovals: 0 },
        argocd: {
            adminEnabled: true,
            ha: false,
            replicas: { server: 1, repoServer: 1, applicationSet: 1, controller: 1 },
            revisionHistoryLimit: 3,
            size: "small",
        },
        sync: {
            retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" }, refresh: true },
            cascadeDelete: true,
        },
    },
    staging: {
        ...addonAndAlertDefaults.staging,
        ...appTemplateDefaults.staging,
        github: { requiredApprovals: 1 },
        argocd: {
            adminEnabled: true,
            ha: false,
            replicas: { server: 2, repoServer: 2, applicationSet: 1, controller: 1 },
            revisionHistoryLimit: 5,
            size: "medium",
        },
        sync: {
            retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" }, refresh: true },
            cascadeDelete: true,
        },
    },
    prod: {
        ...addonAndAlertDefaults.prod,
        ...appTemplateDefaults.prod,
        // Reviewers come from the stack file (team IDs); whoever starts a prod rollback cannot approve it.
        github: { requiredApprovals: 1, environmentProtection: { preventSelfReview: true } },
        argocd: {
            adminEnabled: false,
            ha: true,
            replicas: { server: 3, repoServer: 3, applicationSet: 2, controller: 2 },
            revisionHistoryLimit: 10,
            size: "large",
        },
        sync: {
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "10m" }, refresh: true },
            cascadeDelete: false,
        },
    },
};
