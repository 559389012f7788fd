import { stringify } from "yaml";
import type { NotificationTemplate } from "./catalog";

/**
 * Go template expressions Argo CD notifications evaluate (text/template with Sprig). Every one that can
 * meet a missing field is wrapped in `with`, so a young Application without a status never breaks a
 * template.
 */
export const templateFields = {
    app: "{{ .app.metadata.name }}",
    project: "{{ .app.spec.project }}",
    environment: "{{ .context.environment }}",
    appUrl: "{{ .context.argocdUrl }}/applications/{{ .app.metadata.namespace }}/{{ .app.metadata.name }}",
    revision: "{{ with .app.status.sync }}{{ .revision }}{{ end }}",
    health: "{{ with .app.status.health }}{{ .status }}{{ end }}",
    syncStatus: "{{ with .app.status.sync }}{{ .status }}{{ end }}",
    /** A link to the commit for Git sources; the chart and version for Helm sources (add-ons). */
    commit:
        "{{ with .app.spec.source }}{{ if .chart }}chart {{ .chart }} from {{ .repoURL }}{{ else }}" +
        "{{ call $.repo.RepoURLToHTTPS .repoURL }}/commit/{{ with $.app.status.sync }}{{ .revision }}{{ end }}" +
        "{{ end }}{{ end }}",
    /** The last operation's message, as plain text. */
    syncMessage: "{{ with .app.status.operationState }}{{ .message }}{{ end }}",
    /**
     * The same message escaped for a JSON string (Slack blocks are JSON): Sprig's `toJson` quotes and
     * escapes it, and `substr` drops the surrounding quotes. No `"` appears in the expression itself.
     */
    syncMessageJson:
        "{{ with .app.status.operationState }}{{ $m := toJson .message }}{{ substr 1 (int (sub (len $m) 1)) $m }}{{ end }}",
} as const;

/** The plain-text body: the email body, and Slack's notification fallback text. */
export function templateMessage(template: NotificationTemplate): string {
    const f = templateFields;
    return [
        `[${f.environment}] Application ${f.app} ${template.headline}.`,
        "",
        `Application:  ${f.app} (project ${f.project})`,
        `Environment:  ${f.environment}`,
        `Revision:     ${f.revision}`,
        `Commit:       ${f.commit}`,
        `Sync status:  ${f.syncStatus}, health: ${f.health}`,
        `Sync message: ${f.syncMessage}`,
        "",
        `Details: ${f.appUrl}`,
        "",
    ].join("\n");
}

/** Slack Block Kit blocks showing app, environment, revision, commit link and sync message. */
export function templateSlackBlocks(template: NotificationTemplate): Record<string, unknown>[] {
    const f = templateFields;
    const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
    return [
        {
            type: "header",
            text: {
                type: "plain_text",
                emoji: true,
                text: `${template.emoji} ${f.app} ${template.headline}`,
            },
        },
        {
            type: "section",
            fields: [
                mrkdwn(`*Application*\n<${f.appUrl}|${f.app}>`),
                mrkdwn(`*Environment*\n${f.environment}`),
                mrkdwn(`*Project*\n${f.project}`),
                mrkdwn(`*Revision*\n${f.revision}`),
            ],
        },
        { type: "section", text: mrkdwn(`*Commit*\n${f.commit}`) },
        { type: "section", text: mrkdwn(`*Sync message*\n${f.syncMessageJson}`) },
        { type: "context", elements: [mrkdwn(`Sync: ${f.syncStatus} · Health: ${f.health}`)] },
    ];
}

/** A template as Argo CD reads it: YAML with `message`, `email.subject` and `slack.blocks` (JSON text). */
export function renderTemplate(template: NotificationTemplate): string {
    const f = templateFields;
    return stringify(
        {
            message: templateMessage(template),
            email: { subject: `[${f.environment}] ${f.app} ${template.headline}` },
            slack: { blocks: JSON.stringify(templateSlackBlocks(template), null, 2) },
        },
        { lineWidth: 0 },
    );
}
