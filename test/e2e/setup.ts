import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation";
import { loadStack, type ConfigSource, type LoadedStack } from "../../stacks/loader";
import { deployPlatform } from "../../stacks/program";
import { addonCatalog } from "../../components/addons/catalog";
import { deployCommitTitle } from "../../components/github/conventions";
import { script, setImageLines } from "../../components/github/workflows/shell";
import { platformRepositoryFiles, resolveFiles } from "../../components/platformSeed";
import { injectedFault, withoutNamespacePermission } from "./faults";
import { LocalArgoCd, installArgoCdBase } from "./harness/argocd";
import { ChartMirror } from "./harness/chartMirror";
import { ControlPlane, freePort } from "./harness/controlPlane";
import { GitServer } from "./harness/gitServer";
import { GitWorkTree } from "./harness/gitWork";
import { Kube, loadManifests } from "./harness/kube";
import { LocalCluster, etcdProcess, fakeNode, type ClusterEndpoints } from "./harness/kubernetes";
import { kubeconfigYaml, makePki } from "./harness/pki";
import { SupervisedProcess } from "./harness/process";
import { pulumiStack } from "./harness/pulumi";
import { GitHubApiReceiver, SlackReceiver, SmtpSink } from "./harness/receivers";
import { EmptyPrometheus, MetricsApi } from "./harness/metrics";
import { toolDir } from "./harness/tools";
import {
    argocdNamespace,
    e2eAddons,
    e2eSecrets,
    e2eStackConfig,
    environment,
    gitopsBranch,
    spokeName,
} from "./stack";

export const projectName = "gitops-platform";
export const stackName = "e2e";

/** Everything a step can look at or act on. */
export interface E2eRun {
    runDir: string;
    /** Where each process's and engine operation's log goes (out/e2e/logs). */
    logDir: string;
    controlPlane: ControlPlane;
    hub: Kube;
    spoke: Kube;
    hubEndpoints: ClusterEndpoints;
    spokeEndpoints: ClusterEndpoints;
    argoCd: LocalArgoCd;
    git: GitServer;
    work: GitWorkTree;
    slack: SlackReceiver;
    smtp: SmtpSink;
    gitHub: GitHubApiReceiver;
    mirror: ChartMirror;
    /** The spoke's resource metrics API (metrics-server's stand-in). */
    metricsApi: MetricsApi;
    /** The Prometheus without data the canary analysis queries. */
    prometheus: EmptyPrometheus;
    stack: Stack;
    loaded: LoadedStack;
    /** Secret config values in plain text (the run made them up). */
    secrets: Record<string, string>;
    /** Engine wall times, ms. */
    timings: Record<string, number>;
    /** What one step leaves for the next (e.g. the last good revision). */
    state: Record<string, string>;
}

/** The config source the loader reads, built from the Automation API's config map: the same validation as `pulumi up`. */
function configSource(config: Awaited<ReturnType<typeof e2eStackConfig>>): ConfigSource {
    const values = Object.fromEntries(Object.entries(config).map(([key, { value }]) => [key, value]));
    // The loader reads secrets through pulumi.Config, as `npm run seed` does outside the engine.
    const secretKeys = Object.keys(config).filter((key) => config[key].secret === true);
    pulumi.runtime.setAllConfig(values, secretKeys);
    return {
        project: projectName,
        stack: stackName,
        values,
        isSecret: (key) => config[key]?.secret === true,
        env: {},
    };
}

/**
 * Brings the run up in dependency order: etcd, the hub and spoke control planes, the Git server (with the
 * repository seeded as the platform's `seed` command writes it), the chart mirror, the Slack receiver and
 * SMTP sink, Argo CD's base install and its processes, and the Argo Rollouts controller; then the Pulumi
 * stack, configured but not yet deployed. The caller owns `controlPlane`, so whatever started is stopped even
 * when a later part of the bring-up throws.
 */
export async function bringUp(runDir: string, logDir: string, controlPlane: ControlPlane): Promise<E2eRun> {
    const pki = makePki(path.join(runDir, "pki"));
    const etcd = await etcdProcess(runDir, logDir);
    const hubCluster = new LocalCluster("hub", runDir, logDir, pki, etcd.url, { workloads: false });
    const spokeCluster = new LocalCluster(spokeName, runDir, logDir, pki, etcd.url, { workloads: true });
    await controlPlane.start(
        etcd.process,
        ...(await hubCluster.processes()),
        ...(await spokeCluster.processes()),
    );
    const hubEndpoints = hubCluster.endpoints;
    const spokeEndpoints = spokeCluster.endpoints;
    const hub = new Kube(hubEndpoints.kubeconfig);
    const spoke = new Kube(spokeEndpoints.kubeconfig);
    await spoke.apply(fakeNode("kwok-node-0"));

    // The hub's Argo CD reaches the spoke with its own token (a cluster Secret the platform writes).
    const spokeKubeconfig = kubeconfigYaml(spokeEndpoints.server, pki.caCert, pki.spokeToken, spokeName);
    const secrets = e2eSecrets(spokeKubeconfig, pki.gitHubAppKey);
    const git = new GitServer({
        root: path.join(runDir, "git"),
        port: await freePort(),
        username: secrets.gitopsUsername,
        password: secrets.gitopsPassword,
    });
    git.createRepository("gitops", gitopsBranch);
    const mirror = new ChartMirror(
        runDir,
        await freePort(),
        path.join(toolDir("helm"), "helm"),
        addonCatalog
            .filter((addon) => (e2eAddons as readonly string[]).includes(addon.name))
            .map((addon) => ({ name: addon.chart, version: addon.version })),
    );
    const slack = new SlackReceiver(await freePort());
    const smtp = new SmtpSink(await freePort());
    const gitHub = new GitHubApiReceiver(await freePort());
    const metricsApi = new MetricsApi(
        await freePort(),
        { cert: pki.servingCert, key: pki.servingKey },
        spoke,
    );
    const prometheus = new EmptyPrometheus(await freePort());
    await controlPlane.start(git, mirror, slack, smtp, gitHub, metricsApi, prometheus);
    // The spoke's aggregation layer serves metrics.k8s.io from the stand-in (unless the fault takes it away).
    if (injectedFault() !== "hpa-metrics") {
        for (const object of metricsApi.registration(pki.caCert)) await spoke.apply(object);
    }

    const config = e2eStackConfig(
        {
            hubKubeconfig: hubEndpoints.kubeconfig,
            spokeServer: spokeEndpoints.server,
            spokeKubeconfig,
            gitopsRepoURL: git.url("gitops"),
            chartMirrorURL: mirror.url,
            slackApiURL: slack.apiURL,
            smtpPort: smtp.port,
            gitHubApiURL: gitHub.baseURL,
            prometheusURL: prometheus.url,
        },
        secrets,
    );
    const loaded = loadStack(configSource(config));
    const work = await GitWorkTree.clone(
        git.authenticatedUrl("gitops"),
        path.join(runDir, "work"),
        gitopsBranch,
    );
    await seedRepository(work, loaded);

    await installArgoCdBase(hub, argocdNamespace);
    // The Argo Rollouts CRDs, as the argo-rollouts chart would install them (the mirror's stand-in has none).
    const rollouts = toolDir("argo-rollouts");
    for (const file of fs.readdirSync(path.join(rollouts, "crds"))) {
        for (const crd of loadManifests(fs.readFileSync(path.join(rollouts, "crds", file), "utf8"))) {
            await spoke.apply(crd, "argo-rollouts");
        }
    }
    const argoCd = new LocalArgoCd(runDir, logDir, hubEndpoints.kubeconfig, argocdNamespace);
    await controlPlane.start(
        ...(await argoCd.processes(hub)),
        new SupervisedProcess(
            {
                name: "argo-rollouts",
                command: path.join(rollouts, "rollouts-controller"),
                args: [
                    `--kubeconfig=${spokeEndpoints.kubeconfig}`,
                    "--leader-elect=false",
                    `--metricsport=${await freePort()}`,
                    `--healthzPort=${await freePort()}`,
                ],
            },
            logDir,
        ),
    );

    const stack = await pulumiStack({
        runDir,
        projectName,
        stackName,
        program: async () => {
            if (injectedFault() === "namespace-permission") withoutNamespacePermission();
            return { platform: deployPlatform(loadStack()) };
        },
        config,
    });
    return {
        runDir,
        logDir,
        controlPlane,
        hub,
        spoke,
        hubEndpoints,
        spokeEndpoints,
        argoCd,
        git,
        work,
        slack,
        smtp,
        gitHub,
        mirror,
        metricsApi,
        prometheus,
        stack,
        loaded,
        secrets,
        timings: {},
        state: {},
    };
}

/**
 * The GitOps repository as a bring-your-own-Git user starts it: the files the platform's `seed` command
 * writes (`platformRepositoryFiles`, the same builders the GitHub mode commits with), then one run of the
 * platform pipeline's own bump script per app, so each app has its dev overlay as after its first CI run.
 */
async function seedRepository(work: GitWorkTree, loaded: LoadedStack): Promise<void> {
    for (const file of await resolveFiles(platformRepositoryFiles(loaded.config))) {
        work.write(file.path, file.content);
    }
    await work.commitAndPush("chore(platform): seed the GitOps repository", gitopsBranch);
    for (const app of loaded.config.apps) {
        const tag = "0000000000000000000000000000000000000001";
        await work.sh(script(...setImageLines()), {
            APP: app.name,
            ENVIRONMENT: environment,
            IMAGE: `registry.e2e.example.com/acme/${app.name}:${tag}`,
            PATH: `${toolDir("kustomize")}:${process.env.PATH}`,
        });
        await work.commitAndPush(deployCommitTitle(app.name, environment, tag), gitopsBranch);
    }
}
