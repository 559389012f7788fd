/**
 * What an AppProject lets a sync write, reproduced from Argo CD so the platform grants exactly what its own
 * Applications need. Pure.
 */

/** A cluster-scoped kind an AppProject lists, optionally narrowed to names (a glob). */
export interface ClusterResourceEntry {
    group: string;
    kind: string;
    /** Glob (`*`, `?`) on the object's name. Default: every object of the kind. */
    name?: string;
}

/** Glob match with `*` (any run of characters) and `?` (one character), anchored at both ends. */
function globMatch(pattern: string, value: string): boolean {
    const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(value);
}

function entryMatches(entry: ClusterResourceEntry, resource: Required<ClusterResourceEntry>): boolean {
    return (
        globMatch(entry.group, resource.group) &&
        globMatch(entry.kind, resource.kind) &&
        (entry.name === undefined || entry.name === "" || globMatch(entry.name, resource.name))
    );
}

/**
 * Whether a project lets a sync write this cluster-scoped object: Argo CD's `IsGroupKindNamePermitted` for
 * cluster-scoped resources (argoproj/argo-cd `pkg/apis/application/v1alpha1/app_project_types.go`, names since
 * v3.2, PR #24674), which `validateSyncPermissions` in `controller/sync.go` applies to every object a sync
 * writes, the Namespace that `CreateNamespace=true` creates included. An empty whitelist permits nothing;
 * an entry without a name permits every object of its group and kind; the blacklist wins.
 */
export function isClusterResourcePermitted(
    project: {
        clusterResourceWhitelist?: ClusterResourceEntry[];
        clusterResourceBlacklist?: ClusterResourceEntry[];
    },
    resource: Required<ClusterResourceEntry>,
): boolean {
    const allowed = (project.clusterResourceWhitelist ?? []).some((entry) => entryMatches(entry, resource));
    const denied = (project.clusterResourceBlacklist ?? []).some((entry) => entryMatches(entry, resource));
    return allowed && !denied;
}

/**
 * Whitelist entries that let a project's Applications create exactly these namespaces and no other: what
 * `CreateNamespace=true` needs on a cluster where the platform does not create them first. Pure.
 */
export function namespaceCreationEntries(namespaces: readonly string[]): ClusterResourceEntry[] {
    return namespaces.map((name) => ({ group: "", kind: "Namespace", name }));
}
