import { defaultPromotionOrder } from "../conventions";
import { installKustomizeStep, pinnedActions, runnerImage, uses } from "./actions";
import { botIdentity, checkAppLines, script, setImageLines } from "./shell";
import type { GitOpsWorkflowArgs, Workflow } from "./types";

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
