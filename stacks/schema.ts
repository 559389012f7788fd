import { z } from "zod";
import { addonIssues, addonsSchema } from "./sections/addons";
import { argocdSchema } from "./sections/argocd";
import { clusterSchema, workloadClusterIssues, workloadClusterSchema } from "./sections/clusters";
import { environments } from "./sections/common";
import { derivedNameIssues } from "./sections/derived";
import { githubSchema, gitopsIssues, gitopsSchema } from "./sections/github";
import { monitoringSchema } from "./sections/monitoring";
import { appPipelineIssues } from "./sections/pipeline";
import { notificationIssues, notificationsSchema } from "./sections/notifications";
import { syncSchema } from "./sections/sync";
import { appSchema, canaryIssues, teamAndAppIssues, teamSchema } from "./sections/teams";
import { alertIssues, alertsSchema } from "./sections/alerts";
import { appDefaultsSchema, appTemplateIssues, secretStoreSchema } from "./sections/apps";

/**
 * The stack configuration schema: one typed model for the whole platform, composed of one section per
 * top-level key (`sections/`). Every object is strict, so a misspelt key is an error rather than a silently
 * ignored setting.
 */

// The environments, and the refinements others reuse, live in `sections/common.ts` so sections can share them.
export { environments, exactVersion, type Environment } from "./sections/common";

/** The whole platform configuration, after per-environment defaults are applied. */
export const platformConfigSchema = z
    .strictObject({
        environment: z.enum(environments),
        cluster: clusterSchema,
        argocd: argocdSchema,
        sync: syncSchema,
        /** GitHub mode; absent in bring-your-own-Git mode (`gitops.repoURL`). */
        github: githubSchema.optional(),
        gitops: gitopsSchema,
        teams: z.array(teamSchema),
        apps: z.array(appSchema),
        /** Per-environment defaults of every app's template. */
        appDefaults: appDefaultsSchema,
        /** The ClusterSecretStore apps' secrets come from. Default: none. */
        secretStore: secretStoreSchema.optional(),
        addons: addonsSchema,
        notifications: notificationsSchema,
        monitoring: monitoringSchema,
        /** Where Alertmanager sends alerts. Default: nowhere. */
        alerts: alertsSchema.optional(),
        /** Spoke clusters the hub's Argo CD registers and deploys to. Default: none. */
        workloadClusters: z.array(workloadClusterSchema),
    })
    // Cross-field checks, each naming its key path; the order is the order issues are reported in.
    .superRefine((config, ctx) => {
        gitopsIssues(config, ctx);
        workloadClusterIssues(config, ctx);
        addonIssues(config, ctx);
        canaryIssues(config, ctx);
        appTemplateIssues(config, ctx);
        alertIssues(config, ctx);
        notificationIssues(config, ctx);
        teamAndAppIssues(config, ctx);
        appPipelineIssues(config, ctx);
        // Last: names derived from the whole config, unique across it and not reserved.
        derivedNameIssues(config, ctx);
    });

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
/** The config as written (before defaults and transforms): what a defaults layer provides. */
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type TeamConfig = PlatformConfig["teams"][number];
export type AppConfig = PlatformConfig["apps"][number];
export type SyncConfig = PlatformConfig["sync"];
export type ArgoCdConfig = PlatformConfig["argocd"];
export type AddonsConfig = PlatformConfig["addons"];
export type NotificationsConfig = PlatformConfig["notifications"];
export type MonitoringConfig = PlatformConfig["monitoring"];
