import type { PolicyResource } from "@pulumi/policy";
import { githubTypes } from "./types";
import { known, str, unknown } from "./values";

/** A repository the stack declares, by its GitHub name. */
export interface RepositoryView {
    resource: PolicyResource;
    /** The `name` input, or the resource name when unset. */
    name: string;
}

export function repositoriesOf(resources: PolicyResource[]): RepositoryView[] {
    return resources
        .filter((r) => r.type === githubTypes.repository)
        .map((resource) => {
            const name = known(() => str(resource.props.name));
            return { resource, name: name === unknown || name === undefined ? resource.name : name };
        });
}

/**
 * The repository a repository-scoped resource (ruleset, deploy key, vulnerability alerts, default branch)
 * belongs to. Its `repository` input is usually another resource's output, which is unknown during a
 * first preview; then the resource's property dependencies, or its only repository dependency, tell.
 */
export function repositoryOf(resource: PolicyResource, repos: RepositoryView[]): RepositoryView | undefined {
    const fromProperty = (resource.propertyDependencies?.repository ?? [])
        .map((dep) => repos.find((repo) => repo.resource.urn === dep.urn))
        .find((repo) => repo !== undefined);
    if (fromProperty) return fromProperty;
    const value = known(() => str(resource.props.repository));
    if (value !== unknown && value !== undefined) {
        const byName = repos.find((repo) => repo.name === value || value.endsWith(`/${repo.name}`));
        if (byName) return byName;
    }
    const deps = (resource.dependencies ?? [])
        .map((dep) => repos.find((repo) => repo.resource.urn === dep.urn))
        .filter((repo): repo is RepositoryView => repo !== undefined);
    return deps.length === 1 ? deps[0] : undefined;
}

/**
 * `fnmatch`-style matching as GitHub rulesets use it: `*` within a segment, `**` across segments, `?` one
 * character other than `/`. Simulated as a set of pattern positions, one step per character of `value`,
 * never backtracking: O(pattern × value) in the worst case, linear in `value` for a given pattern (a
 * regular expression built from the glob backtracked polynomially on several `*`).
 */
export function globMatches(pattern: string, value: string): boolean {
    // Tokens: a literal character, `?`, `*` (not `/`) or `**` (anything).
    const tokens: string[] = [];
    for (let i = 0; i < pattern.length; i++) {
        if (pattern[i] === "*" && pattern[i + 1] === "*") {
            tokens.push("**");
            i++;
        } else tokens.push(pattern[i]);
    }
    const star = (t: string | undefined) => t === "*" || t === "**";
    // States are token indexes; a star may match nothing, so its successor is reachable too.
    const close = (states: Set<number>): Set<number> => {
        for (const state of [...states].sort((a, b) => a - b)) {
            for (let s = state; s < tokens.length && star(tokens[s]); s++) states.add(s + 1);
        }
        return states;
    };
    let current = close(new Set([0]));
    for (let i = 0; i < value.length; i++) {
        const ch = value[i];
        const next = new Set<number>();
        for (const state of current) {
            const token = tokens[state];
            if (token === undefined) continue;
            if (token === "**" || (token === "*" && ch !== "/")) next.add(state);
            else if ((token === "?" && ch !== "/") || token === ch) next.add(state + 1);
        }
        if (next.size === 0) return false;
        current = close(next);
    }
    return current.has(tokens.length);
}

/** Whether a ruleset's ref pattern list names the default branch `branch`. */
export function refPatternsCover(patterns: string[], branch: string): boolean {
    return patterns.some(
        (pattern) =>
            pattern === "~DEFAULT_BRANCH" ||
            pattern === "~ALL" ||
            globMatches(pattern, `refs/heads/${branch}`) ||
            globMatches(pattern, branch),
    );
}
