import * as http from "node:http";
import { SMTPServer } from "smtp-server";
import type { Component } from "./controlPlane";

/** A message a notification sink received, reduced to what the steps assert on. */
export interface ReceivedMessage {
    /** Slack channel, or the e-mail recipients joined with ", ". */
    to: string;
    /** Slack text plus attachments/blocks, or the e-mail subject and body. */
    text: string;
    at: number;
}

/**
 * A Slack-compatible Web API on loopback: answers every method with `{"ok":true}` and records
 * `chat.postMessage` calls. notifications-engine's Slack service takes `apiURL` (slack-go's OptionAPIURL),
 * so Argo CD posts here instead of slack.com.
 */
export class SlackReceiver implements Component {
    readonly name = "slack-receiver";
    readonly messages: ReceivedMessage[] = [];
    private server?: http.Server;

    constructor(private readonly port: number) {}

    /** The `apiURL` to configure: slack-go appends the method name to it. */
    get apiURL(): string {
        return `http://127.0.0.1:${this.port}/api/`;
    }

    async start(): Promise<void> {
        this.server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString()));
            request.on("end", () => {
                if (request.url?.endsWith("/chat.postMessage")) {
                    const form = request.headers["content-type"]?.includes("json")
                        ? (JSON.parse(body) as Record<string, unknown>)
                        : Object.fromEntries(new URLSearchParams(body));
                    this.messages.push({
                        to: String(form.channel ?? ""),
                        text: [form.text, form.attachments, form.blocks]
                            .filter(Boolean)
                            .map(String)
                            .join("\n"),
                        at: Date.now(),
                    });
                }
                response.writeHead(200, { "content-type": "application/json" });
                response.end(JSON.stringify({ ok: true, channel: "C0E2E", ts: `${Date.now() / 1000}` }));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}

/** An SMTP sink on loopback (the well-kept `smtp-server` package): accepts any login and keeps each message. */
export class SmtpSink implements Component {
    readonly name = "smtp-sink";
    readonly messages: ReceivedMessage[] = [];
    private server?: SMTPServer;

    constructor(readonly port: number) {}

    async start(): Promise<void> {
        this.server = new SMTPServer({
            secure: false,
            disabledCommands: ["STARTTLS"],
            authOptional: true,
            allowInsecureAuth: true,
            logger: false,
            onAuth: (_auth, _session, callback) => callback(null, { user: "e2e" }),
            onData: (stream, session, callback) => {
                let raw = "";
                stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
                stream.on("end", () => {
                    this.messages.push({
                        to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(", "),
                        text: decodeQuotedPrintable(raw),
                        at: Date.now(),
                    });
                    callback();
                });
            },
        });
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/** Mail bodies arrive quoted-printable; soft line breaks and =XX escapes would split the words we look for. */
function decodeQuotedPrintable(text: string): string {
    return text
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export function closeServer(server: http.Server | undefined): Promise<void> {
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
    });
}

/** A commit status or deployment status the GitHub API receiver was sent. */
export interface GitHubEvent {
    kind: "status" | "deployment";
    /** `owner/repo` */
    repository: string;
    /** Commit SHA (statuses) or the deployment's ref (deployments). */
    sha: string;
    /** Deployment id (deployments only). */
    id?: number;
    environment?: string;
    context?: string;
    /** Latest state: statuses' `state`; for deployments, the last deployment status (`inactive` when replaced). */
    state: string;
    at: number;
}

/**
 * A GitHub-API receiver on loopback, for notifications-engine's GitHub service pointed at it as a GitHub
 * Enterprise base URL (`<url>/api/v3`): answers the App installation-token exchange, records commit statuses
 * and deployments with their statuses, and, like GitHub (`auto_inactive`, default true), marks the earlier
 * successful deployments of a repository and environment inactive when a new one succeeds.
 */
export class GitHubApiReceiver implements Component {
    readonly name = "github-api-receiver";
    readonly statuses: GitHubEvent[] = [];
    readonly deployments: GitHubEvent[] = [];
    private server?: http.Server;

    constructor(private readonly port: number) {}

    /** The enterprise base URL to configure. */
    get baseURL(): string {
        return `http://127.0.0.1:${this.port}/api/v3`;
    }

    async start(): Promise<void> {
        this.server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString()));
            request.on("end", () => {
                const [status, answer] = this.answer(request.method ?? "GET", request.url ?? "/", body);
                response.writeHead(status, { "content-type": "application/json" });
                response.end(JSON.stringify(answer));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    private answer(method: string, url: string, body: string): [number, unknown] {
        const path = new URL(url, this.baseURL).pathname.replace(/^\/api\/v3/, "");
        const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
        const now = Date.now();
        if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
            return [201, { token: "ghs_e2e", expires_at: new Date(now + 3_600_000).toISOString() }];
        }
        const repo = /^\/repos\/([^/]+\/[^/]+)\/(.*)$/.exec(path);
        if (!repo) return [404, { message: "Not Found" }];
        const [, repository, rest] = repo;
        const commit = /^statuses\/([0-9a-f]{40})$/.exec(rest);
        if (method === "POST" && commit) {
            this.statuses.push({
                kind: "status",
                repository,
                sha: commit[1],
                context: String(input.context ?? ""),
                state: String(input.state ?? ""),
                at: now,
            });
            return [201, { id: this.statuses.length, state: input.state }];
        }
        if (method === "GET" && rest === "deployments") return [200, []];
        if (method === "POST" && rest === "deployments") {
            const deployment: GitHubEvent = {
                kind: "deployment",
                repository,
                sha: String(input.ref ?? ""),
                id: this.deployments.length + 1,
                environment: String(input.environment ?? ""),
                state: "created",
                at: now,
            };
            this.deployments.push(deployment);
            return [201, { id: deployment.id, ref: deployment.sha, environment: deployment.environment }];
        }
        const deploymentStatus = /^deployments\/(\d+)\/statuses$/.exec(rest);
        if (method === "POST" && deploymentStatus) {
            const deployment = this.deployments.find((d) => d.id === Number(deploymentStatus[1]));
            if (!deployment) return [404, { message: "Not Found" }];
            deployment.state = String(input.state ?? "");
            if (deployment.state === "success" && input.auto_inactive !== false) {
                for (const earlier of this.deployments) {
                    const sameTarget =
                        earlier.repository === repository && earlier.environment === deployment.environment;
                    if (earlier !== deployment && sameTarget && earlier.state === "success")
                        earlier.state = "inactive";
                }
            }
            return [201, { id: now, state: deployment.state }];
        }
        return [404, { message: "Not Found" }];
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}
