import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    ArgoCdNotifications,
    appCommitOfImages,
    appCommitRevisionPath,
    appRepoUrlPath,
    argocdLink,
    commitImagePattern,
    deployFeedbackConditions,
    deploymentRevisionPath,
    gitHubTemplates,
    gitHubTriggerNames,
    gitHubTriggers,
    notificationTriggerNames,
    notificationsConfigData,
    notificationsSecretData,
    renderGitHubTemplate,
    type GitHubFeedbackSettings,
    type NotificationsConfigArgs,
} from "../../../components/notifications";
import { isSecret, record } from "../../harness";

const sha = "1f2e3d4c5b6a79881726354453627181909a0b1c";
const older = "0123456789abcdef0123456789abcdef01234567";

const gitHub: GitHubFeedbackSettings = {
    appID: 918273,
    installationID: 51234567,
    linkUrl: "https://argocd.prod.example.com",
};

function configArgs(overrides: Partial<NotificationsConfigArgs> = {}): NotificationsConfigArgs {
    return {
        environment: "prod",
        argocdUrl: "https://argocd.prod.example.com",
        slack: { channel: "gitops-prod" },
        triggers: ["on-sync-failed"],
        github: gitHub,
        ...overrides,
    };
}

interface GitHubTemplateYaml {
    message: string;
    github: {
        repoURLPath: string;
        revisionPath: string;
        status?: { state: string; label: string; targetURL: string };
        deployment?: {
            state: string;
            environment: string;
            logURL: string;
            requiredContexts: string[];
            autoMerge: boolean;
            transientEnvironment: boolean;
            reference: string;
        };
    };
}

function template(data: Record<string, string>, name: string): GitHubTemplateYaml {
    assert.ok(data[`template.${name}`], `template.${name} is rendered`);
    return parse(data[`template.${name}`]) as GitHubTemplateYaml;
}

describe("deploy feedback: the SHA and repository derived from the image tag", () => {
    it("takes the app commit from the first synced image tagged with a full commit SHA", () => {
        assert.deepEqual(appCommitOfImages([`ghcr.io/acme/checkout:${sha}`]), {
            repository: "acme/checkout",
            sha,
        });
        // A sidecar with a version tag, then the app's image: the SHA-tagged one wins.
        assert.deepEqual(
            appCommitOfImages(["docker.io/envoyproxy/envoy:v1.30.1", `ghcr.io/acme/web:${sha}`]),
            { repository: "acme/web", sha },
        );
    });

    it("reads owner/repo as the image name's last two segments, past a registry port", () => {
        assert.deepEqual(appCommitOfImages([`registry.example.com:5000/acme/ledger:${sha}`]), {
            repository: "acme/ledger",
            sha,
        });
    });

    it("prefers what the sync applied over what is running, and falls back to the running image", () => {
        assert.equal(
            appCommitOfImages([`ghcr.io/acme/checkout:${sha}`], [`ghcr.io/acme/checkout:${older}`])?.sha,
            sha,
        );
        // A sync refused before it applied the Deployment: the running Pod's image is the commit.
        assert.equal(appCommitOfImages([], [`ghcr.io/acme/checkout:${older}`])?.sha, older);
    });

    it("finds nothing without a full-SHA tag: version tags, short SHAs, digests, latest", () => {
        for (const image of [
            "ghcr.io/acme/checkout:v1.2.3",
            `ghcr.io/acme/checkout:${sha.slice(0, 7)}`,
            `ghcr.io/acme/checkout@sha256:${sha}${sha.slice(0, 24)}`,
            "ghcr.io/acme/checkout:latest",
            `ghcr.io/acme/checkout:${sha.toUpperCase()}`,
        ]) {
            assert.equal(appCommitOfImages([image]), undefined, image);
        }
    });

    it("the templates derive it with the same pattern: synced images, then summary.images", () => {
        assert.equal(commitImagePattern, ":[0-9a-f]{40}$");
        for (const path of [appRepoUrlPath, appCommitRevisionPath]) {
            assert.ok(
                path.includes(".app.status.operationState }}{{ with .syncResult }}{{ range .resources }}"),
            );
            assert.ok(path.includes("{{ with .app.status.summary }}{{ range .images }}"));
            assert.ok(path.includes(`regexMatch "${commitImagePattern}"`));
            // The GitOps repository's revision is never the commit reported.
            assert.ok(!path.includes("syncResult.revision") && !path.includes(".app.status.sync"));
        }
        assert.match(appRepoUrlPath, /https:\/\/github\.com\/\{\{ regexFind "\[\^\/\]\+\/\[\^\/\]\+\$"/);
        assert.match(appCommitRevisionPath, /\{\{ regexFind "\[0-9a-f\]\{40\}\$" \$image \}\}$/);
    });
});

describe("deploy feedback: catalog triggers", () => {
    const byName = new Map(gitHubTriggers.map((trigger) => [trigger.name, trigger]));

    it("has a template for every trigger, and names no trigger of the Slack and email catalog", () => {
        const templates = new Set(gitHubTemplates.map((t) => t.name));
        for (const trigger of gitHubTriggers) assert.ok(templates.has(trigger.template), trigger.name);
        for (const trigger of gitHubTriggers) assert.ok(!notificationTriggerNames.includes(trigger.name));
        assert.deepEqual(
            [...gitHubTriggerNames.statuses, ...gitHubTriggerNames.deployments].sort(),
            [...byName.keys()].sort(),
        );
    });

    it("reports once per sync operation, so a rollback or a new deploy reports again", () => {
        for (const trigger of gitHubTriggers) {
            assert.equal(trigger.oncePer, "app.status.operationState?.startedAt", trigger.name);
        }
    });

    it("pending: syncing or rolling out, only once the sync result names a commit image", () => {
        const when = byName.get("on-commit-deploying")!.when;
        assert.equal(when, deployFeedbackConditions.pending);
        assert.match(when, /phase in \['Running'\]/);
        assert.match(
            when,
            /phase in \['Succeeded'\] and app\.status\.health\?\.status in \['Progressing', 'Suspended', 'Missing'\]/,
        );
        assert.match(
            when,
            /syncResult\.resources \?\? \[\], \{any\(#\.images \?\? \[\], \{# matches ':\[0-9a-f\]\{40\}\$'\}\)\}/,
        );
        // Never from running Pods: during a rollout they still run the previous commit.
        assert.ok(!when.includes("summary"));
    });

    it("success: sync Succeeded, Synced and Healthy; failure: sync Error/Failed or Degraded", () => {
        const success = deployFeedbackConditions.succeeded;
        assert.match(success, /phase in \['Succeeded'\]/);
        assert.match(success, /app\.status\.sync\?\.status == 'Synced'/);
        assert.match(success, /app\.status\.health\?\.status == 'Healthy'/);
        const failure = deployFeedbackConditions.failed;
        assert.match(
            failure,
            /phase in \['Error', 'Failed'\] or app\.status\.health\?\.status == 'Degraded'/,
        );
        for (const when of [success, failure]) assert.match(when, /app\.status\.summary\?\.images/);
        assert.equal(byName.get("on-commit-deployed")!.when, success);
        assert.equal(byName.get("on-deployment-succeeded")!.when, success);
        assert.equal(byName.get("on-commit-deploy-failed")!.when, failure);
        assert.equal(byName.get("on-deployment-failed")!.when, failure);
    });
});

describe("deploy feedback: templates", () => {
    const data = notificationsConfigData(configArgs());
    // The expected `github` blocks, written out rather than taken from renderGitHubTemplate, so they can fail.
    const statusBlock = (state: string) => ({
        repoURLPath: appRepoUrlPath,
        revisionPath: appCommitRevisionPath,
        status: { state, label: "deploy/{{ .context.environment }}", targetURL: argocdLink },
    });
    const deploymentBlock = (state: string) => ({
        repoURLPath: appRepoUrlPath,
        revisionPath: deploymentRevisionPath,
        deployment: {
            state,
            environment: "{{ .context.environment }}",
            logURL: argocdLink,
            requiredContexts: [],
            autoMerge: false,
            transientEnvironment: false,
            reference: appCommitRevisionPath,
        },
    });

    it("commit statuses: deploy/<env>, pending/success/failure, on the app commit, linked to Argo CD", () => {
        for (const state of ["pending", "success", "failure"]) {
            const t = template(data, `github-status-${state}`);
            assert.deepEqual(t.github, statusBlock(state));
            assert.match(t.message, /\{\{ \.app\.metadata\.name \}\}/);
        }
        assert.match(
            template(data, "github-status-failure").message,
            /sync \{\{ \.phase \}\}: \{\{ \.message \}\}/,
        );
    });

    it("deployments: environment <env>, a new one per sync of the commit, no required contexts or auto-merge", () => {
        for (const state of ["success", "failure"]) {
            assert.deepEqual(template(data, `github-deployment-${state}`).github, deploymentBlock(state));
        }
        // The listed ref is the SHA plus the sync's start: no deployment has it, so one is created per sync.
        assert.ok(deploymentRevisionPath.startsWith(appCommitRevisionPath));
        assert.match(
            deploymentRevisionPath,
            /@\{\{ with \.app\.status\.operationState \}\}\{\{ \.startedAt \}\}/,
        );
    });

    it("links only to a public Argo CD: context.argocdPublicUrl, empty without a hostname", () => {
        assert.match(argocdLink, /^\{\{ with \.context\.argocdPublicUrl \}\}/);
        assert.equal(parse(data.context).argocdPublicUrl, "https://argocd.prod.example.com");
        const internal = notificationsConfigData(configArgs({ github: { ...gitHub, linkUrl: undefined } }));
        assert.equal(parse(internal.context).argocdPublicUrl, "");
    });

    it("each template renders as notifications-engine reads it", () => {
        for (const t of gitHubTemplates) {
            const parsed = parse(renderGitHubTemplate(t)) as GitHubTemplateYaml;
            assert.equal(parsed.message, t.description);
            assert.equal(
                (t.kind === "status" ? parsed.github.status : parsed.github.deployment)?.state,
                t.state,
            );
        }
    });
});

describe("deploy feedback: argocd-notifications-cm and -secret", () => {
    it("configures service.github with the App, a key reference and the Enterprise API root", () => {
        const data = notificationsConfigData(
            configArgs({ github: { ...gitHub, enterpriseBaseURL: "https://ghe.example.com/api/v3" } }),
        );
        assert.deepEqual(parse(data["service.github"]), {
            appID: 918273,
            installationID: 51234567,
            privateKey: "$github-privateKey",
            enterpriseBaseURL: "https://ghe.example.com/api/v3",
        });
        assert.equal(
            parse(notificationsConfigData(configArgs())["service.github"]).enterpriseBaseURL,
            undefined,
        );
    });

    it("subscribes every team Application (not the add-ons) to the GitHub triggers", () => {
        const subscriptions = parse(notificationsConfigData(configArgs()).subscriptions) as {
            recipients: string[];
            triggers: string[];
            selector?: string;
        }[];
        const github = subscriptions.filter((s) => s.recipients.includes("github"));
        assert.deepEqual(github, [
            {
                recipients: ["github"],
                triggers: [...gitHubTriggerNames.statuses, ...gitHubTriggerNames.deployments],
                selector: "gitops-platform/team,gitops-platform/team!=platform",
            },
        ]);
    });

    it("sends only statuses, or only deployments, when the other is off", () => {
        const triggersOf = (settings: GitHubFeedbackSettings) =>
            (
                parse(notificationsConfigData(configArgs({ github: settings })).subscriptions) as {
                    recipients: string[];
                    triggers: string[];
                }[]
            ).find((s) => s.recipients.includes("github"))?.triggers;
        assert.deepEqual(triggersOf({ ...gitHub, deployments: false }), [...gitHubTriggerNames.statuses]);
        assert.deepEqual(triggersOf({ ...gitHub, statuses: false }), [...gitHubTriggerNames.deployments]);
    });

    it("adds nothing of GitHub when deploy feedback is off", () => {
        const data = notificationsConfigData(configArgs({ github: undefined }));
        const gitHubKeys = [
            "service.github",
            ...gitHubTriggers.map((t) => `trigger.${t.name}`),
            ...gitHubTemplates.map((t) => `template.${t.name}`),
        ].filter((key) => key in data);
        assert.deepEqual(gitHubKeys, []);
        assert.ok(!data.subscriptions.includes("github"));
        assert.equal(parse(data.context).argocdPublicUrl, undefined);
    });

    it("puts the App's private key in argocd-notifications-secret as github-privateKey, secret", async () => {
        const data = notificationsSecretData({ gitHubPrivateKey: "-----BEGIN RSA PRIVATE KEY-----" });
        assert.deepEqual(Object.keys(data), ["github-privateKey"]);
        assert.equal(await isSecret(data["github-privateKey"] as never), true);
        const recorder = await record(() => {
            new ArgoCdNotifications("deploy-feedback-secret", {
                argoCd: { namespace: "argocd" },
                environment: "prod",
                argocdUrl: "https://argocd.prod.example.com",
                github: gitHub,
                gitHubPrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n",
                triggers: [],
            });
        });
        const [secret] = recorder.ofType("kubernetes:core/v1:Secret");
        const stringData = secret.inputs.stringData as Record<string, string>;
        assert.deepEqual(Object.keys(stringData), ["github-privateKey"]);
        assert.ok(secret.secretInputs.includes("stringData"));
        const [cm] = recorder.ofType("kubernetes:core/v1:ConfigMap");
        assert.ok(!JSON.stringify(cm.inputs).includes("BEGIN RSA PRIVATE KEY"));
    });

    it("refuses deploy feedback without the App's private key, before registering anything", async () => {
        await assert.rejects(
            record(() => {
                new ArgoCdNotifications("deploy-feedback-nokey", {
                    argoCd: { namespace: "argocd" },
                    environment: "prod",
                    argocdUrl: "https://argocd.prod.example.com",
                    github: gitHub,
                    triggers: [],
                });
            }),
            /GitHub deployment feedback is configured \(App 918273\) but no gitHubPrivateKey was given/,
        );
    });
});
