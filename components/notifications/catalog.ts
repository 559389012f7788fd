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

/*
 * Deployment feedback on GitHub: commit statuses `deploy/<env>` and GitHub deployments on the app
 * repository, sent by notifications-engine's `github` service (pkg/services/github.go). The image tag is the
 * app commit's SHA (the platform's CI tags `<registry>/<owner>/<repo>:<github.sha>`), so the repository and
 * commit come from the synced image, never from the GitOps repository's revision.
 */

/** An image tagged with a full app commit SHA: what CI pushes. Both an expr and a Go (RE2) regexp. */
export const commitImagePattern = ":[0-9a-f]{40}$";

const operation = "app.status.operationState";
/** The last sync applied an image tagged with a commit SHA (`syncResult.resources[].images`: target images). */
const syncedCommitImage =
    `${operation} != nil and ${operation}.syncResult != nil and ` +
    `any(${operation}.syncResult.resources ?? [], {any(#.images ?? [], {# matches '${commitImagePattern}'})})`;
/** The synced image above, or a running Pod's (`summary.images`): a sync refused before it applied anything. */
const anyCommitImage = `(${syncedCommitImage}) or any(app.status.summary?.images ?? [], {# matches '${commitImagePattern}'})`;

/**
 * Trigger conditions of the deployment feedback (expr over `app`), shared by the commit-status and the
 * deployment triggers so both report the same event.
 */
export const deployFeedbackConditions = {
    /** Syncing, or synced and still rolling out (Progressing, a paused canary, not yet seen). */
    pending:
        `${syncedCommitImage} and (${operation}.phase in ['Running'] or (${operation}.phase in ['Succeeded'] ` +
        `and app.status.health?.status in ['Progressing', 'Suspended', 'Missing']))`,
    /** The sync succeeded and the Application is Synced and Healthy. */
    succeeded:
        `${operation} != nil and ${operation}.phase in ['Succeeded'] and app.status.sync?.status == 'Synced' ` +
        `and app.status.health?.status == 'Healthy' and (${anyCommitImage})`,
    /** The sync failed (after its retries), or the Application is Degraded. */
    failed:
        `${operation} != nil and (${operation}.phase in ['Error', 'Failed'] or app.status.health?.status == 'Degraded') ` +
        `and (${anyCommitImage})`,
} as const;

/** Once per sync operation: a new sync (a deploy, a rollback, a self-heal) reports again. */
const oncePerOperation = "app.status.operationState?.startedAt";

/**
 * What a GitHub notification sends, as data. notifications-engine sends a template's `message` as the
 * description (cut to 140 characters) of both a commit status and a deployment status.
 */
export interface GitHubNotificationTemplate {
    /** Template name (read as `template.<name>`). */
    name: string;
    /**
     * `status`: a commit status `deploy/<env>` on the app commit (POST /repos/{owner}/{repo}/statuses/{sha}).
     * `deployment`: a new GitHub deployment of the app commit to environment `<env>` (POST
     * /repos/{owner}/{repo}/deployments) and its status (POST …/deployments/{id}/statuses).
     */
    kind: "status" | "deployment";
    /** Commit status state (`pending`, `success`, `failure`) or deployment state (`success`, `failure`). */
    state: string;
    /** The description: a Go template over `app` and `context`. */
    description: string;
}

export const gitHubTriggers: NotificationTrigger[] = [
    {
        name: "on-commit-deploying",
        description: "An app commit's image is syncing or rolling out: commit status deploy/<env> pending",
        when: deployFeedbackConditions.pending,
        oncePer: oncePerOperation,
        template: "github-status-pending",
    },
    {
        name: "on-commit-deployed",
        description: "An app commit's image is Synced and Healthy: commit status deploy/<env> success",
        when: deployFeedbackConditions.succeeded,
        oncePer: oncePerOperation,
        template: "github-status-success",
    },
    {
        name: "on-commit-deploy-failed",
        description: "An app commit's sync failed or it is Degraded: commit status deploy/<env> failure",
        when: deployFeedbackConditions.failed,
        oncePer: oncePerOperation,
        template: "github-status-failure",
    },
    {
        name: "on-deployment-succeeded",
        description: "A sync succeeded and is Healthy: a new GitHub deployment of the app commit, success",
        when: deployFeedbackConditions.succeeded,
        oncePer: oncePerOperation,
        template: "github-deployment-success",
    },
    {
        name: "on-deployment-failed",
        description:
            "A sync failed or the app is Degraded: a new GitHub deployment of the app commit, failure",
        when: deployFeedbackConditions.failed,
        oncePer: oncePerOperation,
        template: "github-deployment-failure",
    },
];

const app = "{{ .app.metadata.name }}";
const env = "{{ .context.environment }}";
/** Why it failed: the sync's phase and message, or the health. */
const failure =
    '{{ with .app.status.operationState }}{{ if ne .phase "Succeeded" }}sync {{ .phase }}: {{ .message }}' +
    "{{ else }}{{ with $.app.status.health }}health {{ .status }}{{ end }}{{ end }}{{ end }}";

export const gitHubTemplates: GitHubNotificationTemplate[] = [
    {
        name: "github-status-pending",
        kind: "status",
        state: "pending",
        description: `Argo CD is deploying ${app} to ${env}`,
    },
    {
        name: "github-status-success",
        kind: "status",
        state: "success",
        description: `${app} is deployed to ${env}: Synced and Healthy`,
    },
    {
        name: "github-status-failure",
        kind: "status",
        state: "failure",
        description: `${app} failed in ${env}: ${failure}`,
    },
    {
        name: "github-deployment-success",
        kind: "deployment",
        state: "success",
        description: `${app} is deployed to ${env}: Synced and Healthy`,
    },
    {
        name: "github-deployment-failure",
        kind: "deployment",
        state: "failure",
        description: `${app} failed in ${env}: ${failure}`,
    },
];

/** The triggers that send commit statuses, and those that create deployments. */
export const gitHubTriggerNames = {
    statuses: ["on-commit-deploying", "on-commit-deployed", "on-commit-deploy-failed"],
    deployments: ["on-deployment-succeeded", "on-deployment-failed"],
} as const;
