import * as pulumi from "@pulumi/pulumi";

/** How Argo CD authenticates to a Git repository. Exactly one method is used. */
export type RepositoryAuth =
    | { type: "ssh"; sshPrivateKey: pulumi.Input<string> }
    | { type: "https"; username: pulumi.Input<string>; password: pulumi.Input<string> }
    | {
          type: "githubApp";
          appId: pulumi.Input<string>;
          installationId: pulumi.Input<string>;
          privateKey: pulumi.Input<string>;
      };

/** A repository Argo CD reads from. */
export interface RepositoryCredentials {
    url: string;
    /** Default: none, a public repository (the Secret still declares it to Argo CD). */
    auth?: RepositoryAuth;
}

/** The `stringData` of a `secret-type: repository` Secret; every credential field is a secret. */
export function repositorySecretData(repo: RepositoryCredentials): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = { type: "git", url: repo.url };
    switch (repo.auth?.type) {
        case undefined:
            break;
        case "ssh":
            data.sshPrivateKey = pulumi.secret(repo.auth.sshPrivateKey);
            break;
        case "https":
            data.username = repo.auth.username;
            data.password = pulumi.secret(repo.auth.password);
            break;
        case "githubApp":
            data.githubAppID = repo.auth.appId;
            data.githubAppInstallationID = repo.auth.installationId;
            data.githubAppPrivateKey = pulumi.secret(repo.auth.privateKey);
            break;
    }
    return data;
}

/**
 * Git servers whose push webhooks Argo CD verifies. Gitea sends Gogs-format payloads: use `gogs`.
 * Upstream: argo-cd docs/operator-manual/webhook.md.
 */
export const webhookProviders = ["github", "gitlab", "bitbucket", "bitbucketserver", "gogs"] as const;
export type WebhookProvider = (typeof webhookProviders)[number];

/**
 * The argocd-secret key that holds each provider's webhook secret (Bitbucket Cloud has no shared secret:
 * Argo CD checks the webhook's UUID instead). Upstream: argo-cd docs/operator-manual/argocd-secret.yaml.
 */
export const webhookSecretKeys: Record<WebhookProvider, string> = {
    github: "webhook.github.secret",
    gitlab: "webhook.gitlab.secret",
    bitbucket: "webhook.bitbucket.uuid",
    bitbucketserver: "webhook.bitbucketserver.secret",
    gogs: "webhook.gogs.secret",
};

/** The platform's keys of `argocd-secret`, every value a secret. */
export function argoCdSecretData(args: {
    webhookSecret?: pulumi.Input<string>;
    /** Which Git server signs the webhook. Default: `github`. */
    webhookProvider?: WebhookProvider;
    oidcClientSecret?: pulumi.Input<string>;
}): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {};
    if (args.webhookSecret !== undefined) {
        data[webhookSecretKeys[args.webhookProvider ?? "github"]] = pulumi.secret(args.webhookSecret);
    }
    if (args.oidcClientSecret !== undefined) data["oidc.clientSecret"] = pulumi.secret(args.oidcClientSecret);
    return data;
}

/**
 * `data` for a Secret patched with server-side apply: each value base64-encoded and secret. `stringData` is
 * write-only, so server-side apply cannot track who owns its keys (kubernetes/website#42603); `data` can,
 * and removing the patch then removes exactly these keys.
 */
export function base64SecretData(
    stringData: Record<string, pulumi.Input<string>>,
): Record<string, pulumi.Output<string>> {
    return Object.fromEntries(
        Object.entries(stringData).map(([key, value]) => [
            key,
            pulumi.secret(pulumi.output(value).apply((text) => Buffer.from(text, "utf8").toString("base64"))),
        ]),
    );
}
