import { randomBytes } from "node:crypto";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { addonNames } from "../../components/addons/catalog";
import { injectedFault } from "./faults";

/** What the e2e stack points at: the run's own servers, all on 127.0.0.1. */
export interface E2eEndpoints {
    hubKubeconfig: string;
    spokeServer: string;
    spokeKubeconfig: string;
    gitopsRepoURL: string;
    chartMirrorURL: string;
    slackApiURL: string;
    smtpPort: number;
    /** The GitHub-API receiver, as a GitHub Enterprise API root (`…/api/v3`). */
    gitHubApiURL: string;
    /** The Prometheus (without data) the canary's analysis queries. */
    prometheusURL: string;
}

/** The e2e stack's people and apps: two teams, four apps (one canary), as a platform team would onboard them. */
export const e2eTeams = [
    { name: "payments", group: "e2e:payments" },
    { name: "storefront", group: "e2e:storefront", namespaces: ["storefront", "storefront-jobs"] },
];
/**
 * The e2e's apps: `checkout` a canary whose analysis reads the app's own metrics from a Prometheus without
 * data and so must fail closed; `ledger` the loop's plain Deployment; `web` the template's production
 * settings (an HPA, a disruption budget, a ConfigMap and env); `reports` in its team's second namespace.
 */
export function e2eApps(prometheusURL: string) {
    return [
        {
            name: "checkout",
            team: "payments",
            port: 8080,
            metrics: { path: "/metrics" },
            canary: {
                steps: [{ setWeight: 50 }, { pause: { duration: "1m" } }],
                analysis: {
                    prometheusAddress: prometheusURL,
                    interval: "10s",
                    failureLimit: 0,
                    noData: injectedFault() === "canary-no-data-passes" ? "pass" : "fail",
                },
            },
        },
        { name: "ledger", team: "payments" },
        {
            name: "web",
            team: "storefront",
            port: 3000,
            hpa: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 60 },
            pdb: { maxUnavailable: 1 },
            env: { LOG_LEVEL: "debug" },
            config: { "settings.json": '{"currency":"EUR"}' },
        },
        // In the team's second namespace: its Application must target it, so the first sync creates it.
        { name: "reports", team: "storefront", namespace: "storefront-jobs" },
    ];
}
/** Names of the e2e's apps. */
export const e2eAppNames = ["checkout", "ledger", "web", "reports"] as const;
/** The app that shows the template's production settings. */
export const templateApp = {
    name: "web",
    namespace: "storefront",
    config: { "settings.json": '{"currency":"EUR"}' },
};
/** The canary app. */
export const canaryApp = { name: "checkout", namespace: "payments" };
/** The app the loop deploys, breaks, rolls back and heals: a plain Deployment. */
export const loopApp = { name: "ledger", namespace: "payments" };
export const spokeName = "spoke";
export const environment = "dev";
export const argocdNamespace = "argocd";
export const gitopsBranch = "main";
/**
 * Add-ons of the e2e: one with list-valued per-cluster values (external-dns), the one the canary needs, and
 * metrics-server, which the autoscaler needs where the apps run (its stand-in chart renders no server: the
 * run's metrics API stands in for it).
 */
export const e2eAddons = ["external-dns", "argo-rollouts", "metrics-server"] as const;

/** Secret config values, generated per run (the `secrets` step checks none of them is in the state in plain text). */
export function e2eSecrets(spokeKubeconfig: string, gitHubAppKey: string): Record<string, string> {
    const random = () => randomBytes(18).toString("base64url");
    return {
        gitopsUsername: "e2e-reader",
        gitopsPassword: random(),
        gitopsWebhookSecret: random(),
        slackToken: `xoxb-${random()}`,
        smtpUsername: "e2e-mailer",
        smtpPassword: random(),
        spokeKubeconfig,
        notificationsGithubPrivateKey: gitHubAppKey,
    };
}

/**
 * The e2e stack's configuration, as `Pulumi.<stack>.yaml` would hold it: bring-your-own Git (the run's Git
 * server), Argo CD already installed (`argocd.install: external`, the module's install.yaml), a hub plus
 * one spoke, notifications to the run's Slack receiver and SMTP sink, add-ons from the run's chart mirror
 * with per-cluster values.
 */
export function e2eStackConfig(endpoints: E2eEndpoints, secrets: Record<string, string>): ConfigMap {
    const plain: Record<string, unknown> = {
        environment,
        cluster: { name: "hub", kubeconfig: endpoints.hubKubeconfig },
        argocd: { install: "external", namespace: argocdNamespace, adminGroups: ["e2e:platform"] },
        gitops: {
            repository: "gitops",
            branch: gitopsBranch,
            repoURL: endpoints.gitopsRepoURL,
            webhook: { provider: "github" },
        },
        // Few, fast retries: the notify step waits for a failed sync to be final.
        sync: { retry: { limit: 2, backoff: { duration: "2s", factor: 2, maxDuration: "10s" } } },
        teams: e2eTeams,
        apps: e2eApps(endpoints.prometheusURL),
        addons: {
            ...Object.fromEntries(
                addonNames.map((name) => [
                    name,
                    (e2eAddons as readonly string[]).includes(name)
                        ? { enabled: true, repoURL: endpoints.chartMirrorURL }
                        : { enabled: false },
                ]),
            ),
            dns: { provider: "aws", domainFilters: ["hub.e2e.example.com"] },
        },
        notifications: {
            slack: { channel: "gitops-dev", apiURL: endpoints.slackApiURL },
            // dev's defaults leave out on-deployed; the loop checks a deploy is announced exactly once.
            triggers: ["on-sync-failed", "on-health-degraded", "on-sync-status-unknown", "on-deployed"],
            email: {
                host: "127.0.0.1",
                port: endpoints.smtpPort,
                from: "argocd@e2e.example.com",
                recipients: ["platform-team@e2e.example.com"],
            },
            // Deployment feedback: commit statuses and deployments through notifications' GitHub service.
            github: { app: { id: 4242, installationId: 4343 }, enterpriseBaseURL: endpoints.gitHubApiURL },
            projects: [
                {
                    project: "payments",
                    slackChannel: "payments-alerts",
                    emails: ["payments@e2e.example.com"],
                },
            ],
        },
        workloadClusters: [
            {
                name: spokeName,
                server: endpoints.spokeServer,
                labels: { region: "loopback" },
                addons: ["external-dns", "metrics-server", "argo-rollouts"],
                values: {
                    "external-dns": { domainFilters: ["spoke.e2e.example.com"], txtOwnerId: spokeName },
                },
                connection: { kubeconfigSecret: "spokeKubeconfig" },
            },
        ],
    };
    const config: ConfigMap = {};
    for (const [key, value] of Object.entries(plain)) {
        config[`gitops-platform:${key}`] = {
            value: typeof value === "string" ? value : JSON.stringify(value),
        };
    }
    for (const [key, value] of Object.entries(secrets)) {
        config[`gitops-platform:${key}`] = { value, secret: true };
    }
    return config;
}
