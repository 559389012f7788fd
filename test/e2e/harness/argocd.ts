import * as fs from "node:fs";
import * as path from "node:path";
import { freePort, httpOk, listening } from "./controlPlane";
import { loadManifests, type Kube, type KubeObject } from "./kube";
import { SupervisedProcess, waitFor } from "./process";
import { toolDir } from "./tools";

/** Ports of the run's Argo CD components (all on 127.0.0.1 inside the run's network namespace). */
export interface ArgoCdPorts {
    redis: number;
    repoServer: number;
    server: number;
    [metrics: string]: number;
}

/**
 * What a plain `install.yaml` gives a cluster before anything runs: the CRDs, and the ConfigMaps and
 * Secrets (argocd-cm, argocd-rbac-cm, argocd-secret, argocd-notifications-cm, …) in `namespace`. The
 * platform configures these in its `argocd.install: external` mode. Deployments, Services and RBAC are
 * left out: the components run as local processes with the admin kubeconfig.
 */
export function baseInstallObjects(namespace: string): KubeObject[] {
    const manifest = fs.readFileSync(path.join(toolDir("argocd"), "manifests", "install.yaml"), "utf8");
    const keep = new Set(["CustomResourceDefinition", "ConfigMap", "Secret"]);
    const objects: KubeObject[] = [];
    for (const object of loadManifests(manifest)) {
        if (!keep.has(object.kind)) continue;
        if (object.kind !== "CustomResourceDefinition") object.metadata.namespace = namespace;
        objects.push(object);
    }
    return objects;
}

/** Applies the base install (CRDs first, then the namespace's objects) and waits for the CRDs to be served. */
export async function installArgoCdBase(kube: Kube, namespace: string): Promise<void> {
    await kube.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    const objects = baseInstallObjects(namespace);
    const crds = objects.filter((o) => o.kind === "CustomResourceDefinition");
    for (const crd of crds) await kube.apply(crd, "argocd-install");
    for (const crd of crds) {
        await waitFor(`CRD ${crd.metadata.name} established`, async () => {
            const served = await kube.get(
                "apiextensions.k8s.io/v1",
                "CustomResourceDefinition",
                crd.metadata.name,
            );
            const conditions = (served?.status?.conditions ?? []) as { type: string; status: string }[];
            return conditions.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
        });
    }
    for (const object of objects.filter((o) => o.kind !== "CustomResourceDefinition")) {
        await kube.apply(object, "argocd-install");
    }
}

/**
 * Argo CD v3 as local processes of one binary (the component is chosen by the name it runs as): redis,
 * repo server, API server (which must write `server.secretkey` into argocd-secret before the ApplicationSet
 * controller's webhook handler works), application controller, ApplicationSet controller and notifications
 * controller, all against the run's API server with `ARGOCD_FAKE_IN_CLUSTER=true`.
 */
export class LocalArgoCd {
    ports!: ArgoCdPorts;

    constructor(
        private readonly runDir: string,
        private readonly logDir: string,
        private readonly kubeconfig: string,
        readonly namespace: string,
    ) {}

    /** Base URL of argocd-server (plain HTTP, `--insecure`); webhooks go to `${serverUrl}/api/webhook`. */
    get serverUrl(): string {
        return `http://127.0.0.1:${this.ports.server}`;
    }

    /** `webhook-addr` of the ApplicationSet controller (its own `/api/webhook`). */
    get appSetWebhookUrl(): string {
        return `http://127.0.0.1:${this.ports.appSetWebhook}`;
    }

    async processes(kube: Kube): Promise<SupervisedProcess[]> {
        const bin = toolDir("argocd");
        const helm = toolDir("helm");
        const kustomize = toolDir("kustomize");
        const names = [
            "redis",
            "repoServer",
            "server",
            "repoMetrics",
            "serverMetrics",
            "controllerMetrics",
            "appSetMetrics",
            "appSetProbe",
            "appSetWebhook",
            "notificationsMetrics",
        ];
        const ports = await Promise.all(names.map(() => freePort()));
        this.ports = Object.fromEntries(names.map((name, i) => [name, ports[i]])) as ArgoCdPorts;
        const p = this.ports;
        const home = path.join(this.runDir, "argocd");
        for (const dir of ["tls", "ssh", "gnupg", "home", "tmp", "static"]) {
            fs.mkdirSync(path.join(home, dir), { recursive: true, mode: 0o700 });
        }
        fs.writeFileSync(path.join(home, "ssh", "ssh_known_hosts"), "");
        const env = {
            ARGOCD_FAKE_IN_CLUSTER: "true",
            KUBECONFIG: this.kubeconfig,
            HOME: path.join(home, "home"),
            TMPDIR: path.join(home, "tmp"),
            ARGOCD_TLS_DATA_PATH: path.join(home, "tls"),
            ARGOCD_SSH_DATA_PATH: path.join(home, "ssh"),
            ARGOCD_GNUPGHOME: path.join(home, "gnupg"),
            ARGOCD_GPG_ENABLED: "false",
            ARGOCD_ASK_PASS_SOCK: path.join(home, "askpass.sock"),
            // git-verify-wrapper.sh runs on every fetch; helm and kustomize render sources.
            PATH: [path.join(bin, "hack"), helm, kustomize, bin, process.env.PATH].join(":"),
        };
        const redis = `127.0.0.1:${p.redis}`;
        const repoServer = `127.0.0.1:${p.repoServer}`;
        const common = [`--namespace=${this.namespace}`, "--loglevel=info"];
        const argocd = (name: string, args: string[], ready: () => Promise<boolean>) =>
            new SupervisedProcess(
                // Every Argo CD component runs as a Deployment (or StatefulSet) whose container the kubelet restarts.
                {
                    name,
                    command: path.join(bin, name),
                    args,
                    env,
                    cwd: home,
                    ready,
                    stopTimeoutMs: 5_000,
                    restartOnExit: true,
                },
                this.logDir,
            );
        return [
            new SupervisedProcess(
                {
                    name: "redis",
                    command: "redis-server",
                    args: [
                        "--port",
                        String(p.redis),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    ready: () => listening(p.redis),
                },
                this.logDir,
            ),
            argocd(
                "argocd-repo-server",
                [
                    "--loglevel=info",
                    "--disable-tls",
                    "--client-ca-path=",
                    `--port=${p.repoServer}`,
                    "--address=127.0.0.1",
                    `--metrics-port=${p.repoMetrics}`,
                    `--redis=${redis}`,
                ],
                () => listening(p.repoServer),
            ),
            argocd(
                "argocd-server",
                [
                    ...common,
                    "--insecure",
                    `--port=${p.server}`,
                    "--address=127.0.0.1",
                    `--metrics-port=${p.serverMetrics}`,
                    `--repo-server=${repoServer}`,
                    "--repo-server-plaintext",
                    `--redis=${redis}`,
                    `--staticassets=${path.join(home, "static")}`,
                ],
                // Ready once it answers and has written the key the ApplicationSet webhook handler needs.
                async () => {
                    if (!(await httpOk(`http://127.0.0.1:${p.server}/healthz`))) return false;
                    const secret = await kube.get("v1", "Secret", "argocd-secret", this.namespace);
                    return secret?.data?.["server.secretkey"] !== undefined;
                },
            ),
            argocd(
                "argocd-application-controller",
                [
                    ...common,
                    `--repo-server=${repoServer}`,
                    "--repo-server-plaintext",
                    `--redis=${redis}`,
                    `--metrics-port=${p.controllerMetrics}`,
                    "--status-processors=4",
                    "--operation-processors=2",
                    "--self-heal-timeout-seconds=2",
                    // The stock Deployment passes argocd-cm's timeout.reconciliation here; an hour makes polling
                    // effectively off, so only the webhook can explain a sync within seconds.
                    "--app-resync=3600",
                    "--self-heal-backoff-timeout-seconds=2",
                    // Each resource's health in the Application's status, as `argocd app get` shows it (Argo CD 3
                    // keeps it only in its cache by default): the app-template step reads the HPA's and PDB's.
                    "--persist-resource-health",
                ],
                () => httpOk(`http://127.0.0.1:${p.controllerMetrics}/metrics`),
            ),
            argocd(
                "argocd-applicationset-controller",
                [
                    ...common,
                    `--argocd-repo-server=${repoServer}`,
                    "--repo-server-plaintext",
                    `--metrics-addr=127.0.0.1:${p.appSetMetrics}`,
                    `--probe-addr=127.0.0.1:${p.appSetProbe}`,
                    `--webhook-addr=127.0.0.1:${p.appSetWebhook}`,
                    "--enable-leader-election=false",
                ],
                // No health checks are registered on its probe address; its metrics answer once it serves.
                () => httpOk(`http://127.0.0.1:${p.appSetMetrics}/metrics`),
            ),
            argocd(
                "argocd-notifications",
                [
                    ...common,
                    `--argocd-repo-server=${repoServer}`,
                    "--argocd-repo-server-plaintext",
                    `--metrics-port=${p.notificationsMetrics}`,
                ],
                () => httpOk(`http://127.0.0.1:${p.notificationsMetrics}/metrics`),
            ),
        ];
    }
}
