import { Document, isPair, isScalar, visit } from "yaml";
import { enforcedHeader } from "../conventions";
import { pinnedActions, uses } from "./actions";
import type { Workflow } from "./types";

/**
 * Serialises a workflow: a header comment, then the object as YAML, with each pinned action's version as
 * a comment after its SHA.
 */
export function workflowYaml(workflow: Workflow): string {
    const versions = new Map<string, string>(
        Object.values(pinnedActions).map((action) => [uses(action), action.version]),
    );
    const document = new Document(workflow);
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
