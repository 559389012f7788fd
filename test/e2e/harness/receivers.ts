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
