import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { freePort, httpOk } from "./controlPlane";
import { kubeconfigYaml, type ClusterPki } from "./pki";
import { SupervisedProcess } from "./process";
import { toolDir } from "./tools";

/** GET over https with the run's CA (and a token): resolves the status code, or 0 when nothing answers. */
export function httpsStatus(url: string, ca?: Buffer, token?: string): Promise<number> {
    return new Promise((resolve) => {
        const request = https.get(
            url,
            {
                ...(ca ? { ca } : { rejectUnauthorized: false }),
                headers: token ? { authorization: `Bearer ${token}` } : {},
                timeout: 2_000,
            },
            (response) => {
                response.resume();
                resolve(response.statusCode ?? 0);
            },
        );
        request.on("error", () => resolve(0));
        request.on("timeout", () => request.destroy());
    });
}

/** Where a run's cluster answers, and how to reach it. */
export interface ClusterEndpoints {
    name: string;
    /** https://127.0.0.1:<port> */
    server: string;
    pki: ClusterPki;
    /** Admin kubeconfig file (token of system:masters). */
    kubeconfig: string;
}

/** Debian's etcd, shared by the run's clusters (each API server keeps its own `--etcd-prefix`). */
export async function etcdProcess(
    runDir: string,
    logDir: string,
): Promise<{ process: SupervisedProcess; url: string }> {
    const [client, peer] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${client}`;
    const process = new SupervisedProcess(
        {
            name: "etcd",
            command: "etcd",
            args: [
                "--name=e2e",
                `--data-dir=${path.join(runDir, "etcd")}`,
                `--listen-client-urls=${url}`,
                `--advertise-client-urls=${url}`,
                `--listen-peer-urls=http://127.0.0.1:${peer}`,
                `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
                `--initial-cluster=e2e=http://127.0.0.1:${peer}`,
            ],
            ready: () => httpOk(`${url}/health`),
        },
        logDir,
    );
    return { process, url };
}

/**
 * One Kubernetes control plane from the pinned module builds, on the run's etcd: kube-apiserver and
 * kube-controller-manager (namespace deletion, garbage collection, Deployments → ReplicaSets → Pods),
 * plus, when it runs workloads, kube-scheduler and kwok (a fake node whose pods become Ready without
 * containers). `processes()` lists them in start order.
 */
export class LocalCluster {
    endpoints!: ClusterEndpoints;

    constructor(
        readonly name: string,
        private readonly runDir: string,
        private readonly logDir: string,
        private readonly pki: ClusterPki,
        private readonly etcdUrl: string,
        private readonly options: { workloads: boolean },
    ) {}

    async processes(): Promise<SupervisedProcess[]> {
        const dir = path.join(this.runDir, this.name);
        fs.mkdirSync(dir, { recursive: true });
        const pki = this.pki;
        const [apiPort, schedulerPort, kwokPort] = [await freePort(), await freePort(), await freePort()];
        const server = `https://127.0.0.1:${apiPort}`;
        const kubeconfig = path.join(dir, "admin.kubeconfig");
        fs.writeFileSync(kubeconfig, kubeconfigYaml(server, pki.caCert, pki.adminToken, this.name));
        this.endpoints = { name: this.name, server, pki, kubeconfig };
        const ca = fs.readFileSync(pki.caCert);
        const k8sBin = toolDir("kubernetes");
        const spec = (
            name: string,
            command: string,
            args: string[],
            ready: () => Promise<boolean>,
            env: Record<string, string> = {},
        ) => new SupervisedProcess({ name: `${this.name}-${name}`, command, args, ready, env }, this.logDir);
        const processes = [
            spec(
                "kube-apiserver",
                path.join(k8sBin, "kube-apiserver"),
                [
                    `--etcd-servers=${this.etcdUrl}`,
                    `--etcd-prefix=/${this.name}`,
                    "--bind-address=127.0.0.1",
                    "--advertise-address=127.0.0.1",
                    `--secure-port=${apiPort}`,
                    `--tls-cert-file=${pki.servingCert}`,
                    `--tls-private-key-file=${pki.servingKey}`,
                    `--client-ca-file=${pki.caCert}`,
                    `--token-auth-file=${pki.tokenFile}`,
                    "--authorization-mode=RBAC",
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    `--service-account-key-file=${pki.serviceAccountPub}`,
                    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
                    "--service-cluster-ip-range=10.96.0.0/24",
                    "--allow-privileged=true",
                    "--enable-priority-and-fairness=false",
                    // Clients' watch-list streams (kwok's client-go v0.36 asks for them) need etcd's
                    // RequestWatchProgress, which Debian's etcd 3.4.23 lacks: such a watch ended with an error
                    // every cycle and kwok saw new pods only on relists, ~30 s late. With the server's WatchList
                    // off, clients fall back to list and watch at once.
                    "--feature-gates=WatchList=false",
                    "--profiling=false",
                ],
                async () => (await httpsStatus(`${server}/readyz`, ca, pki.adminToken)) === 200,
            ),
            spec(
                "kube-controller-manager",
                path.join(k8sBin, "kube-controller-manager"),
                [
                    `--kubeconfig=${kubeconfig}`,
                    "--leader-elect=false",
                    "--bind-address=127.0.0.1",
                    "--secure-port=0",
                    `--service-account-private-key-file=${pki.serviceAccountKey}`,
                    `--root-ca-file=${pki.caCert}`,
                    "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller",
                    // Autoscalers read metrics every 5 s rather than 15 s, so the app-template step waits less.
                    "--horizontal-pod-autoscaler-sync-period=5s",
                    "--profiling=false",
                ],
                // The service account controller has run once the default namespace has its account.
                async () =>
                    (await httpsStatus(
                        `${server}/api/v1/namespaces/default/serviceaccounts/default`,
                        ca,
                        pki.adminToken,
                    )) === 200,
            ),
        ];
        if (!this.options.workloads) return processes;
        const kwokDir = toolDir("kwok");
        const stages = fs
            .readdirSync(path.join(kwokDir, "stages"))
            .map((f) => path.join(kwokDir, "stages", f));
        return [
            ...processes,
            spec(
                "kube-scheduler",
                path.join(k8sBin, "kube-scheduler"),
                [
                    `--kubeconfig=${kubeconfig}`,
                    `--authentication-kubeconfig=${kubeconfig}`,
                    `--authorization-kubeconfig=${kubeconfig}`,
                    "--leader-elect=false",
                    "--bind-address=127.0.0.1",
                    `--secure-port=${schedulerPort}`,
                    "--profiling=false",
                ],
                async () => (await httpsStatus(`https://127.0.0.1:${schedulerPort}/healthz`)) === 200,
            ),
            spec(
                "kwok",
                path.join(kwokDir, "kwok"),
                [
                    `--kubeconfig=${kubeconfig}`,
                    "--manage-all-nodes=true",
                    // The heartbeat-with-lease stage renews the node's Lease only with a lease duration; without
                    // one the node lifecycle controller marks the node NotReady after its grace period, and every
                    // pod on it unready (seen ~60 s into the run).
                    "--node-lease-duration-seconds=40",
                    `--server-address=127.0.0.1:${kwokPort}`,
                    "--cidr=10.244.0.0/16",
                    "--node-ip=127.0.0.1",
                    ...stages.map((stage) => `--config=${stage}`),
                ],
                () => httpOk(`http://127.0.0.1:${kwokPort}/healthz`),
            ),
        ];
    }
}

/** A fake node for kwok to keep Ready: no taints, room for every pod of the run. */
export function fakeNode(name: string): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name,
            annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
            labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", type: "kwok" },
        },
        status: {
            allocatable: { cpu: "32", memory: "256Gi", pods: "250" },
            capacity: { cpu: "32", memory: "256Gi", pods: "250" },
        },
    };
}
