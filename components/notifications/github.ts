import { stringify } from "yaml";
import { labelKeys } from "../common/labels";
import { commitImagePattern, type GitHubNotificationTemplate } from "./catalog";

/**
 * Deployment feedback through notifications-engine's `github` service (pkg/services/github.go): commit
 * statuses and GitHub deployments on the app repository, as a GitHub App. Pure builders.
 */

/** Key of argocd-notifications-secret holding the GitHub App's PEM private key (`$github-privateKey`). */
export const gitHubPrivateKeySecretKey = "github-privateKey";

/** The `github` service: which App reports, where its API is, and what it sends. */
export interface GitHubFeedbackSettings {
    /** The GitHub App's numeric ID (service option `appID`). */
    appID: number;
    /** The App's installation ID on the owner of the app repositories (`installationID`). */
    installationID: number;
    /**
     * GitHub Enterprise Server's REST root, e.g. `https://ghe.example.com/api/v3` (`enterpriseBaseURL`):
     * go-github's WithEnterpriseURLs and ghinstallation's token URL (`<base>/app/installations/<id>/access_tokens`)
     * both read it. Default: api.github.com.
     */
    enterpriseBaseURL?: string;
    /** Commit statuses `deploy/<env>` on the app commit. Default: `true`. */
    statuses?: boolean;
    /** A GitHub deployment per sync, environment `<env>`. Default: `true`. */
    deployments?: boolean;
    /**
     * Argo CD's public URL, for the status's `target_url` and the deployment status's `log_url`. Default:
     * none (no link: an in-cluster URL means nothing on GitHub).
     */
    linkUrl?: string;
}

/** `service.github`: App ID, installation ID, a reference to the private key, never the key. */
export function gitHubServiceConfig(settings: GitHubFeedbackSettings): string {
    return stringify({
        appID: settings.appID,
        installationID: settings.installationID,
        privateKey: `$${gitHubPrivateKeySecretKey}`,
        ...(settings.enterpriseBaseURL ? { enterpriseBaseURL: settings.enterpriseBaseURL } : {}),
    });
}

/**
 * Go template statements that set `$image` to the first image tagged with a commit SHA: of the last sync's
 * target objects (`operationState.syncResult.resources[].images`), else of the running Pods
 * (`summary.images`, sorted). Every field of a template is parsed on its own, so each one repeats them.
 */
export const commitImageStatements =
    '{{- $image := "" -}}' +
    "{{- with .app.status.operationState }}{{ with .syncResult }}{{ range .resources }}{{ range .images }}" +
    `{{ if and (not $image) (regexMatch "${commitImagePattern}" .) }}{{ $image = . }}{{ end }}` +
    "{{ end }}{{ end }}{{ end }}{{ end -}}" +
    "{{- if not $image }}{{ with .app.status.summary }}{{ range .images }}" +
    `{{ if and (not $image) (regexMatch "${commitImagePattern}" .) }}{{ $image = . }}{{ end }}` +
    "{{ end }}{{ end }}{{ end -}}";

/** `repoURLPath`: the app repository, `owner/repo` = the image name's last two path segments. */
export const appRepoUrlPath =
    `${commitImageStatements}https://github.com/` +
    `{{ regexFind "[^/]+/[^/]+$" (regexReplaceAll "${commitImagePattern}" $image "") }}`;

/** `revisionPath` of a commit status: the app commit SHA, the image's tag. */
export const appCommitRevisionPath = `${commitImageStatements}{{ regexFind "[0-9a-f]{40}$" $image }}`;

/**
 * `revisionPath` of a deployment: the SHA plus the sync's start, a ref no deployment has. notifications-engine
 * reuses the first deployment GitHub lists for `?ref=<revision>&environment=<env>` and creates one only
 * when there is none; with this revision it always creates one, of `reference` (the SHA), so every sync
 * (a rollback to an older SHA too) is a new deployment in the environment's history.
 */
export const deploymentRevisionPath = `${appCommitRevisionPath}@{{ with .app.status.operationState }}{{ .startedAt }}{{ end }}`;

/** Link to the Application in Argo CD, or nothing when Argo CD has no public URL. */
export const argocdLink =
    "{{ with .context.argocdPublicUrl }}{{ . }}/applications/{{ $.app.metadata.namespace }}/{{ $.app.metadata.name }}{{ end }}";

/**
 * A GitHub template as notifications-engine reads it (`GitHubNotification`): `message` (the description),
 * and `github` with `repoURLPath`, `revisionPath` and a `status` (`state`, `label`, `targetURL`) or a
 * `deployment` (`state`, `environment`, `logURL`, `requiredContexts`, `autoMerge`, `transientEnvironment`,
 * `reference`).
 *
 * A deployment asks for no required contexts (the commit's own `deploy/<env>` status would block it), no
 * auto-merge (a rollback's older SHA is behind the default branch), and is not transient: GitHub's
 * deployment status `auto_inactive` (default true; notifications-engine never sends it) then marks the
 * environment's earlier successful deployments inactive. Pure.
 */
export function renderGitHubTemplate(template: GitHubNotificationTemplate): string {
    const github =
        template.kind === "status"
            ? {
                  repoURLPath: appRepoUrlPath,
                  revisionPath: appCommitRevisionPath,
                  status: {
                      state: template.state,
                      label: "deploy/{{ .context.environment }}",
                      targetURL: argocdLink,
                  },
              }
            : {
                  repoURLPath: appRepoUrlPath,
                  revisionPath: deploymentRevisionPath,
                  deployment: {
                      state: template.state,
                      environment: "{{ .context.environment }}",
                      logURL: argocdLink,
                      requiredContexts: [],
                      autoMerge: false,
                      transientEnvironment: false,
                      reference: appCommitRevisionPath,
                  },
              };
    return stringify({ message: template.description, github }, { lineWidth: 0 });
}

/**
 * The default subscription of the `github` service: every team Application (team label set, and not the
 * platform's add-ons). The `github` recipient has no destination: the repository comes from the template.
 */
export function gitHubSubscription(triggers: readonly string[]): Record<string, unknown> {
    return {
        recipients: ["github"],
        triggers: [...triggers],
        selector: `${labelKeys.team},${labelKeys.team}!=platform`,
    };
}

/**
 * The app repository and commit a list of images reports, as the templates derive them: the first image
 * tagged with a commit SHA among the synced images, else among the running ones. Undefined when none is.
 * Pure; mirrors `commitImageStatements`, `appRepoUrlPath` and `appCommitRevisionPath`.
 */
export function appCommitOfImages(
    syncedImages: readonly string[],
    runningImages: readonly string[] = [],
): { repository: string; sha: string } | undefined {
    const pattern = new RegExp(commitImagePattern);
    const image = syncedImages.find((i) => pattern.test(i)) ?? runningImages.find((i) => pattern.test(i));
    if (image === undefined) return undefined;
    const name = image.replace(pattern, "");
    return { repository: /[^/]+\/[^/]+$/.exec(name)?.[0] ?? name, sha: image.slice(-40) };
}
