import { z } from "zod";
import { addonEnabled, type addonsSchema } from "./addons";
import { quote } from "../errors";
import * as names from "../names";
import { dns1035Label, dnsLabel, duration, positiveInt, rbacSubject, uniqueNames } from "./common";
import { appPipelineSchema, appRepositorySchema } from "./pipeline";
import { appTemplateShape } from "./apps";

/** A cluster-scoped kind, optionally narrowed to object names (a glob; Argo CD 3.2+), e.g. a Namespace by name. */
const clusterResourceSchema = z.strictObject({
    group: z.string(),
    kind: z.string().min(1),
    name: z.string().min(1).optional(),
});

/** A team: its SSO group, namespaces, cluster-scoped kinds and GitHub team. */
export const teamSchema = z.strictObject({
    name: dnsLabel,
    /** SSO group whose members get the team's project role (a line of Argo CD's RBAC policy.csv names it). */
    group: rbacSubject,
    /** Namespaces the team may deploy to; defaults to one namespace named after the team. */
    namespaces: z.array(dnsLabel).min(1).optional(),
    /** Cluster-scoped kinds the team may manage; none by default. */
    clusterResources: z.array(clusterResourceSchema).optional(),
    /** GitHub team slug in `github.owner` (push access, CODEOWNERS); the team name by default. */
    githubTeam: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, "a GitHub team slug (lowercase letters, digits, '-', '_')")
        .optional(),
});

/** An app of a team, delivered as a Deployment or an Argo Rollouts canary. */
export const appSchema = z.strictObject({
    /** Becomes a Service, a Deployment and (named after it unless `repository.name`) a GitHub repository: a DNS-1035 label. */
    name: dns1035Label,
    /** Owning team; must be one of `teams`. */
    team: dnsLabel,
    /** Container port the app listens on. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Namespace the app runs in: one of its team's namespaces; the team's first by default. */
    namespace: dnsLabel.optional(),
    /** Deliver the app as an Argo Rollouts canary (needs the argo-rollouts add-on); a Deployment when unset. */
    canary: z
        .strictObject({
            /** Exactly one of setWeight or pause each; 10% → 30% → 60% with pauses when unset. */
            steps: z
                .array(
                    z.strictObject({
                        setWeight: z.number().int().min(1).max(100).optional(),
                        pause: z.strictObject({ duration: duration.optional() }).optional(),
                    }),
                )
                .min(1)
                .optional(),
            /** Prometheus success-rate analysis; a failure aborts and rolls back. On by default. */
            analysis: z
                .strictObject({
                    enabled: z.boolean().optional(),
                    successRate: z.number().gt(0).max(1).optional(),
                    interval: duration.optional(),
                    failureLimit: z.number().int().min(0).optional(),
                    startingStep: z.number().int().min(0).optional(),
                    prometheusAddress: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
                    /** What is measured; ingress metrics with a host, the app's own otherwise. */
                    source: z.enum(["ingress", "app", "istio"]).optional(),
                    /** A measurement without data; appDefaults.canary.analysis.noData when unset. */
                    noData: z.enum(["fail", "pass", "inconclusive"]).optional(),
                })
                .optional(),
            progressDeadlineSeconds: positiveInt.optional(),
        })
        .optional(),
    /** GitHub mode: the app's repository, e.g. an existing one to adopt (docs/adopting.md). */
    repository: appRepositorySchema.optional(),
    /** GitHub mode: the app's pipeline inputs and pinned version (docs/pipeline.md). */
    pipeline: appPipelineSchema.optional(),
    /** The standard template's settings (replicas or hpa, resources, pdb, …); see docs/apps.md. */
    ...appTemplateShape,
});

type Team = z.infer<typeof teamSchema>;
type App = z.infer<typeof appSchema>;

/** Canaries need argo-rollouts, a Prometheus to analyse, and steps that do one thing each. */
export function canaryIssues(
    config: { apps: App[]; addons: z.infer<typeof addonsSchema> },
    ctx: z.RefinementCtx,
): void {
    config.apps.forEach((app, index) => {
        if (!app.canary) return;
        if (!addonEnabled(config.addons, "argo-rollouts")) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "canary"],
                message:
                    "expected the argo-rollouts add-on to be enabled (addons.argo-rollouts.enabled), got it disabled",
            });
        }
        const analysis = app.canary.analysis;
        if (
            analysis?.enabled !== false &&
            !analysis?.prometheusAddress &&
            !addonEnabled(config.addons, "kube-prometheus-stack")
        ) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "canary", "analysis"],
                message:
                    "expected kube-prometheus-stack to be enabled or analysis.prometheusAddress to be set (the analysis queries Prometheus), got neither",
            });
        }
        (app.canary.steps ?? []).forEach((step, stepIndex) => {
            if ((step.setWeight === undefined) === (step.pause === undefined)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, "canary", "steps", stepIndex],
                    message: "expected exactly one of setWeight or pause",
                });
            }
        });
    });
}

/** Unique team and app names, app names apart from the GitOps repository's, and apps of configured teams. */
export function teamAndAppIssues(
    config: { teams: Team[]; apps: App[]; gitops: { repository: string } },
    ctx: z.RefinementCtx,
): void {
    uniqueNames(config.teams, ["teams"], ctx);
    uniqueNames(config.apps, ["apps"], ctx);
    config.apps.forEach((app, index) => {
        // Each app gets a repository named after it, next to the GitOps repository.
        if (app.name === config.gitops.repository.toLowerCase()) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "name"],
                message: `expected a name other than the GitOps repository's, got ${quote(app.name)}`,
            });
        }
    });
    // A team whose name is itself invalid is reported once, at the team: not again at each of its apps.
    if (config.teams.some((team) => !names.dns1123Label.test(team.name))) return;
    const teams = new Set(config.teams.map((team) => team.name));
    config.apps.forEach((app, index) => {
        if (!teams.has(app.team)) {
            ctx.addIssue({
                code: "custom",
                path: ["apps", index, "team"],
                message: `expected one of the configured teams (${[...teams].join(", ") || "none"}), got ${quote(app.team)}`,
            });
        }
    });
}
