/**
 * GitHub Actions workflows as plain objects. They are serialised with the `yaml` library (never built as
 * strings), pinned to exact action commits, and linted with actionlint in the tests.
 */

export {
    installKustomizeStep,
    kustomizeVersion,
    pinnedActions,
    runnerImage,
    uses,
    type PinnedAction,
} from "./actions";
export { appCiWorkflow, type AppCiWorkflowArgs } from "./ci";
export { promoteWorkflow } from "./promote";
export { rollbackWorkflow } from "./rollback";
export type { GitOpsWorkflowArgs, Workflow, WorkflowJob, WorkflowStep } from "./types";
export { validateWorkflow } from "./validate";
export { workflowYaml } from "./workflowYaml";
