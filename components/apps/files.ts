import * as pulumi from "@pulumi/pulumi";
import { addonCatalog } from "../addons/catalog";
import type { PlatformAddonsConfig } from "../addons/platformConfig";
import { addonNamespace, type SecretStoreSettings } from "../addons/types";
import type { RepositoryFileSpec } from "../github/appSeed";
import type { CanaryConfig } from "../addons/rollouts/canary";
import { platformComponentPath } from "../github/conventions";
import { externalSecretsApiVersion } from "./objects";
import { resolveAppSettings, type AppDefaults, type AppTemplateSettings } from "./settings";
import {
    appTemplateObjects,
    platformComponentKustomization,
    platformManifestsFile,
    platformManifestsYaml,
    type AppTemplateContext,
} from "./template";

/** What the app templates of an environment are built from: a slice of `PlatformArgs`. */
export interface AppFilesArgs {
    environment: string;
    teams: { name: string; namespaces?: string[] }[];
    apps: (AppTemplateSettings & {
        name: string;
        team: string;
        namespace?: string;
        port?: number;
        canary?: CanaryConfig;
    })[];
    /** Per-environment app defaults. Default: the template's own. */
    appDefaults?: AppDefaults;
    argocd: { ingressClassName?: string; clusterIssuer?: string };
    addons?: PlatformAddonsConfig;
    secretStore?: SecretStoreSettings;
    /** Spoke clusters; when some run workloads, apps run there instead of the hub. Default: none. */
    workloadClusters?: { addons?: string[]; workloads?: boolean }[];
}

function enabled(addons: PlatformAddonsConfig | undefined, name: string): boolean {
    return (
        (addons as Record<string, { enabled?: boolean } | undefined> | undefined)?.[name]?.enabled === true
    );
}

function catalogNamespace(name: string): string {
    const addon = addonCatalog.find((entry) => entry.name === name);
    if (!addon) throw new Error(`add-on ${name} is not in the catalog`);
    return addonNamespace(addon, "");
}

/**
 * Whether Prometheus (kube-prometheus-stack) runs where the apps run: on the hub when no spoke runs
 * workloads, otherwise on every spoke that does (each lists it in `addons`). Pure.
 */
export function prometheusWhereAppsRun(args: Pick<AppFilesArgs, "addons" | "workloadClusters">): boolean {
    if (!enabled(args.addons, "kube-prometheus-stack")) return false;
    const spokes = (args.workloadClusters ?? []).filter((cluster) => cluster.workloads ?? true);
    return spokes.every((cluster) => (cluster.addons ?? []).includes("kube-prometheus-stack"));
}

/** The certificate issuer of app Ingresses: the ACME ClusterIssuer the platform creates, or Argo CD's. Pure. */
export function appClusterIssuer(args: Pick<AppFilesArgs, "addons" | "argocd">): string | undefined {
    return args.addons?.acme
        ? (args.addons.acme.issuerName ?? args.argocd.clusterIssuer ?? "letsencrypt")
        : args.argocd.clusterIssuer;
}

/** The template context of an environment. Pure. */
export function appTemplateContext(args: AppFilesArgs): AppTemplateContext {
    const externalSecretsVersion =
        (args.addons as Record<string, { version?: string } | undefined> | undefined)?.["external-secrets"]
            ?.version ?? addonCatalog.find((addon) => addon.name === "external-secrets")!.version;
    const clusterIssuer = appClusterIssuer(args);
    return {
        environment: args.environment,
        ingressClassName: args.argocd.ingressClassName ?? "nginx",
        ...(clusterIssuer ? { clusterIssuer } : {}),
        ...(args.secretStore
            ? {
                  secretStore: {
                      name: args.secretStore.name,
                      apiVersion: externalSecretsApiVersion(externalSecretsVersion),
                  },
              }
            : {}),
        serviceMonitors: prometheusWhereAppsRun(args),
        ingressNamespace: catalogNamespace("ingress-nginx"),
        monitoringNamespace: catalogNamespace("kube-prometheus-stack"),
    };
}

/**
 * The platform-owned files of every app for this environment: `apps/<app>/platform/<env>/kustomization.yaml`
 * (a kustomize Component) and `manifests.yaml` (the app's template objects). Enforced: rewritten on every
 * run, never seeded. Pure apart from the kx-built workload Outputs.
 */
export function appPlatformFiles(args: AppFilesArgs): RepositoryFileSpec[] {
    const ctx = appTemplateContext(args);
    const teams = new Map(args.teams.map((team) => [team.name, team]));
    return args.apps.flatMap((app) => {
        const team = teams.get(app.team);
        const namespace = app.namespace ?? team?.namespaces?.[0] ?? app.team;
        const settings = resolveAppSettings(app, args.appDefaults);
        const canary: CanaryConfig | undefined = app.canary
            ? {
                  ...app.canary,
                  ...(app.canary.analysis?.enabled === false
                      ? {}
                      : { analysis: { ...app.canary.analysis, noData: settings.canaryNoData } }),
              }
            : undefined;
        const objects = appTemplateObjects(
            {
                name: app.name,
                team: app.team,
                namespace,
                port: app.port,
                ...(canary ? { canary } : {}),
                settings,
            },
            ctx,
        );
        const dir = platformComponentPath(app.name, args.environment);
        return [
            {
                path: `${dir}/kustomization.yaml`,
                content: platformComponentKustomization(args.environment),
                seed: false,
            },
            {
                path: `${dir}/${platformManifestsFile}`,
                content: objects.apply((list) =>
                    platformManifestsYaml(args.environment, list),
                ) as pulumi.Output<string>,
                seed: false,
            },
        ];
    });
}

/**
 * What the render summary and `pulumi up` should warn about in the app templates: apps that expose metrics
 * where no Prometheus runs (no ServiceMonitor is written for them). Pure.
 */
export function appTemplateWarnings(
    args: Pick<AppFilesArgs, "apps" | "addons" | "workloadClusters">,
): string[] {
    const unscraped = args.apps.filter((app) => app.metrics).map((app) => app.name);
    if (unscraped.length === 0 || prometheusWhereAppsRun(args)) return [];
    return [
        `apps ${unscraped.join(", ")} expose metrics, but Prometheus (kube-prometheus-stack) does not run everywhere the apps run: they get no ServiceMonitor`,
    ];
}
