import { defaultPromotionOrder, deployKeySecret } from "../conventions";
import { pinnedActions, runnerImage, uses } from "./actions";
import { botIdentity, checkAppLines, pushWithRetryLines, script } from "./shell";
import type { GitOpsWorkflowArgs, Workflow } from "./types";

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
