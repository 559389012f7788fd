/** Shell snippets the workflows' `run:` steps are assembled from. */

/** A shell script from lines; `set -euo pipefail` first, so every failure fails the step. */
export function script(...lines: string[]): string {
    return ["set -euo pipefail", ...lines].join("\n") + "\n";
}

/** Git identity of the commits the workflows make. */
export const botIdentity = [
    'git config user.name "github-actions[bot]"',
    'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
];

/**
 * Shell that points `apps/$APP/overlays/$ENVIRONMENT` at `$IMAGE`, creating the overlay the first time the
 * app is deployed to that environment: the team's `../../base` plus the platform's Component
 * `../../platform/$ENVIRONMENT` (which the environment's `pulumi up` writes; without it the step fails).
 */
export function setImageLines(): string[] {
    return [
        'overlay="apps/${APP}/overlays/${ENVIRONMENT}"',
        'if [ ! -f "${overlay}/kustomization.yaml" ]; then',
        '  if [ ! -f "apps/${APP}/platform/${ENVIRONMENT}/kustomization.yaml" ]; then',
        '    echo "::error::apps/${APP}/platform/${ENVIRONMENT} does not exist: run pulumi up for ${ENVIRONMENT} (or npm run seed) first"',
        "    exit 1",
        "  fi",
        '  mkdir -p "${overlay}"',
        '  (cd "${overlay}" && kustomize create --resources ../../base && kustomize edit add component "../../platform/${ENVIRONMENT}")',
        "fi",
        '(cd "${overlay}" && kustomize edit set image "${APP}=${IMAGE}")',
        'git add "${overlay}"',
    ];
}

/** Shell that pushes HEAD to `$BRANCH`, rebasing and retrying when someone else pushed first. */
export function pushWithRetryLines(what: string): string[] {
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
export function requireVariables(variables: Record<string, string>): string[] {
    return Object.entries(variables).flatMap(([env, variable]) => [
        `if [ -z "\${${env}:-}" ]; then`,
        `  echo "::error::the Actions variable ${variable} is not set (Pulumi declares it for the organisation)"`,
        "  exit 1",
        "fi",
    ]);
}

/** Shell that rejects an app name that is not a DNS label or has no base in the GitOps repo. */
export function checkAppLines(): string[] {
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
