import { createHmac } from "node:crypto";

export interface PushEvent {
    /** The repository's web URL (`repository.html_url`): Argo CD matches Applications' repoURL against it. */
    htmlUrl: string;
    branch: string;
    before: string;
    after: string;
    /** Paths the push changed (`commits[].modified`): Argo CD refreshes only Applications whose paths they touch. */
    changed: string[];
}

/**
 * Sends a GitHub-format push event, as GitHub (or a Gitea/Forgejo server in GitHub mode) would, signed with
 * `secret` in `X-Hub-Signature-256` (HMAC-SHA256 of the body). Argo CD 3.6.1 answers 200 when it took the
 * event and 400 ("Webhook processing failed: HMAC verification failed") when the signature does not verify.
 * Resolves the HTTP status.
 */
export async function sendGitHubPush(endpoint: string, secret: string, event: PushEvent): Promise<number> {
    const body = JSON.stringify({
        ref: `refs/heads/${event.branch}`,
        before: event.before,
        after: event.after,
        repository: {
            html_url: event.htmlUrl,
            clone_url: `${event.htmlUrl}.git`,
            default_branch: event.branch,
            name: event.htmlUrl.split("/").pop(),
        },
        commits: [{ id: event.after, added: [], removed: [], modified: event.changed }],
        head_commit: { id: event.after },
    });
    const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    const response = await fetch(endpoint, {
        method: "POST",
        headers: {
            "content-type": "application/json",
            "x-github-event": "push",
            "x-github-delivery": `e2e-${event.after.slice(0, 12)}`,
            "x-hub-signature-256": signature,
        },
        body,
    });
    await response.arrayBuffer();
    return response.status;
}
