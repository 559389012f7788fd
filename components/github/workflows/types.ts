// Shapes of a GitHub Actions workflow file, as the builders in this folder produce them.

export interface WorkflowStep {
    name?: string;
    id?: string;
    if?: string;
    uses?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
    run?: string;
}

export interface WorkflowJob {
    name?: string;
    needs?: string | string[];
    if?: string;
    /** A label, or an expression such as `${{ fromJSON(inputs.runs-on) }}`. */
    "runs-on": string;
    "timeout-minutes": number;
    environment?: string;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    steps: WorkflowStep[];
}

/** A job that calls a reusable workflow (`jobs.<id>.uses`), as the pipeline's caller files do. */
export interface ReusableWorkflowCallJob {
    name?: string;
    /** `owner/repo/.github/workflows/<file>@<ref>`. */
    uses: string;
    permissions: Record<string, string>;
    with?: Record<string, string | number | boolean>;
    secrets?: Record<string, string>;
}

/** A workflow whose jobs call a reusable workflow. */
export interface CallerWorkflow {
    name: string;
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    jobs: Record<string, ReusableWorkflowCallJob>;
}

export interface Workflow {
    name: string;
    "run-name"?: string;
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean | string };
    env?: Record<string, string>;
    jobs: Record<string, WorkflowJob>;
}

export interface GitOpsWorkflowArgs {
    /** Branch Argo CD follows. Default: `main`. */
    branch?: string;
    /** Environments in promotion order. Default: dev, staging, prod. */
    promotionOrder?: readonly string[];
}
