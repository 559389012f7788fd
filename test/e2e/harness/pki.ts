import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

/** The files a run's API server needs, made fresh per run with Debian's openssl. */
export interface ClusterPki {
    dir: string;
    caCert: string;
    caKey: string;
    servingCert: string;
    servingKey: string;
    serviceAccountKey: string;
    serviceAccountPub: string;
    /** Static tokens file (`--token-auth-file`): the admin's and the spoke's. */
    tokenFile: string;
    adminToken: string;
    /** Token the hub's Argo CD uses for the spoke cluster (a member of system:masters too). */
    spokeToken: string;
    /** An RSA private key (PEM) for the GitHub App of deployment feedback (ghinstallation parses it). */
    gitHubAppKey: string;
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/**
 * A CA, a serving certificate for 127.0.0.1/localhost/kubernetes.default.svc (and the metrics API
 * stand-in's metrics-server.kube-system.svc), a service account key pair and tokens.
 */
export function makePki(dir: string): ClusterPki {
    fs.mkdirSync(dir, { recursive: true });
    const file = (name: string) => path.join(dir, name);
    // P-256 keys, new each run: a self-signed CA, and a serving key with its signing request.
    const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
        [
            "req",
            "-x509",
            ...newKey,
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=gitops-e2e-ca",
        ],
        dir,
    );
    fs.writeFileSync(
        file("serving.ext"),
        // metrics-server.kube-system.svc: the name the aggregation layer verifies on the metrics API stand-in.
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc,DNS:metrics-server.kube-system.svc\nextendedKeyUsage=serverAuth\n",
    );
    openssl(
        ["req", ...newKey, "-keyout", "serving.key", "-out", "serving.csr", "-subj", "/CN=kube-apiserver"],
        dir,
    );
    openssl(
        [
            "x509",
            "-req",
            "-in",
            "serving.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "serving.ext",
            "-out",
            "serving.crt",
        ],
        dir,
    );
    openssl(["genrsa", "-out", "sa.key", "2048"], dir);
    openssl(["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
    openssl(["genrsa", "-out", "github-app.pem", "2048"], dir);
    const adminToken = randomBytes(24).toString("hex");
    const spokeToken = randomBytes(24).toString("hex");
    // token,user,uid,"group1,group2"
    fs.writeFileSync(
        file("tokens.csv"),
        `${adminToken},admin,admin,"system:masters"\n${spokeToken},argocd-spoke,argocd-spoke,"system:masters"\n`,
    );
    return {
        dir,
        caCert: file("ca.crt"),
        caKey: file("ca.key"),
        servingCert: file("serving.crt"),
        servingKey: file("serving.key"),
        serviceAccountKey: file("sa.key"),
        serviceAccountPub: file("sa.pub"),
        tokenFile: file("tokens.csv"),
        adminToken,
        spokeToken,
        gitHubAppKey: fs.readFileSync(file("github-app.pem"), "utf8"),
    };
}

/** A kubeconfig for `server` with a bearer token, trusting the run's CA. */
export function kubeconfigYaml(server: string, caCertFile: string, token: string, name = "e2e"): string {
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": name,
        clusters: [
            {
                name,
                cluster: {
                    server,
                    "certificate-authority-data": fs.readFileSync(caCertFile).toString("base64"),
                },
            },
        ],
        users: [{ name, user: { token } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
    });
}
