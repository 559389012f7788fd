/** How an environment syncs: the shape of `sync` in the stack config. */
export interface SyncSettings {
    automated: boolean;
    prune: boolean;
    selfHeal: boolean;
    retry: {
        limit: number;
        backoff: { duration: string; factor: number; maxDuration: string };
        /**
         * Retry with the latest revision instead of the failed one (`retry.refresh`, Argo CD 3.x
         * `RetryStrategy.Refresh`): a fix or revert pushed while a failed sync is still retrying is what the
         * next attempt applies. Default: `false`.
         */
        refresh?: boolean;
    };
    /** Add the resources finalizer, so deleting the Application deletes what it deployed. */
    cascadeDelete: boolean;
}

/** Sync options every platform Application uses. */
export const defaultSyncOptions = ["CreateNamespace=true", "ServerSideApply=true", "PruneLast=true"];

/** The Argo CD `syncPolicy` for an environment's settings. */
export function syncPolicy(
    sync: SyncSettings,
    syncOptions: string[] = defaultSyncOptions,
): Record<string, unknown> {
    return {
        ...(sync.automated ? { automated: { prune: sync.prune, selfHeal: sync.selfHeal } } : {}),
        syncOptions,
        retry: {
            limit: sync.retry.limit,
            backoff: { ...sync.retry.backoff },
            ...(sync.retry.refresh ? { refresh: true } : {}),
        },
    };
}

/** The finalizer that makes an Application delete cascade to its resources, when wanted. */
export function applicationFinalizers(sync: Pick<SyncSettings, "cascadeDelete">): string[] {
    return sync.cascadeDelete ? ["resources-finalizer.argocd.argoproj.io"] : [];
}

/** Argo CD's name for the cluster it runs in. */
export const inClusterServer = "https://kubernetes.default.svc";

/** Throws on the `default` project, which lets an Application deploy anything anywhere. */
export function requireOwnProject(project: string, what: string): string {
    if (project === "default") {
        throw new Error(
            `${what}: the "default" AppProject allows everything; use a team or platform project`,
        );
    }
    return project;
}
