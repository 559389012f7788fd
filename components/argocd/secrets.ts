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
    auth: RepositoryAuth;
}

/** The `stringData` of a `secret-type: repository` Secret; every credential field is a secret. */
export function repositorySecretData(repo: RepositoryCredentials): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = { type: "git", url: repo.url };
    switch (repo.auth.type) {
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

/** The `stringData` of the Pulumi-managed `argocd-secret`. */
export function argoCdSecretData(args: {
    webhookSecret?: pulumi.Input<string>;
    oidcClientSecret?: pulumi.Input<string>;
}): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {};
    if (args.webhookSecret !== undefined) data["webhook.github.secret"] = pulumi.secret(args.webhookSecret);
    if (args.oidcClientSecret !== undefined) data["oidc.clientSecret"] = pulumi.secret(args.oidcClientSecret);
    return data;
}
