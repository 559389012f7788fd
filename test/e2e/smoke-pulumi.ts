import * as fs from "node:fs";
import * as path from "node:path";
import { ControlPlane, freePort } from "./harness/controlPlane";
import { LocalCluster, etcdProcess } from "./harness/kubernetes";
import { kubeconfigYaml, makePki } from "./harness/pki";
import { Kube } from "./harness/kube";
import { installArgoCdBase } from "./harness/argocd";
import { pulumiStack } from "./harness/pulumi";
import { e2eSecrets, e2eStackConfig } from "./stack";
import { loadStack } from "../../stacks/loader";
import { deployPlatform } from "../../stacks/program";
(async () => {
    const runDir = fs.mkdtempSync("/tmp/smokep-");
    const logDir = path.join(runDir, "logs");
    fs.mkdirSync(logDir);
    const cp = new ControlPlane();
    try {
        const pki = makePki(path.join(runDir, "pki"));
        const etcd = await etcdProcess(runDir, logDir);
        const hub = new LocalCluster("hub", runDir, logDir, pki, etcd.url, { workloads: false });
        const spoke = new LocalCluster("spoke", runDir, logDir, pki, etcd.url, { workloads: false });
        await cp.start(etcd.process, ...(await hub.processes()), ...(await spoke.processes()));
        const kube = new Kube(hub.endpoints.kubeconfig);
        await installArgoCdBase(kube, "argocd");
        const secrets = e2eSecrets(
            kubeconfigYaml(spoke.endpoints.server, pki.caCert, pki.spokeToken, "spoke"),
            pki.gitHubAppKey,
        );
        const config = e2eStackConfig(
            {
                hubKubeconfig: hub.endpoints.kubeconfig,
                spokeServer: spoke.endpoints.server,
                spokeKubeconfig: "",
                gitHubApiURL: "http://127.0.0.1:3996/api/v3",
                gitopsRepoURL: "http://127.0.0.1:3999/gitops.git",
                chartMirrorURL: "http://127.0.0.1:3998",
                slackApiURL: "http://127.0.0.1:3997/api/",
                smtpPort: await freePort(),
            },
            secrets,
        );
        const stack = await pulumiStack({
            runDir,
            projectName: "gitops-platform",
            stackName: "e2e",
            program: async () => ({ platform: deployPlatform(loadStack()) }),
            config,
        });
        const mode = process.argv[2] ?? "preview";
        let t = Date.now();
        const pv = await stack.preview({
            onOutput: (s) => process.stdout.write(s),
            ...(mode === "policy"
                ? {
                      policyPacks: [path.resolve("policy")],
                      policyPackConfigs: [path.resolve("policy/config/dev.json")],
                  }
                : {}),
        });
        console.log("PREVIEW", Date.now() - t, pv.changeSummary);
        if (mode === "up") {
            t = Date.now();
            const up = await stack.up({ onOutput: (s) => process.stdout.write(s) });
            console.log("UP", Date.now() - t, up.summary.resourceChanges);
            t = Date.now();
            const p2 = await stack.preview({ diff: true, onOutput: (s) => process.stdout.write(s) });
            console.log("PREVIEW2", Date.now() - t, p2.changeSummary);
            const root = await kube.get("argoproj.io/v1alpha1", "Application", "platform-root", "argocd");
            console.log("LIVE", JSON.stringify((root?.spec as any)?.source?.helm).slice(0, 400));
            console.log("MANAGED", JSON.stringify(root?.metadata.managedFields).slice(0, 1500));
        }
    } catch (e) {
        console.error(String(e));
        console.error(cp.tails());
    } finally {
        await cp.stop();
    }
})();
