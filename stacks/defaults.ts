import { argoCdChart } from "../components/argocd/chart";
import type { Environment, PlatformConfig } from "./schema";
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
        chartVersion: argoCdChart.version,
        ingressClassName: "nginx",
        adminGroups: [],
    },
    gitops: { repository: "gitops", branch: "main" },
    teams: [],
    apps: [],
};

/**
 * Per-environment defaults, as data. dev is small and syncs everything automatically; prod is highly
 * available, has no local admin, keeps more history and never cascades an Application delete.
 */
export const environmentDefaults: Record<Environment, DeepPartial<PlatformConfig>> = {
    dev: {
        argocd: {
            adminEnabled: true,
            ha: false,
            replicas: { server: 1, repoServer: 1, applicationSet: 1, controller: 1 },
            revisionHistoryLimit: 3,
            size: "small",
        },
        sync: {
            automated: true,
            prune: true,
            selfHeal: true,
            retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
            cascadeDelete: true,
        },
    },
    staging: {
        argocd: {
            adminEnabled: true,
            ha: false,
            replicas: { server: 2, repoServer: 2, applicationSet: 1, controller: 1 },
            revisionHistoryLimit: 5,
            size: "medium",
        },
        sync: {
            automated: true,
            prune: true,
            selfHeal: true,
            retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
            cascadeDelete: true,
        },
    },
    prod: {
        argocd: {
            adminEnabled: false,
            ha: true,
            replicas: { server: 3, repoServer: 3, applicationSet: 2, controller: 2 },
            revisionHistoryLimit: 10,
            size: "large",
        },
        sync: {
            automated: true,
            prune: true,
            selfHeal: true,
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "10m" } },
            cascadeDelete: false,
        },
    },
};
