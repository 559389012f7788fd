import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { argoCdKeyTitle, argoCdWebhookUrl, deployKeySecret, environmentKeyTitle } from "./conventions";

/** Protection rules of an environment's GitHub environment, which gate its rollback workflow. */
export interface EnvironmentProtection {
    /** Team IDs (numbers, as `gh api orgs/<org>/teams/<slug> --jq .id` prints) who approve. Default: none. */
    reviewerTeamIds?: number[];
    /** User IDs who approve. Default: none. */
    reviewerUserIds?: number[];
    /** Minutes to wait before a job runs. Default: `0`. */
    waitTimer?: number;
    /** Whoever started the run may not approve it. Default: `false`. */
    preventSelfReview?: boolean;
}

export interface EnvironmentAccessArgs {
    /** Name of the GitOps repository. */
    repository: pulumi.Input<string>;
    /** Environment name, e.g. `prod`: names the keys and the GitHub environment. */
    environment: string;
    /** Branch Argo CD follows; only workflows on it may use the environment. Default: `main`. */
    branch?: string;
    /** Public half of Argo CD's read-only key (its private half is in Argo CD's repository Secret). */
    argoCdPublicKey: pulumi.Input<string>;
    /** Argo CD's webhook: its hostname and the secret Argo CD checks. Default: none (Argo CD polls). */
    webhook?: { hostname: string; secret: pulumi.Input<string> };
    /** Protection rules of the GitHub environment. Default: none. */
    protection?: EnvironmentProtection;
}

/** The `RepositoryEnvironment` settings of an environment. Pure. */
export function environmentSettings(environment: string, protection: EnvironmentProtection = {}) {
    const teams = protection.reviewerTeamIds ?? [];
    const users = protection.reviewerUserIds ?? [];
    const reviewed = teams.length + users.length > 0;
    return {
        environment,
        waitTimer: protection.waitTimer ?? 0,
        preventSelfReview: protection.preventSelfReview ?? false,
        // Admins skip the rules only where there are no reviewers to skip.
        canAdminsBypass: !reviewed,
        reviewers: reviewed ? [{ teams, users }] : [],
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    };
}

/** The `RepositoryWebhook` that tells Argo CD about every push at once. Pure. */
export function argoCdWebhook(hostname: string, secret: pulumi.Input<string>) {
    return {
        active: true,
        events: ["push"],
        configuration: {
            url: argoCdWebhookUrl(hostname),
            contentType: "json",
            insecureSsl: false,
            secret: pulumi.secret(secret),
        },
    };
}

/**
 * What one environment needs on the GitOps repository, declared by that environment's stack: Argo CD's
 * read-only deploy key, the webhook to Argo CD (with a hostname), and a GitHub environment holding the
 * environment's write deploy key, which `rollback.yml` pushes with behind the environment's protection.
 */
export class EnvironmentAccess extends pulumi.ComponentResource {
    /** Name of the GitHub environment. */
    public readonly environmentName: pulumi.Output<string>;
    /** URL the webhook posts to, or undefined without one. */
    public readonly webhookUrl?: pulumi.Output<string>;

    constructor(name: string, args: EnvironmentAccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:EnvironmentAccess", name, {}, opts);
        const { repository, environment } = args;

        new github.RepositoryDeployKey(
            `${name}-argocd-key`,
            {
                repository,
                title: argoCdKeyTitle(environment),
                key: pulumi.output(args.argoCdPublicKey).apply((key) => key.trim()),
                readOnly: true,
            },
            { parent: this },
        );

        if (args.webhook) {
            new github.RepositoryWebhook(
                `${name}-webhook`,
                { repository, ...argoCdWebhook(args.webhook.hostname, args.webhook.secret) },
                { parent: this },
            );
        }

        const githubEnvironment = new github.RepositoryEnvironment(
            `${name}-environment`,
            { repository, ...environmentSettings(environment, args.protection) },
            { parent: this },
        );
        // Only workflows on the branch Argo CD follows may use the environment's key.
        new github.RepositoryEnvironmentDeploymentPolicy(
            `${name}-branch-policy`,
            { repository, environment: githubEnvironment.environment, branchPattern: args.branch ?? "main" },
            { parent: this },
        );

        const key = new tls.PrivateKey(`${name}-deploy-key`, { algorithm: "ED25519" }, { parent: this });
        new github.RepositoryDeployKey(
            `${name}-gitops-key`,
            {
                repository,
                title: environmentKeyTitle(environment),
                key: key.publicKeyOpenssh.apply((k) => k.trim()),
                readOnly: false,
            },
            { parent: this },
        );
        new github.ActionsEnvironmentSecret(
            `${name}-deploy-key-secret`,
            {
                repository,
                environment: githubEnvironment.environment,
                secretName: deployKeySecret,
                value: pulumi.secret(key.privateKeyOpenssh),
            },
            { parent: this },
        );

        this.environmentName = githubEnvironment.environment;
        this.webhookUrl = args.webhook ? pulumi.output(argoCdWebhookUrl(args.webhook.hostname)) : undefined;
        this.registerOutputs({ environmentName: this.environmentName, webhookUrl: this.webhookUrl });
    }
}
