import * as fs from "node:fs";
import * as path from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { deployCommitTitle } from "../../components/github/conventions";
import { script, setImageLines } from "../../components/github/workflows/shell";
import { httpOk } from "./harness/controlPlane";
import { argoApi, type KubeObject } from "./harness/kube";
import { waitFor, sleep } from "./harness/process";
import { valuesConfigMapName } from "./harness/chartMirror";
import { policyPackLauncher } from "./harness/pulumi";
import { toolDir } from "./harness/tools";
import { sendGitHubPush } from "./harness/webhook";
import { injectedFault } from "./faults";
import type { E2eRun } from "./setup";
import { createHash } from "node:crypto";
import {
    argocdNamespace,
    canaryApp,
    e2eAppNames,
    environment,
    gitopsBranch,
    loopApp,
    spokeName,
    templateApp,
} from "./stack";

const policyDir = path.join(__dirname, "..", "..", "policy");

/** `Synced/Healthy @ abc1234 (Succeeded: message)`: what `argocd app get` would show, for details and errors. */
export function appSummary(app: KubeObject | undefined): string {
    if (!app) return "missing";
    const status = (app.status ?? {}) as {
        sync?: { status?: string; revision?: string };
        health?: { status?: string };
        operationState?: { phase?: string; message?: string };
        conditions?: { type: string; message: string }[];
        resources?: {
            kind: string;
            name: string;
            status?: string;
            health?: { status?: string; message?: string };
        }[];
    };
    const operation = status.operationState
        ? ` (${status.operationState.phase}: ${String(status.operationState.message ?? "").slice(0, 200)})`
        : "";
    const conditions = (status.conditions ?? [])
        .map((c) => ` [${c.type}: ${c.message.slice(0, 200)}]`)
        .join("");
    const unsettled = (status.resources ?? [])
        .filter((r) => (r.health?.status ?? "Healthy") !== "Healthy" || r.status !== "Synced")
        .map(
            (r) =>
                ` {${r.kind}/${r.name} ${r.status ?? "?"}/${r.health?.status ?? "-"} ${r.health?.message ?? ""}}`,
        )
        .join("");
    return `${status.sync?.status ?? "?"}/${status.health?.status ?? "?"} @ ${(status.sync?.revision ?? "").slice(0, 7)}${operation}${conditions}${unsettled}`;
}

function isSyncedHealthy(app: KubeObject | undefined, revision?: string): boolean {
    const status = (app?.status ?? {}) as {
        sync?: { status?: string; revision?: string };
        health?: { status?: string };
    };
    return (
        status.sync?.status === "Synced" &&
        status.health?.status === "Healthy" &&
        (revision === undefined || status.sync.revision === revision)
    );
}

function application(run: E2eRun, name: string): Promise<KubeObject | undefined> {
    return run.hub.get(argoApi, "Application", name, argocdNamespace);
}

/** Waits until every named Application is Synced and Healthy (at `revision` when given). */
async function waitSyncedHealthy(
    run: E2eRun,
    names: string[],
    timeoutMs: number,
    revision?: string,
): Promise<void> {
    let last: Record<string, string> = {};
    try {
        await waitFor(
            `${names.join(", ")} Synced and Healthy`,
            async () => {
                const apps = await Promise.all(names.map((name) => application(run, name)));
                last = Object.fromEntries(names.map((name, i) => [name, appSummary(apps[i])]));
                return apps.every((app) => isSyncedHealthy(app, revision)) ? true : undefined;
            },
            { timeoutMs, intervalMs: 500 },
        );
    } catch (error) {
        // The whole Application as Argo CD last wrote it, for the failure report.
        for (const name of names) {
            const app = await application(run, name);
            fs.writeFileSync(path.join(run.logDir, `application-${name}.json`), JSON.stringify(app, null, 2));
        }
        const workload = {
            deployment: await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace),
            replicaSets: await run.spoke.list("apps/v1", "ReplicaSet", loopApp.namespace),
            pods: await run.spoke.list("v1", "Pod", loopApp.namespace),
        };
        fs.writeFileSync(
            path.join(run.logDir, `workload-${loopApp.name}.json`),
            JSON.stringify(workload, null, 2),
        );
        const states = Object.entries(last)
            .map(([name, summary]) => `  ${name}: ${summary}`)
            .join("\n");
        throw new Error(`${(error as Error).message}\n${states}`, { cause: error });
    }
}

/** Names of the team Applications the platform's ApplicationSets generate on the spoke: `<app>-<cluster>`. */
export function teamApplicationNames(): string[] {
    return e2eAppNames.map((app) => `${app}-${spokeName}`);
}

const loopApplication = `${loopApp.name}-${spokeName}`;

/** Appends an engine operation's output to `<logs>/pulumi-<operation>.log` (printed with the tails on failure). */
function engineLog(run: E2eRun, operation: string): (text: string) => void {
    const file = path.join(run.logDir, `pulumi-${operation}.log`);
    return (text) => fs.appendFileSync(file, text);
}

async function timed<T>(run: E2eRun, key: string, operation: () => Promise<T>): Promise<T> {
    const begin = Date.now();
    try {
        return await operation();
    } finally {
        run.timings[key] = Date.now() - begin;
    }
}

/** `preview-policy`: `pulumi preview` with the policy pack and the environment's enforcement config. */
export async function previewWithPolicy(run: E2eRun): Promise<string> {
    let output = "";
    const result = await timed(run, "preview", () =>
        run.stack.preview({
            policyPacks: [policyPackLauncher(path.join(run.runDir, "pulumi", "bin"), policyDir)],
            policyPackConfigs: [path.join(policyDir, "config", `${environment}.json`)],
            onOutput: (text) => {
                output += text;
                engineLog(run, "preview")(text);
            },
        }),
    );
    if (!/gitops-platform/i.test(output) || !/polic/i.test(output)) {
        throw new Error(`the preview shows no policy pack run:\n${output.slice(-2000)}`);
    }
    if (/mandatory/i.test(output) && /violat/i.test(output)) {
        throw new Error(`mandatory policy violations:\n${output.slice(-3000)}`);
    }
    return `${result.changeSummary.create ?? 0} to create, policy pack ran with no mandatory violation`;
}

/** `up`: `pulumi up` creates everything. */
export async function up(run: E2eRun): Promise<string> {
    const result = await timed(run, "up", () => run.stack.up({ onOutput: engineLog(run, "up") }));
    const changes = result.summary.resourceChanges ?? {};
    if (result.summary.result !== "succeeded") throw new Error(`up ended ${result.summary.result}`);
    run.state.outputs = JSON.stringify(Object.keys(result.outputs as OutputMap));
    return `${changes.create ?? 0} created`;
}

/** `preview-no-changes`: a second preview right after `up` plans nothing. */
export async function previewNoChanges(run: E2eRun): Promise<string> {
    let output = "";
    const result = await timed(run, "previewNoChanges", () =>
        run.stack.preview({
            diff: true,
            onOutput: (text) => {
                output += text;
                engineLog(run, "preview-no-changes")(text);
            },
        }),
    );
    const changed = Object.entries(result.changeSummary).filter(([op, count]) => op !== "same" && count > 0);
    if (changed.length > 0) {
        throw new Error(
            `expected no changes, got ${changed.map(([op, n]) => `${n} ${op}`).join(", ")}:\n${output.slice(-4000)}`,
        );
    }
    return `${result.changeSummary.same ?? 0} unchanged`;
}

/**
 * `platform-synced`: the root, its children and every team Application are Synced and Healthy; each
 * add-on ApplicationSet generated an Application for the spoke whose release got the hub's values merged
 * with the spoke's (lists included); each app's namespace, a team's second one too, was created on the spoke
 * by its first sync.
 */
export async function platformSynced(run: E2eRun): Promise<string> {
    const platformApps = [
        "platform-root",
        "platform-manifests",
        "external-dns",
        "argo-rollouts",
        "metrics-server",
    ];
    // The template app's health (its autoscaler's) is the next step's subject, with its own bound.
    const teamApps = teamApplicationNames().filter((name) => name !== `${templateApp.name}-${spokeName}`);
    await waitSyncedHealthy(run, [...platformApps, ...teamApps], 240_000);

    // Fan-out: the spoke's external-dns release got the spoke's list and the hub's provider.
    const fanned = `external-dns-${spokeName}`;
    await waitSyncedHealthy(run, [fanned], 60_000);
    const app = await application(run, fanned);
    const release = (app?.spec?.source as { helm?: { releaseName?: string } })?.helm?.releaseName ?? fanned;
    const destination = (app?.spec?.destination ?? {}) as { namespace?: string };
    const values = await run.spoke.get(
        "v1",
        "ConfigMap",
        valuesConfigMapName(release),
        destination.namespace,
    );
    const rendered = JSON.parse(values?.data?.["values.json"] ?? "{}") as Record<string, unknown>;
    const text = JSON.stringify(rendered);
    if (
        !text.includes("spoke.e2e.example.com") ||
        text.includes("hub.e2e.example.com") ||
        !text.includes('"txtOwnerId":"spoke"')
    ) {
        throw new Error(
            `the spoke's external-dns release did not get the spoke's values: ${text.slice(0, 600)}`,
        );
    }
    if (!text.includes('"aws"')) {
        throw new Error(
            `the spoke's external-dns release lost the hub's values (provider aws): ${text.slice(0, 600)}`,
        );
    }

    // The first sync on the spoke created the team's namespace (CreateNamespace through the project check).
    // Each app's own namespace, the team's second one too (its Application targets it).
    for (const namespace of [loopApp.namespace, "storefront-jobs"]) {
        if (!(await run.spoke.get("v1", "Namespace", namespace))) {
            throw new Error(`namespace ${namespace} was not created on the spoke`);
        }
    }
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    const ready = (deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    if (ready < 1) throw new Error(`${loopApp.name} has no ready replica on the spoke`);
    run.state.goodRevision = (
        (await application(run, loopApplication))?.status as { sync: { revision: string } }
    ).sync.revision;
    return `${platformApps.length + teamApps.length + 1} Applications Synced/Healthy; ${fanned} values merged; namespaces ${loopApp.namespace} and storefront-jobs created on the spoke; ${ready} ${loopApp.name} pods Ready`;
}

/** A resource of an Application as Argo CD last saw it: sync status and health. */
function resourceStatus(
    app: KubeObject | undefined,
    kind: string,
    name: string,
): { status?: string; health?: { status?: string; message?: string } } | undefined {
    const resources =
        (
            (app?.status ?? {}) as {
                resources?: {
                    kind: string;
                    name: string;
                    status?: string;
                    health?: { status?: string; message?: string };
                }[];
            }
        ).resources ?? [];
    return resources.find((resource) => resource.kind === kind && resource.name === name);
}

/**
 * `app-template`: the app with the template's production settings (an HPA, a disruption budget, a ConfigMap)
 * is Synced and Healthy on the spoke, by Argo CD's own health checks: the autoscaler scaled the Deployment
 * (whose manifest has no replicas) to its minimum on resource metrics, the budget covers those pods, and
 * the ConfigMap the pods mount holds the configured files.
 */
export async function appTemplate(run: E2eRun): Promise<string> {
    const name = `${templateApp.name}-${spokeName}`;
    const { namespace } = templateApp;
    type Condition = { type: string; status: string; reason: string };
    const hpaConditions = async () =>
        (
            (await run.spoke.get("autoscaling/v2", "HorizontalPodAutoscaler", templateApp.name, namespace))
                ?.status as { conditions?: Condition[] } | undefined
        )?.conditions ?? [];
    // The HPA's first pass only scales the Deployment up to its minimum (AbleToScale, which Argo CD already
    // counts Healthy); its next one reads resource metrics (ScalingActive). Wait until Argo CD has judged the
    // HPA after that one (Degraded, or Healthy with ScalingActive True), then judge the app by it.
    await waitFor(
        `${name} Synced, with Argo CD's health of its autoscaler after it read resource metrics`,
        async () => {
            const app = await application(run, name);
            const active = (await hpaConditions()).find((c) => c.type === "ScalingActive");
            const health = resourceStatus(app, "HorizontalPodAutoscaler", templateApp.name)?.health?.status;
            const judged = health === "Degraded" || (health === "Healthy" && active?.status === "True");
            return active && judged ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1_000 },
    ).catch(async (error: Error) => {
        throw new Error(
            `${error.message}: ${appSummary(await application(run, name))}; HPA conditions ${JSON.stringify(await hpaConditions())}`,
            { cause: error },
        );
    });
    await waitSyncedHealthy(run, [name], 5_000);
    const app = await application(run, name);
    const unhealthy = ["HorizontalPodAutoscaler", "PodDisruptionBudget"]
        .map((kind) => [kind, resourceStatus(app, kind, templateApp.name)] as const)
        .filter(([, status]) => status?.status !== "Synced" || status.health?.status !== "Healthy");
    const unsynced = ["ConfigMap", "ServiceAccount", "NetworkPolicy", "Service", "Deployment"]
        .map(
            (kind) =>
                [
                    kind,
                    resourceStatus(
                        app,
                        kind,
                        kind === "ConfigMap" ? `${templateApp.name}-config` : templateApp.name,
                    ),
                ] as const,
        )
        .filter(([, status]) => status?.status !== "Synced");
    if (unhealthy.length > 0 || unsynced.length > 0) {
        throw new Error(
            `${name}'s template objects as Argo CD sees them: ${JSON.stringify([...unhealthy, ...unsynced])}`,
        );
    }
    const hpa = await run.spoke.get("autoscaling/v2", "HorizontalPodAutoscaler", templateApp.name, namespace);
    const hpaStatus = (hpa?.status ?? {}) as {
        currentReplicas?: number;
        conditions?: { type: string; status: string; reason: string }[];
    };
    const active = hpaStatus.conditions?.find((condition) => condition.type === "ScalingActive");
    if (active?.status !== "True") {
        throw new Error(`the autoscaler is not active: ${JSON.stringify(hpaStatus.conditions)}`);
    }
    const deployment = await run.spoke.get("apps/v1", "Deployment", templateApp.name, namespace);
    const spec = deployment?.spec as {
        replicas: number;
        template: {
            metadata: { annotations?: Record<string, string> };
            spec: { containers: { env?: { name: string; value: string }[] }[] };
        };
    };
    const ready = (deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    if (spec.replicas < 2 || ready < 2) {
        throw new Error(
            `expected the autoscaler's minimum of 2 replicas, ready; got ${spec.replicas} (${ready} ready)`,
        );
    }
    const pdb = await run.spoke.get("policy/v1", "PodDisruptionBudget", templateApp.name, namespace);
    const budget = (pdb?.status ?? {}) as { expectedPods?: number; disruptionsAllowed?: number };
    if ((budget.expectedPods ?? 0) < 2 || (budget.disruptionsAllowed ?? 0) < 1) {
        throw new Error(`the disruption budget does not cover the pods: ${JSON.stringify(budget)}`);
    }
    const config = await run.spoke.get("v1", "ConfigMap", `${templateApp.name}-config`, namespace);
    if (JSON.stringify(config?.data) !== JSON.stringify(templateApp.config)) {
        throw new Error(`ConfigMap ${templateApp.name}-config holds ${JSON.stringify(config?.data)}`);
    }
    const checksum = createHash("sha256").update(JSON.stringify(templateApp.config)).digest("hex");
    if (spec.template.metadata.annotations?.["checksum/config"] !== checksum) {
        throw new Error(
            "the pod template does not carry the ConfigMap's checksum (a config change would not roll the pods)",
        );
    }
    return `${name} Synced/Healthy: HPA Healthy (ScalingActive ${active.reason}, ${hpaStatus.currentReplicas} replicas, ${run.metricsApi.requests.length} metrics reads), PDB Healthy (${budget.disruptionsAllowed} of ${budget.expectedPods} may go), ConfigMap mounted with its checksum`;
}

/**
 * `canary-fails-closed`: a new image of the canary app starts a canary whose analysis reads the app's own
 * request metrics (it has no Ingress) from a Prometheus without data; with `noData: fail` the measurement
 * fails, the AnalysisRun fails and the Rollout aborts, so the stable version keeps serving.
 */
export async function canaryFailsClosed(run: E2eRun): Promise<string> {
    const { name, namespace } = canaryApp;
    const stableBefore = (await run.spoke.get("argoproj.io/v1alpha1", "Rollout", name, namespace))?.status as
        { stableRS?: string } | undefined;
    const before = await run.work.head();
    const tag = "2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d";
    const revision = await ciBump(run, tag, name);
    const status = await notifyPush(run, before, revision, run.secrets.gitopsWebhookSecret);
    if (status !== 200) throw new Error(`the signed push got HTTP ${status}`);
    const rollout = await waitFor(
        `Rollout ${name} aborted`,
        async () => {
            const current = await run.spoke.get("argoproj.io/v1alpha1", "Rollout", name, namespace);
            const state = (current?.status ?? {}) as { abort?: boolean; phase?: string };
            return state.abort === true ? current : undefined;
        },
        { timeoutMs: 90_000 },
    ).catch(async (error: Error) => {
        const current = await run.spoke.get("argoproj.io/v1alpha1", "Rollout", name, namespace);
        const runs = await run.spoke.list("argoproj.io/v1alpha1", "AnalysisRun", namespace);
        throw new Error(
            `${error.message}: Rollout ${JSON.stringify(current?.status ?? {}).slice(0, 600)}; AnalysisRuns ${JSON.stringify(runs.map((r) => r.status)).slice(0, 600)}; queries ${run.prometheus.queries.length}`,
            { cause: error },
        );
    });
    const runs = await run.spoke.list("argoproj.io/v1alpha1", "AnalysisRun", namespace);
    const failed = runs.find(
        (analysis) => (analysis.status as { phase?: string } | undefined)?.phase === "Failed",
    );
    const measurement = (
        failed?.status as
            { metricResults?: { measurements?: { phase: string; value?: string }[] }[] } | undefined
    )?.metricResults?.[0]?.measurements?.[0];
    if (!failed || measurement?.phase !== "Failed" || measurement.value !== "[]") {
        throw new Error(
            `expected a Failed AnalysisRun whose measurement is no data ("[]"): ${JSON.stringify(runs.map((r) => r.status))}`,
        );
    }
    const query = run.prometheus.queries.at(-1) ?? "";
    if (!query.includes(`http_requests_total{namespace="${namespace}",service="${name}"`)) {
        throw new Error(`the analysis did not query the app's own http_requests_total: ${query}`);
    }
    const stableRS = (rollout.status as { stableRS?: string }).stableRS;
    if (!stableRS || stableRS !== stableBefore?.stableRS) {
        throw new Error(`the stable ReplicaSet changed from ${stableBefore?.stableRS} to ${stableRS}`);
    }
    const stable = await run.spoke.get("apps/v1", "ReplicaSet", `${name}-${stableRS}`, namespace);
    const image = (stable?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0].image;
    if (image === imageFor(tag, name)) throw new Error(`the stable version runs the canary's image ${image}`);
    return `AnalysisRun ${failed.metadata.name} Failed on no data ("[]", query of http_requests_total); Rollout aborted, stable ${stableRS} still runs ${image.split(":").pop()!.slice(0, 7)}`;
}

/** The image CI would push for a commit of the app repository: tag = the app commit's SHA. */
function imageFor(tag: string, app: string = loopApp.name): string {
    return `registry.e2e.example.com/acme/${app}:${tag}`;
}

/** Runs the platform's own CI bump script (components/github/workflows/shell.ts) in the work tree, commits and pushes. */
async function ciBump(run: E2eRun, tag: string, app: string = loopApp.name): Promise<string> {
    await run.work.sh(script(...setImageLines()), {
        APP: app,
        ENVIRONMENT: environment,
        IMAGE: imageFor(tag, app),
        PATH: toolPath(),
    });
    return run.work.commitAndPush(deployCommitTitle(app, environment, tag), gitopsBranch);
}

/** PATH with the pinned kustomize first: CI's bump script and edits run it. */
function toolPath(): string {
    return `${toolDir("kustomize")}:${process.env.PATH}`;
}

/** Tells Argo CD about a push, signed with `secret`; resolves the HTTP status. */
async function notifyPush(run: E2eRun, before: string, after: string, secret: string): Promise<number> {
    // argocd-server restarts itself (about a second) whenever its settings change, e.g. right after `up`.
    await waitFor("argocd-server to answer", async () =>
        (await httpOk(`${run.argoCd.serverUrl}/healthz`)) ? true : undefined,
    );
    return sendGitHubPush(`${run.argoCd.serverUrl}/api/webhook`, secret, {
        htmlUrl: run.git.url("gitops").replace(/\.git$/, ""),
        branch: gitopsBranch,
        before,
        after,
        changed: await run.work.changedFiles(after),
    });
}

/**
 * `deploy`: CI's bump commit reaches the cluster through the webhook alone (the controller polls hourly):
 * a push signed with a wrong secret is refused, the right one syncs the new revision within 30 s.
 */
export async function deploy(run: E2eRun): Promise<string> {
    const before = await run.work.head();
    run.state.previousImage = await loopImage(run);
    const tag = "1f2e3d4c5b6a79881726354453627181909a0b1c";
    const revision = await ciBump(run, tag);
    const forged = await notifyPush(run, before, revision, "not-the-webhook-secret");
    // Argo CD 3.6.1 answers a GitHub push whose HMAC does not verify with 400 "Webhook processing failed".
    if (forged !== 400)
        throw new Error(`a push signed with the wrong secret got HTTP ${forged}, expected 400`);
    await sleep(3_000);
    const untouched = await application(run, loopApplication);
    if ((untouched?.status as { sync?: { revision?: string } })?.sync?.revision === revision) {
        throw new Error("the forged webhook triggered a sync");
    }
    const begin = Date.now();
    const secret =
        injectedFault() === "webhook-secret"
            ? "a-secret-argocd-does-not-hold"
            : run.secrets.gitopsWebhookSecret;
    const status = await notifyPush(run, before, revision, secret);
    if (status !== 200) throw new Error(`the signed push got HTTP ${status}, expected 200`);
    await waitSyncedHealthy(run, [loopApplication], 30_000, revision);
    const seconds = ((Date.now() - begin) / 1000).toFixed(1);
    const image = await loopImage(run);
    if (image !== imageFor(tag)) throw new Error(`the Deployment runs ${image}, expected ${imageFor(tag)}`);
    run.state.goodRevision = revision;
    run.state.goodImage = image;
    return `forged push refused (400); ${revision.slice(0, 7)} synced ${seconds} s after the signed push; ${image}`;
}

function mentions(text: string, ...words: string[]): boolean {
    return words.every((word) => text.includes(word));
}

/**
 * `notify`: a manifest the API server refuses fails the sync, and Slack and e-mail each get a message
 * naming the app, the environment and the revision; the earlier deploy was announced exactly once.
 */
export async function notify(run: E2eRun): Promise<string> {
    const app = loopApplication;
    // Announced once per subscribed channel (the environment's and the project's), never twice to one.
    const deployed = run.slack.messages.filter((m) =>
        mentions(m.text, app, "deployed", run.state.goodRevision),
    );
    const channels = deployed.map((m) => m.to);
    if (deployed.length === 0 || new Set(channels).size !== channels.length) {
        throw new Error(
            `expected one "deployed" Slack message per channel for ${run.state.goodRevision.slice(0, 7)}, got ${channels.join(", ") || "none"}`,
        );
    }
    const before = await run.work.head();
    const overlay = `apps/${loopApp.name}/overlays/${environment}`;
    // Valid YAML that kustomize renders but the API server rejects: the sync itself fails.
    run.work.write(
        `${overlay}/broken.yaml`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Broken_Name\ndata: {}\n",
    );
    await run.work.sh(`cd ${overlay} && kustomize edit add resource broken.yaml`, { PATH: toolPath() });
    const broken = await run.work.commitAndPush(
        `break(${loopApp.name}): a manifest the API server refuses`,
        gitopsBranch,
    );
    run.state.brokenRevision = broken;
    const status = await notifyPush(run, before, broken, run.secrets.gitopsWebhookSecret);
    if (status !== 200) throw new Error(`the signed push got HTTP ${status}`);
    const slack = await waitFor(
        "a Slack message about the failed sync",
        async () => run.slack.messages.find((m) => mentions(m.text, app, "sync failed", environment, broken)),
        { timeoutMs: 120_000 },
    ).catch(async (error: Error) => {
        throw new Error(
            `${error.message}; ${app} is ${appSummary(await application(run, app))}; Slack got ${run.slack.messages.length} messages`,
        );
    });
    const email = await waitFor(
        "an e-mail about the failed sync",
        async () => run.smtp.messages.find((m) => mentions(m.text, app, "sync failed", environment, broken)),
        { timeoutMs: 30_000 },
    );
    return `Slack #${slack.to} and e-mail to ${email.to} name ${app}, ${environment} and ${broken.slice(0, 7)}; the deploy was announced once to each of ${channels.join(", ")}`;
}

/** `rollback`: reverting the broken commit in Git brings the app back to the last good state, Healthy. */
export async function rollback(run: E2eRun): Promise<string> {
    const { revert, image } = await revertAndSync(run, run.state.brokenRevision);
    if (image !== run.state.goodImage)
        throw new Error(`after the revert the Deployment runs ${image}, expected ${run.state.goodImage}`);
    return `revert ${revert.slice(0, 7)} synced; ${loopApp.name} Healthy on ${shortTag(image)}`;
}

/**
 * `rollback-release`: reverting the deploy's own commit (CI's image bump) in Git brings the image it
 * replaced back, Healthy. After the failed sync in `notify`, this is the rollback a team does when a
 * release itself is bad: Argo CD syncs it because the revert changes the app's manifests.
 */
export async function rollbackRelease(run: E2eRun): Promise<string> {
    const { revert, image } = await revertAndSync(run, run.state.goodRevision);
    if (image !== run.state.previousImage) {
        throw new Error(
            `after reverting the release the Deployment runs ${image}, expected ${run.state.previousImage}`,
        );
    }
    return `revert of ${run.state.goodRevision.slice(0, 7)} synced as ${revert.slice(0, 7)}; ${loopApp.name} Healthy on ${shortTag(image)} again`;
}

/**
 * Reverts `commit` in Git as a team would (`git revert`, push, the signed push webhook), waits until the loop
 * app is Synced and Healthy at the revert, and resolves the revert and the image the app then runs.
 */
async function revertAndSync(run: E2eRun, commit: string): Promise<{ revert: string; image: string }> {
    const before = await run.work.head();
    await run.work.git("revert", "--no-edit", commit);
    await run.work.git("push", "--quiet", "origin", `HEAD:${gitopsBranch}`);
    const revert = await run.work.head();
    const status = await notifyPush(run, before, revert, run.secrets.gitopsWebhookSecret);
    if (status !== 200) throw new Error(`the signed push got HTTP ${status}`);
    await waitSyncedHealthy(run, [loopApplication], 60_000, revert);
    return { revert, image: await loopImage(run) };
}

/** The image the loop app's Deployment on the spoke asks for. */
async function loopImage(run: E2eRun): Promise<string> {
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    return (deployment?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
        .containers[0].image;
}

/** The first 7 characters of an image's tag. */
function shortTag(image: string): string {
    return image.split(":").pop()!.slice(0, 7);
}

/**
 * `deploy-feedback`: what the developer sees on the app repository (issue 3/5). The deployed commit's
 * `deploy/<env>` status went pending → success, and the broken sync reported failure on it. GitHub
 * deployments keep the history: the deploy created a successful deployment of its SHA (the seed's became
 * inactive), the broken sync a failed one, and the release rollback a new successful deployment of the
 * older SHA, which made the release's inactive. (The revert in `rollback` needs no sync, since the cluster
 * never left the good state, so it reports nothing new.)
 */
export async function deployFeedback(run: E2eRun): Promise<string> {
    const repository = `acme/${loopApp.name}`;
    const sha = run.state.goodImage.split(":").pop()!;
    const previousSha = run.state.previousImage.split(":").pop()!;
    const context = `deploy/${environment}`;
    const states = (commit: string) =>
        run.gitHub.statuses
            .filter((s) => s.repository === repository && s.sha === commit && s.context === context)
            .map((s) => s.state);
    const ours = () =>
        run.gitHub.deployments.filter((d) => d.repository === repository && d.environment === environment);
    const history = () =>
        `statuses: ${JSON.stringify(run.gitHub.statuses)}; deployments: ${JSON.stringify(run.gitHub.deployments)}`;
    // The release rollback is reported last: a successful deployment of the older SHA after the release's,
    // and its commit status back to success (two triggers, two notifications, in no fixed order).
    const rolledBack = () => {
        const release = ours().find((d) => d.sha === sha && d.state !== "failure");
        return ours().find(
            (d) =>
                d.sha === previousSha &&
                d.state === "success" &&
                release !== undefined &&
                d.id! > release.id!,
        );
    };
    const settled = () =>
        states(sha).includes("failure") &&
        rolledBack() !== undefined &&
        states(previousSha).at(-1) === "success";
    await waitFor(
        `a failure status on ${sha.slice(0, 7)}, a new deployment of ${previousSha.slice(0, 7)} and its status back to success`,
        async () => (settled() ? true : undefined),
    ).catch((error: Error) => {
        throw new Error(`${error.message}; ${history()}`, { cause: error });
    });
    const seen = states(sha);
    const success = seen.indexOf("success");
    if (success < 0 || !seen.slice(0, success).includes("pending")) {
        throw new Error(
            `expected pending then success on ${sha.slice(0, 7)} (${context}), got ${seen.join(" → ")}`,
        );
    }
    if (states(previousSha).at(-1) !== "success") {
        throw new Error(
            `expected ${context} success on ${previousSha.slice(0, 7)} after the release rollback, got ${states(previousSha).join(" → ")}`,
        );
    }
    const release = ours().find((d) => d.sha === sha && d.state !== "failure");
    const failed = ours().find((d) => d.sha === sha && d.state === "failure");
    if (release?.state !== "inactive" || !failed) {
        throw new Error(
            `expected the release's deployment of ${sha.slice(0, 7)} inactive after the rollback and a failed one for the broken sync; ${history()}`,
        );
    }
    const replacedSeed = ours().find((d) => d.sha === previousSha && d.id! < release.id!);
    if (replacedSeed?.state !== "inactive") {
        throw new Error(
            `expected the seed's deployment of ${previousSha.slice(0, 7)} inactive; ${history()}`,
        );
    }
    return `${context} on ${repository}@${sha.slice(0, 7)}: ${seen.join(" → ")}; deployments: ${ours()
        .map((d) => `#${d.id} ${d.sha.slice(0, 7)} ${d.state}`)
        .join(", ")}`;
}

/** `self-heal`: a manual change to a synced object is reverted by Argo CD. */
export async function selfHeal(run: E2eRun): Promise<string> {
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    const desired = (deployment?.spec as { replicas: number }).replicas;
    const begin = Date.now();
    await run.spoke.mergePatch({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: loopApp.name, namespace: loopApp.namespace },
        spec: { replicas: desired + 3 },
    });
    await waitFor(
        `${loopApp.name} back at ${desired} replicas`,
        async () => {
            const current = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
            return (current?.spec as { replicas: number }).replicas === desired ? true : undefined;
        },
        { timeoutMs: 60_000 },
    );
    return `replicas ${desired + 3} → ${desired} in ${((Date.now() - begin) / 1000).toFixed(1)} s`;
}

/** `subscriptions-kept`: a per-app notification subscription survives an ApplicationSet reconcile. */
export async function subscriptionsKept(run: E2eRun): Promise<string> {
    const key = "notifications.argoproj.io/subscribe.on-sync-failed.slack";
    await run.hub.mergePatch({
        apiVersion: argoApi,
        kind: "Application",
        metadata: {
            name: loopApplication,
            namespace: argocdNamespace,
            annotations: { [key]: "ledger-oncall" },
        },
    });
    const appSet = `payments-${environment}`;
    await run.hub.mergePatch({
        apiVersion: argoApi,
        kind: "ApplicationSet",
        metadata: {
            name: appSet,
            namespace: argocdNamespace,
            annotations: { "argocd.argoproj.io/application-set-refresh": "true" },
        },
    });
    await waitFor(`ApplicationSet ${appSet} refreshed`, async () => {
        const current = await run.hub.get(argoApi, "ApplicationSet", appSet, argocdNamespace);
        return current?.metadata.annotations?.["argocd.argoproj.io/application-set-refresh"] === undefined
            ? true
            : undefined;
    });
    await sleep(3_000);
    const app = await application(run, loopApplication);
    const value = app?.metadata.annotations?.[key];
    if (value !== "ledger-oncall") throw new Error(`after the reconcile ${key} is ${value ?? "gone"}`);
    return `${key}=ledger-oncall kept on ${loopApplication} across a refresh of ${appSet}`;
}

/**
 * `secrets`: the stack's state at rest (the file backend's checkpoint) holds no secret config value, neither
 * as it is, JSON-escaped nor base64-encoded (as Kubernetes Secret `data` carries it), and holds encrypted
 * secrets. (The Automation API's `exportStack()` runs `pulumi stack export --show-secrets`, so it would show
 * them in plain text: the checkpoint is what is stored.)
 */
export async function secretsStayEncrypted(run: E2eRun): Promise<string> {
    const checkpoint = path.join(
        run.runDir,
        "pulumi",
        "state",
        ".pulumi",
        "stacks",
        "gitops-platform",
        "e2e.json",
    );
    const state = fs.readFileSync(checkpoint, "utf8");
    const forms = (value: string) => [
        value,
        JSON.stringify(value).slice(1, -1),
        JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1),
        Buffer.from(value).toString("base64"),
    ];
    const leaked = Object.entries(run.secrets).filter(([, value]) =>
        forms(value).some((form) => state.includes(form)),
    );
    if (leaked.length > 0) throw new Error(`${leaked.map(([key]) => key).join(", ")} in the state at rest`);
    // A secret in state: {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": …}
    const ciphertexts = (state.match(/"ciphertext"/g) ?? []).length;
    if (ciphertexts === 0)
        throw new Error("no encrypted secret in the state: were the secrets registered at all?");
    return `${Object.keys(run.secrets).length} secret values checked in 4 encodings; ${ciphertexts} ciphertexts, no plain text`;
}

/** `destroy`: `pulumi destroy` finishes in bounded time, and Argo CD's Applications are gone. */
export async function destroy(run: E2eRun): Promise<string> {
    const boundMs = Number(process.env.GITOPS_E2E_DESTROY_TIMEOUT ?? 300) * 1000;
    if (injectedFault() === "finalizer") await run.controlPlane.stopOne("argocd-application-controller");
    const result = await timed(run, "destroy", () =>
        Promise.race([
            run.stack.destroy({ onOutput: engineLog(run, "destroy") }),
            sleep(boundMs).then(async () => {
                await run.stack.cancel().catch(() => undefined);
                throw new Error(`destroy did not finish in ${boundMs / 1000} s`);
            }),
        ]),
    );
    const left = await run.hub.list(argoApi, "Application", argocdNamespace);
    if (left.length > 0)
        throw new Error(`Applications left after destroy: ${left.map((a) => a.metadata.name).join(", ")}`);
    return `${result.summary.resourceChanges?.delete ?? 0} deleted; no Application left; protected resources: none in ${environment}`;
}
