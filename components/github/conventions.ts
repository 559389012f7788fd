/**
 * Names the GitHub objects, the workflows and the GitOps repository layout agree on. Every workflow the
 * platform commits reads these names, so they live in one place.
 */

/** Organisation Actions variables, declared once for every repository (not one per app). */
export const orgVariables = {
    /** What image names start with, e.g. `ghcr.io` (for workflows of your own; the pipeline has it built in). */
    registry: "PLATFORM_REGISTRY",
    /** `owner/name` of the GitOps repository. */
    gitopsRepository: "PLATFORM_GITOPS_REPOSITORY",
    /** Branch of the GitOps repository Argo CD follows. */
    gitopsBranch: "PLATFORM_GITOPS_BRANCH",
} as const;

/**
 * Actions secret holding an SSH private key with write access to the GitOps repository: in each app repo
 * (that app's CI key) and in each GitHub environment of the GitOps repo (that environment's deploy key).
 */
export const deployKeySecret = "GITOPS_DEPLOY_KEY";

/** Organisation secrets of a `basic` registry (GHCR, ECR and Artifact Registry need none: see registry.ts). */
export const registrySecrets = { username: "REGISTRY_USERNAME", password: "REGISTRY_PASSWORD" } as const;

/** The job of an app's caller file that calls the reusable pipeline; it prefixes the pipeline's check names. */
export const pipelineCallerJob = "pipeline";

/** Required status checks: the job names of the committed workflows. */
export const requiredChecks = {
    /** The reusable pipeline's test job, as GitHub names it when the caller's `pipeline` job calls it. */
    app: `${pipelineCallerJob} / test`,
    /** The reusable pipeline's test job (its own name). */
    pipelineJob: "test",
    /** The `validate` job of the GitOps repo's `validate.yml`. */
    gitops: "validate",
} as const;

/** App ID of GitHub Actions; required checks must come from it, so no other app can fake them. */
export const gitHubActionsAppId = 15368;

/** The environments an image is promoted through, in order. */
export const defaultPromotionOrder = ["dev", "staging", "prod"] as const;

/** Where the workflow files live in a repository. */
export function workflowPath(file: string): string {
    return `.github/workflows/${file}`;
}

/** `apps/<app>/base`: what Argo CD needs before the app's first CI run. */
export function basePath(app: string): string {
    return `apps/${app}/base`;
}

/**
 * `apps/<app>/platform/<env>`: the app's template for an environment, a kustomize Component that Pulumi
 * rewrites on every run and each overlay includes (`components: [../../platform/<env>]`).
 */
export function platformComponentPath(app: string, environment: string): string {
    return `apps/${app}/platform/${environment}`;
}

/**
 * First line of every commit that changes what an environment runs: CI's dev bump, a merged promotion
 * PR (squash-merged with the PR title), so `rollback.yml` can find the last deploy in Git history.
 */
export function deployCommitTitle(app: string, environment: string, tag: string): string {
    return `deploy(${app}): ${environment} ${tag}`;
}

/** Title of the read-only deploy key an environment's Argo CD reads the GitOps repository with. */
export function argoCdKeyTitle(environment: string): string {
    return `argocd-${environment}`;
}

/** Title of the write deploy key an environment's rollback workflow pushes with. */
export function environmentKeyTitle(environment: string): string {
    return `deploy-${environment}`;
}

/** Title of an app's write deploy key: its CI pushes dev image bumps with it. */
export function appKeyTitle(app: string): string {
    return `ci-${app}`;
}

/** Argo CD's GitHub webhook endpoint. */
export function argoCdWebhookUrl(hostname: string): string {
    return `https://${hostname}/api/webhook`;
}

/** The comment at the top of every file Pulumi enforces. */
export const enforcedHeader =
    "Managed by Pulumi (gitops-platform). Do not edit: the next `pulumi up` overwrites changes.";

/** The comment at the top of every seed file. */
export const seedHeader =
    "Seeded once by Pulumi (gitops-platform); from now on Git owns this file and Pulumi never reverts it.";
