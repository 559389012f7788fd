import { z } from "zod";
import { positiveInt } from "./common";

/** Prometheus retention and the thresholds of the Argo CD alerts. */
export const monitoringSchema = z.strictObject({
    /** How long Prometheus keeps samples (kube-prometheus-stack). */
    prometheusRetention: z.string().regex(/^\d+(ms|s|m|h|d|w|y)$/, "a Prometheus duration such as 7d"),
    /** Cap on Prometheus storage, e.g. 50GB. */
    prometheusRetentionSize: z
        .string()
        .regex(/^\d+(B|KB|MB|GB|TB|PB|EB)$/, "a size such as 50GB")
        .optional(),
    /** Alert when an Application stays OutOfSync longer than this. */
    outOfSyncMinutes: positiveInt,
    /** Alert when an Application stays Degraded longer than this. */
    degradedMinutes: positiveInt,
    /** Alert when an Application's failed syncs in one hour reach this. */
    syncFailuresPerHour: positiveInt,
});
