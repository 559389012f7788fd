import type { SyncSettings } from "../../components/applications";

/** Sync settings for builders whose tests do not look at them: automated, no cascade delete. */
export const testSync: SyncSettings = {
    automated: true,
    prune: true,
    selfHeal: true,
    cascadeDelete: false,
    retry: { limit: 3, backoff: { duration: "5s", factor: 2, maxDuration: "1m" } },
};
