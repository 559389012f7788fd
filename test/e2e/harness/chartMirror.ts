import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { stringify } from "yaml";
import type { Component } from "./controlPlane";
import { closeServer } from "./receivers";

/** A chart the mirror serves: the name and version an add-on pins. */
export interface MirroredChart {
    name: string;
    version: string;
}

/** Name of the ConfigMap each stand-in chart renders; it holds the release's values as JSON. */
export function valuesConfigMapName(release: string): string {
    return `${release}-values`.slice(0, 63);
}

/**
 * A Helm chart repository mirror on loopback: what an air-gapped cluster points `addons.<name>.repoURL`
 * at. No chart repository can be reached from here, so it serves stand-in charts under the pinned names and
 * versions, packaged with the real `helm`; each renders one ConfigMap with the values it was given, so the
 * run can read which values reached a release on which cluster. The real charts' contents are checked by
 * the mock suite against their vendored values.yaml instead.
 */
export class ChartMirror implements Component {
    readonly name = "chart-mirror";
    private server?: http.Server;
    private readonly dir: string;

    constructor(
        runDir: string,
        private readonly port: number,
        private readonly helm: string,
        private readonly charts: MirroredChart[],
    ) {
        this.dir = path.join(runDir, "charts");
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    async start(): Promise<void> {
        const repo = path.join(this.dir, "repo");
        fs.mkdirSync(repo, { recursive: true });
        for (const chart of this.charts) {
            const source = path.join(this.dir, "src", chart.name);
            fs.mkdirSync(path.join(source, "templates"), { recursive: true });
            fs.writeFileSync(
                path.join(source, "Chart.yaml"),
                stringify({
                    apiVersion: "v2",
                    name: chart.name,
                    version: chart.version,
                    description: "e2e stand-in",
                }),
            );
            fs.writeFileSync(
                path.join(source, "templates", "values.yaml"),
                [
                    "apiVersion: v1",
                    "kind: ConfigMap",
                    "metadata:",
                    '  name: {{ printf "%s-values" .Release.Name | trunc 63 }}',
                    "data:",
                    "  values.json: {{ toJson .Values | quote }}",
                    "",
                ].join("\n"),
            );
            execFileSync(this.helm, ["package", source, "--destination", repo], { stdio: "pipe" });
        }
        execFileSync(this.helm, ["repo", "index", repo, "--url", this.url], { stdio: "pipe" });
        this.server = http.createServer((request, response) => {
            const file = path.join(repo, path.basename(new URL(request.url ?? "/", this.url).pathname));
            if (!fs.existsSync(file)) {
                response.writeHead(404).end();
                return;
            }
            response.writeHead(200).end(fs.readFileSync(file));
        });
        await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    }

    async stop(): Promise<void> {
        await closeServer(this.server);
    }
}
