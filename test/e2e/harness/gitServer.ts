import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import type { Component } from "./controlPlane";
import { closeServer } from "./receivers";

/** Debian git's smart-HTTP CGI program. */
const httpBackend = "/usr/lib/git-core/git-http-backend";

export interface GitServerOptions {
    /** Directory holding the bare repositories (`<name>.git`). */
    root: string;
    port: number;
    /** Basic-auth credentials every request must carry (the Argo CD repository Secret's). */
    username: string;
    password: string;
}

/**
 * A Git server over smart HTTP: `git http-backend` (Debian's git) behind a small HTTP server that requires
 * basic auth. Argo CD matches webhook pushes only to http(s)/ssh repository URLs, and go-git needs the
 * smart protocol, so a static file server would not do. Pushes are allowed (`http.receivepack`).
 */
export class GitServer implements Component {
    readonly name = "git-server";
    private server?: http.Server;
    private readonly log: string[] = [];

    constructor(private readonly options: GitServerOptions) {}

    /** `http://127.0.0.1:<port>/<name>.git` */
    url(repository: string): string {
        return `http://127.0.0.1:${this.options.port}/${repository}.git`;
    }

    /** The same URL with the credentials in it, for the harness's own clones and pushes. */
    authenticatedUrl(repository: string): string {
        const { username, password, port } = this.options;
        return `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${repository}.git`;
    }

    /** Creates an empty bare repository that accepts pushes over HTTP. */
    createRepository(repository: string, branch: string): void {
        const dir = path.join(this.options.root, `${repository}.git`);
        fs.mkdirSync(dir, { recursive: true });
        execFileSync("git", ["init", "--quiet", "--bare", `--initial-branch=${branch}`, dir]);
        execFileSync("git", ["-C", dir, "config", "http.receivepack", "true"]);
    }

    async start(): Promise<void> {
        const expected = `Basic ${Buffer.from(`${this.options.username}:${this.options.password}`).toString("base64")}`;
        this.server = http.createServer((request, response) => {
            if (request.headers.authorization !== expected) {
                this.log.push(`${request.method} ${request.url} 401`);
                response.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end();
                return;
            }
            this.serve(request, response);
        });
        await new Promise<void>((resolve) => this.server!.listen(this.options.port, "127.0.0.1", resolve));
    }

    private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
        const url = new URL(request.url ?? "/", "http://localhost");
        const cgi = spawn(httpBackend, [], {
            env: {
                GIT_PROJECT_ROOT: this.options.root,
                GIT_HTTP_EXPORT_ALL: "1",
                PATH_INFO: decodeURIComponent(url.pathname),
                QUERY_STRING: url.search.slice(1),
                REQUEST_METHOD: request.method ?? "GET",
                CONTENT_TYPE: request.headers["content-type"] ?? "",
                HTTP_CONTENT_ENCODING: request.headers["content-encoding"] ?? "",
                GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
                REMOTE_USER: this.options.username,
                REMOTE_ADDR: "127.0.0.1",
                PATH: process.env.PATH ?? "/usr/bin:/bin",
            },
        });
        request.pipe(cgi.stdin);
        // CGI output: headers, a blank line, then the body.
        let head = Buffer.alloc(0);
        let headersDone = false;
        cgi.stdout.on("data", (chunk: Buffer) => {
            if (headersDone) {
                response.write(chunk);
                return;
            }
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf("\r\n\r\n");
            if (end < 0) return;
            headersDone = true;
            let status = 200;
            for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
                const colon = line.indexOf(":");
                const name = line.slice(0, colon).trim();
                const value = line.slice(colon + 1).trim();
                if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
                else response.setHeader(name, value);
            }
            response.statusCode = status;
            this.log.push(`${request.method} ${url.pathname}${url.search} ${status}`);
            response.write(head.subarray(end + 4));
        });
        cgi.stderr.on("data", (chunk: Buffer) => this.log.push(chunk.toString().trimEnd()));
        cgi.on("close", () => {
            if (!headersDone) response.writeHead(502);
            response.end();
        });
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }

    tail(): string {
        return this.log
            .slice(-20)
            .map((line) => `  git-server | ${line}`)
            .join("\n");
    }
}
