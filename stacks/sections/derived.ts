import type { z } from "zod";
import { addonCatalog } from "../../components/addons/catalog";
import { addonNamespace } from "../../components/addons/types";
import { addonClusterLabel } from "../../components/clusters/fanOut";
import { formatPath, quote } from "../errors";
import * as names from "../names";

/**
 * Names the config does not write but the platform derives from it, judged before anything registers:
 * every name that becomes one Kubernetes object, one Argo CD object, one Pulumi resource or one GitHub
 * object must be unique across the whole config and must not be a reserved name, and every derived name
 * must meet its own length rule. Each issue names the key the user wrote and the object it would clash on.
 *
 * What is derived (see components/platform.ts, platformTeam.ts, clusters/, github/):
 * - Namespaces: `argocd.namespace`, each enabled add-on's, each team's `namespaces` (or its name).
 * - AppProjects: `platform` (the platform's own) and one per team; Argo CD's `default` is reserved.
 * - Argo CD RBAC roles `role:<team>`; `role:admin` and `role:readonly` are Argo CD's built-in roles
 *   (argo-cd assets/builtin-policy.csv), so a team of that name would hand its group those rights.
 * - ApplicationSets `<team>-<env>` (teams with apps) and `addon-<addon>` (add-ons fanned out).
 * - Applications `platform-root`, `platform-manifests`, `<addon>` (hub add-ons), `<app>-<env>` (apps on
 *   the hub) or `<app>-<cluster>` (apps on each workload cluster), `<addon>-<cluster>` (fan-out).
 * - Argo CD clusters: `in-cluster` (Argo CD's own name for the cluster it runs in), the hub `cluster.name`,
 *   each spoke; the in-cluster server URL is the hub's.
 * - Pulumi resources: the AppProject components `<env>-platform-project` and `<env>-<team>`; the GitOps
 *   repository's team access `…-team-<githubTeam>`.
 * - GitHub: repositories (the GitOps repository, the pipeline repository, one per app: `apps[].repository.name`
 *   or the app name, compared without case), topics `team-<githubTeam>` on app repositories.
 * - Cluster Secret labels: `gitops-platform/*`, `argocd.argoproj.io/*` and `enable_<addon>` are the
 *   platform's own (cluster generators select on them).
 *
 * Values that fail their own format check are skipped here, so one bad value gives one problem.
 * Linear in the size of the config (one map per kind of object).
 */

/** The parts of the validated config the checks read. */
export interface DerivedNamesConfig {
    environment: string;
    cluster: { name: string };
    argocd: { namespace: string; adminGroups: string[] };
    github?: unknown;
    gitops: { repository: string; branch: string; repoURL?: string };
    teams: { name: string; namespaces?: string[]; githubTeam?: string }[];
    apps: { name: string; team: string; namespace?: string; repository?: { name?: string } }[];
    addons: { mode: string } & Record<string, unknown>;
    workloadClusters: {
        name: string;
        server: string;
        labels: Record<string, string>;
        addons: string[];
        workloads: boolean;
    }[];
}

/** The Argo CD destination of the cluster Argo CD runs in (argo-cd `KubernetesInternalAPIServerAddr`). */
export const inClusterServer = "https://kubernetes.default.svc";

/** Name of the platform's own AppProject (components/platformArgs.ts `platformProjectName`). */
const platformProject = "platform";

type Path = (string | number)[];

/** Who already has a name: a reserved owner (no path) or a key of the config. */
interface Owner {
    /** Said after `is`, e.g. `the platform's own project`. */
    what: string;
    path?: Path;
}

/** Claims of names, per kind of object, in the order the config is read. */
class Claims {
    private readonly owners = new Map<string, Owner>();

    constructor(private readonly ctx: z.RefinementCtx) {}

    /** Reserves a name of a kind for the platform, Argo CD or Kubernetes. */
    reserve(kind: string, name: string, what: string): void {
        const key = `${kind}\u0000${name}`;
        if (!this.owners.has(key)) this.owners.set(key, { what });
    }

    /**
     * Claims `name` of `kind` for the key at `path` (whose value is `value`, described as `noun`); reports
     * it if a reserved owner or an earlier key has it.
     */
    claim(kind: string, name: string, at: { path: Path; value: string; noun: string }): void {
        const key = `${kind}\u0000${name}`;
        const owner = this.owners.get(key);
        if (!owner) {
            this.owners.set(key, { what: formatPath(at.path), path: at.path });
            return;
        }
        if (owner.path && formatPath(owner.path) === formatPath(at.path)) return;
        const object = `${kind} ${quote(name)}`;
        this.ctx.addIssue({
            code: "custom",
            path: at.path,
            message: owner.path
                ? `expected ${at.noun} that no other key claims (${object} already comes from ${owner.what}), got ${quote(at.value)}`
                : `expected ${at.noun} other than a reserved name (${object} is ${owner.what}), got ${quote(at.value)}`,
        });
    }
}

/**
 * Reports a derived name that breaks its rule, e.g. `<app>-<cluster>` longer than a DNS label; `fits`
 * says what the name must be, e.g. `a DNS label of at most 63 characters`.
 */
function derivedName(
    ctx: z.RefinementCtx,
    rule: names.NameRule,
    fits: string,
    object: { kind: string; name: string },
    at: { path: Path; value: string; noun: string },
): boolean {
    if (rule.test(object.name)) return true;
    ctx.addIssue({
        code: "custom",
        path: at.path,
        message: `expected ${at.noun} whose ${object.kind} ${quote(object.name)} is ${fits}, got ${quote(at.value)}`,
    });
    return false;
}

/** What a derived Kubernetes or Argo CD name must be. */
const withinLabel = "a DNS label of at most 63 characters";

/** Every derived-name check; see the module comment. */
export function derivedNameIssues(config: DerivedNamesConfig, ctx: z.RefinementCtx): void {
    const claims = new Claims(ctx);
    const env = config.environment;
    const label = names.dns1123Label;

    // Reserved by Kubernetes, Argo CD and the platform itself.
    claims.reserve("Namespace", "default", "Kubernetes' default namespace");
    claims.reserve("Namespace", config.argocd.namespace, "Argo CD's namespace (argocd.namespace)");
    for (const addon of addonCatalog) {
        const settings = config.addons[addon.name] as { enabled?: boolean } | undefined;
        if (settings?.enabled !== true) continue;
        const namespace = addonNamespace(addon, config.argocd.namespace);
        claims.reserve("Namespace", namespace, `the namespace of add-on ${addon.name}`);
        claims.reserve("Application", addon.name, `the Application of add-on ${addon.name}`);
    }
    claims.reserve("AppProject", "default", "Argo CD's built-in project, which allows everything");
    claims.reserve(
        "AppProject",
        platformProject,
        "the platform's own project, for add-ons and platform manifests",
    );
    claims.reserve("Pulumi AppProject", `${env}-platform-project`, "the platform project's resource name");
    claims.reserve("Argo CD RBAC role", "role:admin", "Argo CD's built-in admin role");
    claims.reserve("Argo CD RBAC role", "role:readonly", "Argo CD's built-in read-only role");
    claims.reserve("Application", "platform-root", "the platform's app-of-apps root");
    claims.reserve("Application", "platform-manifests", "the platform's manifests Application");
    claims.reserve("Argo CD cluster", "in-cluster", "Argo CD's name for the cluster it runs in");
    claims.reserve("Argo CD cluster", config.cluster.name, "the hub cluster (cluster.name)");
    if (config.github !== undefined && config.gitops.repoURL === undefined) {
        claims.reserve(
            "GitHub repository",
            config.gitops.repository.toLowerCase(),
            "the GitOps repository (gitops.repository)",
        );
        const pipeline = (config.github as { pipeline?: { repository?: string } }).pipeline?.repository;
        if (pipeline !== undefined) {
            claims.reserve(
                "GitHub repository",
                pipeline.toLowerCase(),
                "the pipeline repository (github.pipeline.repository)",
            );
        }
    }

    argoCdRbacIssues(config, ctx);
    if (!names.gitBranch.test(config.gitops.branch)) {
        ctx.addIssue({
            code: "custom",
            path: ["gitops", "branch"],
            message: `expected ${names.gitBranch.expected}, got ${quote(config.gitops.branch)}`,
        });
    }
    workloadClusterNameIssues(config, ctx, claims);

    const knownTeams = new Set<string>();
    config.teams.forEach((team, t) => {
        if (!label.test(team.name)) return;
        knownTeams.add(team.name);
        const at = { path: ["teams", t, "name"], value: team.name, noun: "a team name" };
        claims.claim("AppProject", team.name, at);
        claims.claim("Pulumi AppProject", `${env}-${team.name}`, at);
        claims.claim("Argo CD RBAC role", `role:${team.name}`, at);
        if (team.namespaces) {
            team.namespaces.forEach((namespace, n) => {
                if (label.test(namespace))
                    claimNamespace(claims, ctx, namespace, {
                        path: ["teams", t, "namespaces", n],
                        value: namespace,
                        noun: "a namespace",
                    });
            });
        } else {
            claimNamespace(claims, ctx, team.name, { ...at, noun: "a team name (its namespace by default)" });
        }
        const hasApps = config.apps.some((app) => app.team === team.name);
        const applicationSet = { kind: "ApplicationSet", name: `${team.name}-${env}` };
        if (hasApps && derivedName(ctx, label, withinLabel, applicationSet, at))
            claims.claim("ApplicationSet", `${team.name}-${env}`, at);
        if (config.github !== undefined) {
            const slug = team.githubTeam ?? team.name;
            const slugAt = team.githubTeam
                ? { path: ["teams", t, "githubTeam"], value: slug, noun: "a GitHub team slug" }
                : { ...at, noun: "a team name (its GitHub team slug by default)" };
            const topic = { kind: "app repository topic", name: `team-${slug}` };
            derivedName(
                ctx,
                names.gitHubTopic,
                "a GitHub topic (at most 50 lowercase letters, digits and '-')",
                topic,
                slugAt,
            );
            claims.claim("GitHub team access to the GitOps repository", slug, slugAt);
        }
    });

    const workloadClusters = config.workloadClusters.filter((cluster) => cluster.workloads);
    config.apps.forEach((app, a) => {
        const team = config.teams.find((candidate) => candidate.name === app.team);
        if (!names.dns1035Label.test(app.name) || !team || !knownTeams.has(team.name)) return;
        const at = { path: ["apps", a, "name"], value: app.name, noun: "an app name" };
        // GitHub names are case-insensitive: Checkout-Service and checkout-service are one repository.
        if (config.github !== undefined) {
            const repository = app.repository?.name;
            claims.claim(
                "GitHub repository",
                (repository ?? app.name).toLowerCase(),
                repository === undefined
                    ? at
                    : {
                          path: ["apps", a, "repository", "name"],
                          value: repository,
                          noun: "a repository name",
                      },
            );
        }
        const suffixes =
            workloadClusters.length > 0 ? workloadClusters.map((cluster) => cluster.name) : [env];
        for (const suffix of suffixes) {
            const application = { kind: "Application", name: `${app.name}-${suffix}` };
            if (derivedName(ctx, label, withinLabel, application, at))
                claims.claim("Application", application.name, at);
        }
        const namespaces = team.namespaces ?? [team.name];
        if (app.namespace !== undefined && label.test(app.namespace) && !namespaces.includes(app.namespace)) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", a, "namespace"],
                message: `expected one of team ${team.name}'s namespaces (${namespaces.join(", ")}), which its AppProject allows, got ${quote(app.namespace)}`,
            });
        }
    });
}

/** A namespace: never `kube-*`, and one claim per name. */
function claimNamespace(
    claims: Claims,
    ctx: z.RefinementCtx,
    namespace: string,
    at: { path: Path; value: string; noun: string },
): void {
    if (namespace.startsWith("kube-")) {
        ctx.addIssue({
            code: "custom",
            path: at.path,
            message: `expected ${at.noun} other than a reserved name (Namespace ${quote(namespace)}: kube-* is reserved for Kubernetes' own namespaces), got ${quote(at.value)}`,
        });
        return;
    }
    claims.claim("Namespace", namespace, at);
}

/** SSO groups bound in Argo CD's policy.csv: `argocd.adminGroups` (teams' groups are checked by their schema). */
function argoCdRbacIssues(config: DerivedNamesConfig, ctx: z.RefinementCtx): void {
    config.argocd.adminGroups.forEach((group, index) => {
        if (!names.rbacSubject.test(group)) {
            ctx.addIssue({
                code: "custom",
                path: ["argocd", "adminGroups", index],
                message: `expected ${names.rbacSubject.expected}, got ${quote(group)}`,
            });
        }
    });
}

/** Label keys on a cluster Secret that the platform or Argo CD sets, and generators select on. */
function platformLabelKey(key: string): boolean {
    return (
        key.startsWith("gitops-platform/") ||
        key.startsWith("argocd.argoproj.io/") ||
        key.startsWith(addonClusterLabel(""))
    );
}

/** Spoke names and servers against Argo CD's in-cluster entry and the hub; labels the platform owns. */
function workloadClusterNameIssues(config: DerivedNamesConfig, ctx: z.RefinementCtx, claims: Claims): void {
    config.workloadClusters.forEach((cluster, c) => {
        const at = { path: ["workloadClusters", c, "name"], value: cluster.name, noun: "a cluster name" };
        if (names.dns1123Label.test(cluster.name)) {
            claims.claim("Argo CD cluster", cluster.name, at);
            for (const addon of cluster.addons) {
                const application = { kind: "Application", name: `${addon}-${cluster.name}` };
                if (derivedName(ctx, names.dns1123Label, withinLabel, application, at))
                    claims.reserve(
                        "Application",
                        application.name,
                        `add-on ${addon} fanned out to ${cluster.name}`,
                    );
                claims.reserve("ApplicationSet", `addon-${addon}`, `the fan-out of add-on ${addon}`);
            }
        }
        if (withoutTrailingSlashes(cluster.server) === inClusterServer) {
            ctx.addIssue({
                code: "custom",
                path: ["workloadClusters", c, "server"],
                message: `expected the URL of another cluster's API server (${inClusterServer} is the hub Argo CD runs in), got ${quote(cluster.server)}`,
            });
        }
        for (const key of Object.keys(cluster.labels)) {
            if (platformLabelKey(key)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["workloadClusters", c, "labels", key],
                    message: `expected a label key the platform does not set itself (gitops-platform/*, argocd.argoproj.io/* and enable_<addon> select clusters for add-ons and apps), got ${quote(key)}`,
                });
            }
        }
    });
}

/** `url` without trailing `/`s; a loop, not `/\/+$/`, which backtracks on a long run of slashes. */
function withoutTrailingSlashes(url: string): string {
    let end = url.length;
    while (end > 0 && url[end - 1] === "/") end--;
    return url.slice(0, end);
}
