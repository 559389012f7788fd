import { deployKeySecret, pipelineCallerJob, requiredChecks } from "../conventions";
import {
    imagePrefix,
    registryCallerSecrets,
    registryLoginSteps,
    registryPermissions,
    type RegistryKind,
    type RegistrySettings,
} from "../registry";
import { installKustomizeStep, pinnedActions, runnerImage, uses } from "./actions";
import { botIdentity, pushWithRetryLines, script, setImageLines } from "./shell";
import type { CallerWorkflow, Workflow } from "./types";

/**
 * The platform's pipeline as a reusable workflow (`on: workflow_call`), committed once to the platform's
 * pipeline repository and called from every app repository by a few-line caller file that pins a version
 * (a tag or a commit SHA). Pull requests run the tests; a push to the app's branch also builds the image for
 * every requested platform, pushes it tagged with the commit SHA, scans it, and bumps the tag in the app's
 * first-environment overlay of the GitOps repository with the app's own deploy key.
 *
 * What differs per platform (the registry and its login, the GitOps repository, the first environment, the
 * defaults below) is built into the workflow; what differs per app is an input.
 */

/** Settings every app gets unless its caller passes an input. */
export interface PipelineDefaults {
    /** Runner labels of every job. Default: `[ubuntu-22.04]`. */
    runsOn: string[];
    /** Image platforms, e.g. `linux/amd64`, `linux/arm64` (QEMU emulates the others). Default: `[linux/amd64]`. */
    platforms: string[];
    /** Dockerfile stage the tests run in; `false`: no test stage. Default: `test`. */
    testTarget: string | false;
    /** The image scan after the push (Trivy): fails the build before anything deploys. */
    scan: {
        enabled: boolean;
        /** Severities that fail the build. Default: `CRITICAL`, `HIGH`. */
        severity: string[];
        /** Ignore vulnerabilities without a fixed version. Default: `true`. */
        ignoreUnfixed: boolean;
    };
}

export const defaultPipelineSettings: PipelineDefaults = {
    runsOn: [runnerImage],
    platforms: ["linux/amd64"],
    testTarget: "test",
    scan: { enabled: true, severity: ["CRITICAL", "HIGH"], ignoreUnfixed: true },
};

export interface PipelineWorkflowArgs {
    registry: RegistrySettings;
    /** `owner/name` of the GitOps repository. */
    gitopsRepository: string;
    /** Branch of the GitOps repository Argo CD follows. */
    gitopsBranch: string;
    /** Environment every build of an app's branch deploys to. Default: `dev`. */
    deployEnvironment?: string;
    /** Default: `defaultPipelineSettings`. */
    defaults?: PipelineDefaults;
}

/** Name of the reusable workflow's file in the pipeline repository. */
export const pipelineWorkflowFile = "build.yml";

/** Name of the caller file the platform commits to each app repository (never one the app already has). */
export const pipelineCallerFile = "gitops-platform.yml";

/** Secret of the caller: newline-separated `id=value` BuildKit secrets (`docker build --secret id=…`). */
export const buildSecretsSecret = "BUILD_SECRETS";

const onPush = "github.event_name == 'push'";
const runsOn = "${{ fromJSON(inputs.runs-on) }}";

/** The reusable workflow. Pure. */
export function pipelineWorkflow(args: PipelineWorkflowArgs): Workflow {
    const defaults = args.defaults ?? defaultPipelineSettings;
    const environment = args.deployEnvironment ?? "dev";
    const registrySecrets = registryCallerSecrets(args.registry.kind);
    const build = {
        context: "${{ inputs.context }}",
        file: "${{ inputs.dockerfile }}",
        "build-args": "${{ inputs.build-args }}",
        secrets: `\${{ secrets.${buildSecretsSecret} }}`,
        "cache-from": "type=gha",
        "cache-to": "type=gha,mode=max",
    };
    const checkout = {
        name: "Check out",
        uses: uses(pinnedActions.checkout),
        with: { "persist-credentials": false },
    };
    return {
        name: "gitops-platform pipeline",
        on: {
            workflow_call: {
                inputs: {
                    app: {
                        description:
                            "App name, as in the platform config: its overlays are apps/<app>/overlays/<env>",
                        required: true,
                        type: "string",
                    },
                    image: {
                        description: `Image name without tag. Default: ${imagePrefix(args.registry)}/<owner>/<repository>, lowercased`,
                        required: false,
                        type: "string",
                        default: "",
                    },
                    "runs-on": {
                        description: "Runner labels of every job, as a JSON list",
                        required: false,
                        type: "string",
                        default: JSON.stringify(defaults.runsOn),
                    },
                    platforms: {
                        description:
                            "Image platforms, comma-separated (QEMU emulates those the runner lacks)",
                        required: false,
                        type: "string",
                        default: defaults.platforms.join(","),
                    },
                    "build-args": {
                        description: "Build arguments, one KEY=value per line",
                        required: false,
                        type: "string",
                        default: "",
                    },
                    "test-commands": {
                        description: "Shell commands run after checkout, before the Dockerfile's test stage",
                        required: false,
                        type: "string",
                        default: "",
                    },
                    "test-target": {
                        description: "Dockerfile stage the tests run in; empty: none",
                        required: false,
                        type: "string",
                        default: defaults.testTarget === false ? "" : defaults.testTarget,
                    },
                    context: {
                        description: "Build context",
                        required: false,
                        type: "string",
                        default: ".",
                    },
                    dockerfile: {
                        description: "Dockerfile path; empty: <context>/Dockerfile",
                        required: false,
                        type: "string",
                        default: "",
                    },
                    scan: {
                        description: "Scan the pushed image; a finding fails the build before it deploys",
                        required: false,
                        type: "boolean",
                        default: defaults.scan.enabled,
                    },
                    "scan-severity": {
                        description: "Severities that fail the scan, comma-separated",
                        required: false,
                        type: "string",
                        default: defaults.scan.severity.join(","),
                    },
                },
                secrets: {
                    [deployKeySecret]: {
                        description: "The app's write deploy key on the GitOps repository",
                        required: true,
                    },
                    [buildSecretsSecret]: {
                        description: "BuildKit secrets, one id=value per line",
                        required: false,
                    },
                    ...Object.fromEntries(
                        registrySecrets.map((secret) => [
                            secret,
                            { description: "Registry credentials (organisation secret)", required: true },
                        ]),
                    ),
                },
                outputs: {
                    image: {
                        description: "The pushed image, tagged with the commit SHA",
                        value: "${{ jobs.build.outputs.image }}",
                    },
                    digest: {
                        description: "The pushed image's digest",
                        value: "${{ jobs.build.outputs.digest }}",
                    },
                },
            },
        },
        permissions: { contents: "read" },
        jobs: {
            [requiredChecks.pipelineJob]: {
                "runs-on": runsOn,
                "timeout-minutes": 30,
                steps: [
                    checkout,
                    {
                        name: "Extra test commands",
                        if: "inputs.test-commands != ''",
                        env: { TEST_COMMANDS: "${{ inputs.test-commands }}" },
                        run: script('bash -euo pipefail -c "${TEST_COMMANDS}"'),
                    },
                    {
                        name: "Set up Docker Buildx",
                        if: "inputs.test-target != ''",
                        uses: uses(pinnedActions.setupBuildx),
                    },
                    {
                        name: "Test (the Dockerfile's test stage)",
                        if: "inputs.test-target != ''",
                        uses: uses(pinnedActions.buildPush),
                        with: { ...build, target: "${{ inputs.test-target }}", push: false },
                    },
                ],
            },
            build: {
                needs: requiredChecks.pipelineJob,
                if: onPush,
                "runs-on": runsOn,
                "timeout-minutes": 45,
                permissions: { contents: "read", ...registryPermissions(args.registry.kind) },
                outputs: {
                    image: "${{ steps.image.outputs.name }}:${{ github.sha }}",
                    digest: "${{ steps.push.outputs.digest }}",
                },
                steps: [
                    checkout,
                    {
                        name: "Image name",
                        id: "image",
                        env: {
                            APP: "${{ inputs.app }}",
                            IMAGE: "${{ inputs.image }}",
                            REGISTRY: imagePrefix(args.registry),
                        },
                        run: script(
                            'if ! [[ "${APP}" =~ ^[a-z]([-a-z0-9]*[a-z0-9])?$ ]]; then',
                            '  echo "::error::app must be a DNS-1035 label such as checkout, got ${APP}"',
                            "  exit 1",
                            "fi",
                            // Registries want lowercase names; GitHub owners may have capitals.
                            'name="${IMAGE:-${REGISTRY}/${GITHUB_REPOSITORY,,}}"',
                            'if [[ "${name}" != "${REGISTRY}/"* ]]; then',
                            '  echo "::error::image ${name} is not in ${REGISTRY}, the registry this pipeline logs in to"',
                            "  exit 1",
                            "fi",
                            'echo "name=${name}" >> "${GITHUB_OUTPUT}"',
                        ),
                    },
                    ...registryLoginSteps(args.registry),
                    {
                        name: "Set up QEMU (platforms other than the runner's)",
                        if: "inputs.platforms != 'linux/amd64'",
                        uses: uses(pinnedActions.setupQemu),
                    },
                    { name: "Set up Docker Buildx", uses: uses(pinnedActions.setupBuildx) },
                    {
                        name: "Build and push the image, tagged with the commit SHA",
                        id: "push",
                        uses: uses(pinnedActions.buildPush),
                        with: {
                            ...build,
                            platforms: "${{ inputs.platforms }}",
                            push: true,
                            tags: "${{ steps.image.outputs.name }}:${{ github.sha }}",
                            // The source label links a GHCR package to its repository (and its access).
                            labels: [
                                "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}",
                                "org.opencontainers.image.revision=${{ github.sha }}",
                            ].join("\n"),
                        },
                    },
                    {
                        name: "Scan the pushed image",
                        if: "inputs.scan",
                        uses: uses(pinnedActions.trivy),
                        with: {
                            "image-ref": "${{ steps.image.outputs.name }}@${{ steps.push.outputs.digest }}",
                            format: "table",
                            "exit-code": "1",
                            "ignore-unfixed": defaults.scan.ignoreUnfixed,
                            severity: "${{ inputs.scan-severity }}",
                        },
                    },
                ],
            },
            [`deploy-${environment}`]: {
                needs: "build",
                if: onPush,
                "runs-on": runsOn,
                "timeout-minutes": 10,
                // One bump at a time per app and environment; queued, never cancelled.
                concurrency: {
                    group: `gitops-\${{ inputs.app }}-${environment}`,
                    "cancel-in-progress": false,
                },
                steps: [
                    {
                        name: "Check out the GitOps repository with this app's deploy key",
                        uses: uses(pinnedActions.checkout),
                        with: {
                            repository: args.gitopsRepository,
                            ref: args.gitopsBranch,
                            "ssh-key": `\${{ secrets.${deployKeySecret} }}`,
                        },
                    },
                    installKustomizeStep(),
                    {
                        name: `Bump the image in apps/<app>/overlays/${environment}`,
                        env: {
                            APP: "${{ inputs.app }}",
                            ENVIRONMENT: environment,
                            IMAGE: "${{ needs.build.outputs.image }}",
                            BRANCH: args.gitopsBranch,
                        },
                        run: script(
                            'if [ ! -f "apps/${APP}/base/kustomization.yaml" ]; then',
                            '  echo "::error::${APP} is not onboarded: apps/${APP}/base/kustomization.yaml does not exist"',
                            "  exit 1",
                            "fi",
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

/** What one app passes to the reusable workflow, beyond the platform's defaults. */
export interface PipelineCallerArgs {
    app: string;
    /** `owner/name/.github/workflows/build.yml@<ref>` of the reusable workflow. */
    workflow: string;
    /** The platform's registry kind: the permissions and secrets its login needs. */
    registryKind: RegistryKind;
    /** Branch that builds and deploys. Default: `main`. */
    branch?: string;
    /** Runner labels. Default: the workflow's. */
    runsOn?: string[];
    /** Image platforms. Default: the workflow's. */
    platforms?: string[];
    /** Build arguments. Default: none. */
    buildArgs?: Record<string, string>;
    /** BuildKit secret id → Actions secret name of the app repository (or organisation). Default: none. */
    buildSecrets?: Record<string, string>;
    /** Shell commands run before the test stage, each a line. Default: none. */
    testCommands?: string[];
    /** Dockerfile stage of the tests; `false`: none. Default: the workflow's. */
    testTarget?: string | false;
    /** Build context. Default: `.`. */
    context?: string;
    /** Dockerfile path. Default: `<context>/Dockerfile`. */
    dockerfile?: string;
    /** Scan the pushed image, with these severities. Default: the workflow's. */
    scan?: { enabled?: boolean; severity?: string[] };
    /** Image name without tag. Default: `<registry>/<owner>/<repository>`. */
    image?: string;
}

/**
 * The caller file of an app repository: on pull requests and pushes to the app's branch, one job (`pipeline`)
 * calls the reusable workflow with the app's inputs, the permissions its registry login needs, and the
 * secrets it reads. The required status check is that job's `test` job: `pipeline / test`. Pure.
 */
export function pipelineCallerWorkflow(args: PipelineCallerArgs): CallerWorkflow {
    const branch = args.branch ?? "main";
    const inputs: Record<string, string | boolean> = { app: args.app };
    if (args.image !== undefined) inputs.image = args.image;
    if (args.runsOn !== undefined) inputs["runs-on"] = JSON.stringify(args.runsOn);
    if (args.platforms !== undefined) inputs.platforms = args.platforms.join(",");
    if (args.buildArgs !== undefined && Object.keys(args.buildArgs).length > 0)
        inputs["build-args"] = lines(Object.entries(args.buildArgs).map(([k, v]) => `${k}=${v}`));
    if (args.testCommands !== undefined && args.testCommands.length > 0)
        inputs["test-commands"] = lines(args.testCommands);
    if (args.testTarget !== undefined)
        inputs["test-target"] = args.testTarget === false ? "" : args.testTarget;
    if (args.context !== undefined) inputs.context = args.context;
    if (args.dockerfile !== undefined) inputs.dockerfile = args.dockerfile;
    if (args.scan?.enabled !== undefined) inputs.scan = args.scan.enabled;
    if (args.scan?.severity !== undefined) inputs["scan-severity"] = args.scan.severity.join(",");

    const secrets: Record<string, string> = { [deployKeySecret]: `\${{ secrets.${deployKeySecret} }}` };
    const buildSecrets = Object.entries(args.buildSecrets ?? {});
    if (buildSecrets.length > 0)
        secrets[buildSecretsSecret] = lines(
            buildSecrets.map(([id, secret]) => `${id}=\${{ secrets.${secret} }}`),
        );
    for (const secret of registryCallerSecrets(args.registryKind))
        secrets[secret] = `\${{ secrets.${secret} }}`;

    return {
        name: "gitops-platform",
        on: {
            pull_request: { branches: [branch] },
            push: { branches: [branch] },
        },
        permissions: { contents: "read" },
        concurrency: {
            group: "gitops-platform-${{ github.ref }}",
            "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
        },
        jobs: {
            [pipelineCallerJob]: {
                uses: args.workflow,
                permissions: { contents: "read", ...registryPermissions(args.registryKind) },
                with: inputs,
                secrets,
            },
        },
    };
}

/** Lines joined for a multi-line input (a YAML block scalar once serialised). */
function lines(values: string[]): string {
    return values.join("\n") + "\n";
}
