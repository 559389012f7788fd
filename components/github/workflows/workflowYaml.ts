import { Document, isPair, isScalar, visit } from "yaml";
import { enforcedHeader } from "../conventions";
import { pinnedActions, uses } from "./actions";
import type { CallerWorkflow, Workflow } from "./types";

/**
 * Serialises a workflow: a header comment, then the object as YAML, with each pinned action's version as
 * a comment after its SHA. `reusable` maps the `uses:` of each reusable workflow a caller job may call to
 * the comment that goes after it (e.g. the version a SHA stands for); any other `uses:` must be a pinned action.
 */
export function workflowYaml(
    workflow: Workflow | CallerWorkflow,
    reusable: Record<string, string> = {},
): string {
    const versions = new Map<string, string>([
        ...Object.values(pinnedActions).map((action): [string, string] => [uses(action), action.version]),
        ...Object.entries(reusable),
    ]);
    // No anchors and aliases for objects used twice: older GitHub Enterprise Server and actionlint reject them.
    const document = new Document(workflow, { aliasDuplicateObjects: false });
    document.commentBefore = ` ${enforcedHeader}`;
    visit(document, {
        Pair(_key, pair) {
            if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== "uses" || !isScalar(pair.value))
                return;
            const version = versions.get(String(pair.value.value));
            if (!version)
                throw new Error(`workflow ${workflow.name}: unpinned action ${String(pair.value.value)}`);
            pair.value.comment = ` ${version}`;
        },
    });
    return document.toString({ lineWidth: 0 });
}
