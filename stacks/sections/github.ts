import { z } from "zod";
import { webhookProviders } from "../../components/argocd/secrets";
import { environments, positiveInt } from "./common";
import { pipelineSchema, registrySchema } from "./pipeline";

const githubName = z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, "a GitHub login (letters, digits and '-')");
const repoName = z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, '.', '_', '-')");

/**
 * A Git repository URL Argo CD can clone and match webhooks to: `https://…`, `http://…` (a server on a
 * private network), `ssh://[user@]host[:port]/path`, or the scp-like `user@host:path`. Argo CD matches a
 * push webhook to Applications only for http(s) and ssh URLs, so `git://` and `file://` are refused.
 */
export const gitRepoUrl = z
    .string()
    .regex(
        /^(https?:\/\/[^\s/]+\/\S+|ssh:\/\/[^\s/]+\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/]\S*)$/,
        "an http(s) or ssh Git URL such as https://gitlab.example.com/acme/gitops.git or git@gitlab.example.com:acme/gitops.git",
    );

/** Whether a Git URL is read over ssh (`ssh://…` or scp-like `user@host:path`) rather than http(s). */
export function isSshGitUrl(url: string): boolean {
    return !/^https?:\/\//.test(url);
}

/** The GitOps repository Argo CD follows. */
export const gitopsSchema = z.strictObject({
    /** Name of the GitOps repository in the GitHub owner (GitHub mode). */
    repository: repoName,
    /** Branch Argo CD follows. */
    branch: z.string().min(1),
    /**
     * Bring your own Git: the URL of a GitOps repository the platform does not create (GitLab, Gitea,
     * Bitbucket, any Git server). Set it instead of the `github` section, never with it. Credentials come
     * from secret config: `gitopsSshPrivateKey` for an ssh URL, `gitopsUsername` + `gitopsPassword` for
     * http(s) (none for a public repository).
     */
    repoURL: gitRepoUrl.optional(),
    /**
     * Bring your own Git: the push webhook your Git server sends to `https://<argocd.hostname>/api/webhook`,
     * signed with the secret config value `gitopsWebhookSecret`. Default: none, Argo CD polls.
     */
    webhook: z.strictObject({ provider: z.enum(webhookProviders) }).optional(),
});

/**
 * GitHub mode (a `github` section: the platform creates the GitOps repository) and bring-your-own-Git mode
 * (`gitops.repoURL`) exclude each other, and one of them is needed. Every issue names its key path.
 */
export function gitopsIssues(
    config: { github?: unknown; gitops: { repoURL?: string; webhook?: unknown } },
    ctx: z.RefinementCtx,
): void {
    if (config.github !== undefined && config.gitops.repoURL !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["gitops", "repoURL"],
            message: `expected no repoURL when the github section is set (the platform then creates the GitOps repository on GitHub), got "${config.gitops.repoURL}"; remove one of them`,
        });
    }
    if (config.github === undefined && config.gitops.repoURL === undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["gitops", "repoURL"],
            message:
                "expected the URL of your GitOps repository (bring your own Git), or a github section instead, got nothing",
        });
    }
    if (config.github !== undefined && config.gitops.webhook !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["gitops", "webhook"],
            message:
                "expected nothing in GitHub mode (the platform creates the GitHub webhook and its secret), got an object",
        });
    }
}

const githubIds = z.array(positiveInt).max(6);

/** The GitHub organisation, authentication, registry and review rules. */
export const githubSchema = z.strictObject({
    /** GitHub organisation that owns every repository (rulesets, teams and org variables need one). */
    owner: githubName,
    /**
     * The environment whose stack declares the GitHub objects all environments share (repositories,
     * rulesets, files, team access, app deploy keys, organisation variables). Every stack must name the
     * same one; the others declare only their own deploy keys, webhook and GitHub environment.
     */
    sharedStack: z.enum(environments),
    /** Authenticate as a GitHub App (private key: secret config `githubAppPrivateKey`) instead of a token. */
    app: z.strictObject({ id: positiveInt, installationId: positiveInt }).optional(),
    /** Registry the pipeline pushes images to, and how it logs in (see docs/registries.md). */
    registry: registrySchema,
    /** The reusable pipeline: its repository, the version callers pin, every app's defaults (docs/pipeline.md). */
    pipeline: pipelineSchema,
    /** Approving reviews pull requests need on the GitOps and app repositories. */
    requiredApprovals: z.number().int().min(0).max(10),
    /** Who approves jobs (rollbacks) in this environment's GitHub environment, and how long they wait. */
    environmentProtection: z.strictObject({
        /** Numeric team IDs: `gh api orgs/<owner>/teams/<slug> --jq .id`. */
        reviewerTeamIds: githubIds,
        /** Numeric user IDs: `gh api users/<login> --jq .id`. */
        reviewerUserIds: githubIds,
        /** Minutes a job waits before it runs. */
        waitTimer: z.number().int().min(0).max(43200),
        /** Whoever started a run may not approve it. */
        preventSelfReview: z.boolean(),
    }),
});
