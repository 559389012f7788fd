import { isTemplated } from "./values";

/** An exact semantic version: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`; no ranges, no `*`, no `latest`. */
export const exactVersionPattern = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Why a chart version is not exact, or undefined when it is. */
export function chartVersionProblem(version: unknown): string | undefined {
    if (version === undefined || version === null || version === "") {
        return "no version (Helm installs whatever is newest)";
    }
    if (typeof version !== "string") return `a non-string version ${JSON.stringify(version)}`;
    if (!exactVersionPattern.test(version)) return `version "${version}" is not an exact version`;
    return undefined;
}

/** Characters and words that make a revision float: wildcards, semver ranges, `x` placeholders. */
const floating = /[*^~<>=|!\s]|(^|\.)[xX](\.|$)/;

/** A Git ref name: a branch, a tag, or a commit SHA. */
const refName = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/**
 * Why a Git revision does not pin a branch or tag, or undefined when it does (or is an ApplicationSet
 * placeholder, resolved per generated Application).
 */
export function gitRevisionProblem(revision: unknown): string | undefined {
    if (isTemplated(revision)) return undefined;
    if (revision === undefined || revision === null || revision === "") {
        return "no targetRevision (Argo CD follows HEAD)";
    }
    if (typeof revision !== "string") return `a non-string revision ${JSON.stringify(revision)}`;
    if (revision === "HEAD") return `targetRevision "HEAD" follows whatever the default branch points at`;
    if (floating.test(revision)) return `targetRevision "${revision}" is a wildcard or range`;
    if (!refName.test(revision)) return `targetRevision "${revision}" is not a branch, tag or commit`;
    return undefined;
}

/** Why a Helm chart's targetRevision is not an exact version, or undefined when it is. */
export function helmRevisionProblem(revision: unknown): string | undefined {
    if (isTemplated(revision)) return undefined;
    if (revision === undefined || revision === null || revision === "" || revision === "*") {
        return "no exact chart version in targetRevision (Argo CD installs the newest chart)";
    }
    if (typeof revision !== "string" || !exactVersionPattern.test(revision)) {
        return `chart targetRevision ${JSON.stringify(revision)} is not an exact version`;
    }
    return undefined;
}
