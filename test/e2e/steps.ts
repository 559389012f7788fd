import * as fs from "node:fs";
import * as path from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { deployCommitTitle } from "../../components/github/conventions";
import { script, setImageLines } from "../../components/github/workflows/shell";
import { argoApi, type KubeObject } from "./harness/kube";
import { waitFor, sleep } from "./harness/process";
import { valuesConfigMapName } from "./harness/chartMirror";
import { policyPackLauncher } from "./harness/pulumi";
import { toolDir } from "./harness/tools";
import { sendGitHubPush } from "./harness/webhook";
import { injectedFault } from "./faults";
import type { E2eRun } from "./setup";
import { argocdNamespace, e2eApps, environment, gitopsBranch, loopApp, spokeName } from "./stack";

const policyDir = path.join(__dirname, "..", "..", "policy");

/** `Synced/Healthy @ abc1234 (Succeeded: message)`: what `argocd app get` would show, for details and errors. */
export function appSummary(app: KubeObject | undefined): string {
    if (!app) return "missing";
    const status = (app.status ?? {}) as {
        sync?: { status?: string; revision?: string };
        health?: { status?: string };
        operationState?: { phase?: string; message?: string };
        conditions?: { type: string; message: string }[];
    };
    const operation = status.operationState
        ? ` (${status.operationState.phase}: ${String(status.operationState.message ?? "").slice(0, 200)})`
        : "";
    const conditions = (status.conditions ?? [])
        .map((c) => ` [${c.type}: ${c.message.slice(0, 200)}]`)
        .join("");
    return `${status.sync?.status ?? "?"}/${status.health?.status ?? "?"} @ ${(status.sync?.revision ?? "").slice(0, 7)}${operation}${conditions}`;
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
        const states = Object.entries(last)
            .map(([name, summary]) => `  ${name}: ${summary}`)
            .join("\n");
        throw new Error(`${(error as Error).message}\n${states}`, { cause: error });
    }
}

/** Names of the team Applications the platform's ApplicationSets generate on the spoke: `<app>-<cluster>`. */
export function teamApplicationNames(): string[] {
    return e2eApps.map((app) => `${app.name}-${spokeName}`);
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
 * with the spoke's (lists included); the team namespace was created on the spoke by the first sync.
 */
export async function platformSynced(run: E2eRun): Promise<string> {
    const platformApps = ["platform-root", "platform-manifests", "external-dns", "argo-rollouts"];
    await waitSyncedHealthy(run, [...platformApps, ...teamApplicationNames()], 240_000);

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
    const namespace = await run.spoke.get("v1", "Namespace", loopApp.namespace);
    if (!namespace) throw new Error(`namespace ${loopApp.namespace} was not created on the spoke`);
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    const ready = (deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0;
    if (ready < 1) throw new Error(`${loopApp.name} has no ready replica on the spoke`);
    run.state.goodRevision = (
        (await application(run, loopApplication))?.status as { sync: { revision: string } }
    ).sync.revision;
    return `${platformApps.length + teamApplicationNames().length + 1} Applications Synced/Healthy; ${fanned} values merged; namespace ${loopApp.namespace} created on the spoke; ${ready} ${loopApp.name} pods Ready`;
}

/** The image CI would push for a commit of the app repository: tag = the app commit's SHA. */
function imageFor(tag: string): string {
    return `registry.e2e.example.com/acme/${loopApp.name}:${tag}`;
}

/** Runs the platform's own CI bump script (components/github/workflows/shell.ts) in the work tree, commits and pushes. */
async function ciBump(run: E2eRun, tag: string): Promise<string> {
    await run.work.sh(script(...setImageLines()), {
        APP: loopApp.name,
        ENVIRONMENT: environment,
        IMAGE: imageFor(tag),
        PATH: toolPath(),
    });
    return run.work.commitAndPush(deployCommitTitle(loopApp.name, environment, tag), gitopsBranch);
}

/** PATH with the pinned kustomize first: CI's bump script and edits run it. */
function toolPath(): string {
    return `${toolDir("kustomize")}:${process.env.PATH}`;
}

/** Tells Argo CD about a push, signed with `secret`; resolves the HTTP status. */
async function notifyPush(run: E2eRun, before: string, after: string, secret: string): Promise<number> {
    // argocd-server restarts itself (about a second) whenever its settings change, e.g. right after `up`.
    await waitFor("argocd-server to answer", async () => {
        const response = await fetch(`${run.argoCd.serverUrl}/healthz`).catch(() => undefined);
        return response?.ok ? true : undefined;
    });
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
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    const image = (deployment?.spec as { template: { spec: { containers: { image: string }[] } } }).template
        .spec.containers[0].image;
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
    const deployed = run.slack.messages.filter((m) =>
        mentions(m.text, app, "deployed", run.state.goodRevision),
    );
    if (deployed.length !== 1) {
        throw new Error(
            `expected one "deployed" Slack message for ${run.state.goodRevision.slice(0, 7)}, got ${deployed.length}`,
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
    return `Slack #${slack.to} and e-mail to ${email.to} name ${app}, ${environment} and ${broken.slice(0, 7)}; the deploy was announced once`;
}

/** `rollback`: reverting the broken commit in Git brings the app back to the last good state, Healthy. */
export async function rollback(run: E2eRun): Promise<string> {
    const before = await run.work.head();
    await run.work.git("revert", "--no-edit", run.state.brokenRevision);
    await run.work.git("push", "--quiet", "origin", `HEAD:${gitopsBranch}`);
    const revert = await run.work.head();
    const status = await notifyPush(run, before, revert, run.secrets.gitopsWebhookSecret);
    if (status !== 200) throw new Error(`the signed push got HTTP ${status}`);
    await waitSyncedHealthy(run, [loopApplication], 60_000, revert);
    const deployment = await run.spoke.get("apps/v1", "Deployment", loopApp.name, loopApp.namespace);
    const image = (deployment?.spec as { template: { spec: { containers: { image: string }[] } } }).template
        .spec.containers[0].image;
    if (image !== run.state.goodImage)
        throw new Error(`after the revert the Deployment runs ${image}, expected ${run.state.goodImage}`);
    return `revert ${revert.slice(0, 7)} synced; ${loopApp.name} Healthy on ${image.split(":").pop()!.slice(0, 7)}`;
}

/**
 * `deploy-feedback`: what the developer sees on the app repository (issue 3/5): the deployed commit's
 * `deploy/<env>` status went pending → success, the broken sync reported failure, and GitHub deployments
 * keep the history: the rollback is a new deployment of the good SHA, the one it replaced now inactive.
 */
export async function deployFeedback(run: E2eRun): Promise<string> {
    const repository = `acme/${loopApp.name}`;
    const sha = run.state.goodImage.split(":").pop()!;
    const context = `deploy/${environment}`;
    const states = () =>
        run.gitHub.statuses
            .filter((s) => s.repository === repository && s.sha === sha && s.context === context)
            .map((s) => s.state);
    await waitFor(
        `a failure status after the broken sync on ${sha.slice(0, 7)}`,
        async () => (states().includes("failure") ? true : undefined),
        { timeoutMs: 30_000 },
    ).catch((error: Error) => {
        throw new Error(`${error.message}; statuses: ${JSON.stringify(run.gitHub.statuses.slice(-10))}`, {
            cause: error,
        });
    });
    const seen = states();
    const success = seen.indexOf("success");
    if (success < 0 || !seen.slice(0, success).includes("pending")) {
        throw new Error(
            `expected pending then success on ${sha.slice(0, 7)} (${context}), got ${seen.join(" → ")}`,
        );
    }
    const deployments = await waitFor(
        "two deployments of the good SHA",
        async () => {
            const ours = run.gitHub.deployments.filter(
                (d) => d.repository === repository && d.sha === sha && d.environment === environment,
            );
            return ours.length >= 2 && ours[ours.length - 1].state === "success" ? ours : undefined;
        },
        { timeoutMs: 30_000 },
    ).catch((error: Error) => {
        throw new Error(`${error.message}; deployments: ${JSON.stringify(run.gitHub.deployments)}`, {
            cause: error,
        });
    });
    const replaced = deployments.slice(0, -1).filter((d) => d.state === "inactive");
    if (replaced.length === 0)
        throw new Error(`no earlier deployment became inactive: ${JSON.stringify(deployments)}`);
    return `${context} on ${repository}@${sha.slice(0, 7)}: ${seen.join(" → ")}; ${deployments.length} deployments of it, ${replaced.length} now inactive`;
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

/** `secrets`: the exported state holds no secret config value in plain text. */
export async function secretsStayEncrypted(run: E2eRun): Promise<string> {
    const state = JSON.stringify(await run.stack.exportStack());
    const leaked = Object.entries(run.secrets).filter(
        ([, value]) => state.includes(value) || state.includes(JSON.stringify(value).slice(1, -1)),
    );
    if (leaked.length > 0)
        throw new Error(`plain text of ${leaked.map(([key]) => key).join(", ")} in the state`);
    const ciphertexts = (state.match(/"ciphertext"/g) ?? []).length;
    if (ciphertexts === 0)
        throw new Error("no encrypted secret in the state: were the secrets registered at all?");
    return `${Object.keys(run.secrets).length} secret values checked; ${ciphertexts} ciphertexts, no plain text`;
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
