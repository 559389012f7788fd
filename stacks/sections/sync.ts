import { z } from "zod";
import { duration, positiveInt } from "./common";

const backoffSchema = z.strictObject({
    duration: duration,
    factor: positiveInt,
    maxDuration: duration,
});

/** How Argo CD syncs Applications: automation, pruning, self-heal, retries and cascade delete. */
export const syncSchema = z.strictObject({
    /** Sync automatically when Git changes. */
    automated: z.boolean(),
    /** Delete resources that were removed from Git. */
    prune: z.boolean(),
    /** Revert changes made in the cluster outside Git. */
    selfHeal: z.boolean(),
    retry: z.strictObject({
        limit: positiveInt,
        backoff: backoffSchema,
        /** Each retry syncs the branch's latest revision, so a fix or revert pushed during the retries lands. */
        refresh: z.boolean().optional(),
    }),
    /** Add the resources finalizer, so deleting an Application deletes what it deployed. */
    cascadeDelete: z.boolean(),
});
