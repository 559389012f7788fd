import { requiredChecks } from "../conventions";
import { installKustomizeStep, pinnedActions, runnerImage, uses } from "./actions";
import { script } from "./shell";
import type { GitOpsWorkflowArgs, Workflow } from "./types";

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
