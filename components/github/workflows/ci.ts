import {
    deployKeySecret,
    imageNameVariable,
    orgVariables,
    registrySecrets,
    requiredChecks,
} from "../conventions";
import { installKustomizeStep, pinnedActions, runnerImage, uses } from "./actions";
import { botIdentity, pushWithRetryLines, requireVariables, script, setImageLines } from "./shell";
import type { Workflow } from "./types";

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
