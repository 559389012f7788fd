/**
 * The notification catalog, as data. A trigger says when to notify and which template to send; a template
 * says what the message shows. Adding one means adding one entry here.
 */

/** When to notify: an Argo CD notifications trigger condition (expr syntax, evaluated on `app`). */
export interface NotificationTrigger {
    /** Trigger name, e.g. `on-sync-failed` (read from argocd-notifications-cm as `trigger.<name>`). */
    name: string;
    description: string;
    /** Condition over `app`, e.g. `app.status.health.status == 'Degraded'`. */
    when: string;
    /** Name of the template to send. */
    template: string;
    /** Send at most once per value of this expression (e.g. once per revision). Default: every time `when` flips. */
    oncePer?: string;
}

/** What a notification shows: a headline; the body (app, env, revision, commit, sync message) is shared. */
export interface NotificationTemplate {
    /** Template name (read as `template.<name>`). */
    name: string;
    /** Headline after the app name, e.g. `sync failed`. */
    headline: string;
    /** Slack emoji shortcode shown in the header, e.g. `:x:`. */
    emoji: string;
}

export const notificationTriggers: NotificationTrigger[] = [
    {
        name: "on-sync-failed",
        description: "The Application's sync failed",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
        template: "app-sync-failed",
    },
    {
        name: "on-health-degraded",
        description: "The Application has degraded",
        when: "app.status.health.status == 'Degraded'",
        template: "app-health-degraded",
    },
    {
        name: "on-deployed",
        description: "The Application is synced and healthy; once per revision",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
        oncePer: "app.status.operationState?.syncResult?.revision",
        template: "app-deployed",
    },
    {
        name: "on-sync-status-unknown",
        description: "Argo CD cannot tell whether the Application is in sync (e.g. it cannot read Git)",
        when: "app.status.sync.status == 'Unknown'",
        template: "app-sync-status-unknown",
    },
];

export const notificationTemplates: NotificationTemplate[] = [
    { name: "app-sync-failed", headline: "sync failed", emoji: ":x:" },
    { name: "app-health-degraded", headline: "is degraded", emoji: ":broken_heart:" },
    { name: "app-deployed", headline: "deployed", emoji: ":rocket:" },
    { name: "app-sync-status-unknown", headline: "sync status is unknown", emoji: ":grey_question:" },
];

/** Names of the catalog's triggers. */
export const notificationTriggerNames = notificationTriggers.map((trigger) => trigger.name);
