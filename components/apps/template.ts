/**
 * An app's standard template for one environment: every object a real service runs on, built from its
 * resolved settings, and the platform-owned kustomize Component in the GitOps repository that carries them
 * (`apps/<app>/platform/<env>/`). Pulumi rewrites that directory on every run; the app's base and overlays
 * stay the team's (see docs/apps.md, "Who owns what").
 */

import * as pulumi from "@pulumi/pulumi";
import { Document } from "yaml";
import type { CanaryConfig } from "../addons/rollouts/canary";
import { labelKeys } from "../common/labels";
import { standardWorkload, type KubernetesObject } from "../github/workload";
export { platformComponentPath } from "../github/conventions";
import {
    configMap,
    externalSecret,
    horizontalPodAutoscaler,
    ingress,
    networkPolicy,
    podDisruptionBudget,
    serviceAccount,
    serviceMonitor,
    type AppObject,
    type ObjectIdentity,
} from "./objects";
import type { ResolvedAppSettings } from "./settings";

/** What the template takes from the platform of an environment. */
export interface AppTemplateContext {
    /** Environment, e.g. `prod`. */
    environment: string;
    /** Ingress class of the platform's ingress controller. */
    ingressClassName: string;
    /** cert-manager ClusterIssuer of Ingress certificates; an app with a `host` needs one. Default: none. */
    clusterIssuer?: string;
    /** The platform's ClusterSecretStore and the external-secrets API version it serves. Default: none. */
    secretStore?: { name: string; apiVersion: string };
    /** Whether a Prometheus Operator runs where the apps run, so ServiceMonitors have a reader. */
    serviceMonitors: boolean;
    /** Namespace of the ingress controller, allowed by the default NetworkPolicy. */
    ingressNamespace: string;
    /** Namespace of Prometheus, allowed by the default NetworkPolicy. */
    monitoringNamespace: string;
}

/** One app as the template sees it. */
export interface TemplateApp {
    name: string;
    /** Owning team, as a label. */
    team: string;
    namespace: string;
    /** Container port. Default: 8080. */
    port?: number;
    /** Deliver as an Argo Rollouts canary. Default: a Deployment. */
    canary?: CanaryConfig;
    settings: ResolvedAppSettings;
}

/** The label selector of an app's pods (kx's PodBuilder selects on `app`). */
export function appSelector(app: string): Record<string, string> {
    return { app };
}

/** Name of the Secret an app's ExternalSecret writes. */
export function appSecretName(app: string): string {
    return `${app}-secrets`;
}

/** Name of an app's ConfigMap. */
export function appConfigMapName(app: string): string {
    return `${app}-config`;
}

/** Where an app's ConfigMap is mounted. */
export function appConfigPath(app: string): string {
    return `/etc/${app}`;
}

/**
 * Every object of an app's template, in apply order: ServiceAccount, ConfigMap, ExternalSecret, Service,
 * Deployment or Rollout (and its AnalysisTemplate), HorizontalPodAutoscaler, PodDisruptionBudget,
 * NetworkPolicy, Ingress, ServiceMonitor; each only when the settings ask for it. An Output, because the
 * workload comes from kx. Throws when a setting needs what the platform lacks (an issuer for a host, a
 * ClusterSecretStore for secrets): the stack config reports those first.
 */
export function appTemplateObjects(app: TemplateApp, ctx: AppTemplateContext): pulumi.Output<AppObject[]> {
    const { settings } = app;
    const labels = { "app.kubernetes.io/name": app.name, [labelKeys.team]: app.team };
    const id = (name: string): ObjectIdentity => ({ name, namespace: app.namespace, labels });
    const selector = appSelector(app.name);
    const port = app.port ?? 8080;

    if (settings.host && !ctx.clusterIssuer)
        throw new Error(`app ${app.name}: host ${settings.host} needs a cert-manager ClusterIssuer`);
    const secretNames = Object.keys(settings.secrets);
    if (secretNames.length > 0 && !ctx.secretStore)
        throw new Error(`app ${app.name}: secrets need the platform's ClusterSecretStore (secretStore)`);

    const config =
        Object.keys(settings.config).length > 0
            ? configMap(id(appConfigMapName(app.name)), settings.config)
            : undefined;
    const metricsPort =
        settings.metrics?.port !== undefined && settings.metrics.port !== port
            ? settings.metrics.port
            : undefined;
    const workload = standardWorkload({
        name: app.name,
        team: app.team,
        port,
        replicas: settings.scaling.hpa ? "autoscaled" : settings.scaling.replicas,
        resources: settings.resources,
        env: settings.env,
        ...(secretNames.length > 0 ? { envFromSecret: appSecretName(app.name) } : {}),
        ...(config
            ? {
                  configMap: {
                      name: appConfigMapName(app.name),
                      mountPath: appConfigPath(app.name),
                      checksum: config.checksum,
                  },
              }
            : {}),
        serviceAccountName: app.name,
        ...(settings.topologySpread ? { zoneSpread: settings.topologySpread } : {}),
        ...(metricsPort !== undefined ? { metricsPort } : {}),
        ...(app.canary ? { canary: app.canary, ingress: settings.host !== undefined } : {}),
    });

    return workload.apply((built) => {
        const namespaced = (object: KubernetesObject): AppObject =>
            ({
                ...object,
                metadata: {
                    ...object.metadata,
                    namespace: app.namespace,
                    labels: { ...object.metadata.labels },
                },
            }) as AppObject;
        const objects: AppObject[] = [serviceAccount(id(app.name), settings.serviceAccountAnnotations)];
        if (config) objects.push(config.object);
        if (secretNames.length > 0 && ctx.secretStore) {
            objects.push(
                externalSecret(id(app.name), {
                    apiVersion: ctx.secretStore.apiVersion,
                    storeName: ctx.secretStore.name,
                    targetName: appSecretName(app.name),
                    secrets: settings.secrets,
                }),
            );
        }
        objects.push(namespaced(built.service), namespaced(built.workload));
        if (built.analysisTemplate) objects.push(namespaced(built.analysisTemplate));
        if (settings.scaling.hpa) {
            objects.push(
                horizontalPodAutoscaler(
                    id(app.name),
                    { apiVersion: built.workload.apiVersion, kind: built.workload.kind, name: app.name },
                    settings.scaling.hpa,
                ),
            );
        }
        if (settings.pdb) objects.push(podDisruptionBudget(id(app.name), selector, settings.pdb));
        if (settings.networkPolicy) {
            objects.push(
                networkPolicy(id(app.name), selector, [
                    ctx.ingressNamespace,
                    ctx.monitoringNamespace,
                    ...settings.networkPolicy.allowNamespaces,
                ]),
            );
        }
        if (settings.host && ctx.clusterIssuer) {
            objects.push(
                ingress(id(app.name), {
                    host: settings.host,
                    ingressClassName: ctx.ingressClassName,
                    clusterIssuer: ctx.clusterIssuer,
                    serviceName: app.name,
                }),
            );
        }
        if (settings.metrics && ctx.serviceMonitors) {
            objects.push(
                serviceMonitor(id(app.name), {
                    serviceLabels: { "app.kubernetes.io/name": app.name },
                    port: metricsPort !== undefined ? "metrics" : "http",
                    path: settings.metrics.path,
                }),
            );
        }
        return objects;
    });
}

/** The header of every file of a platform Component. */
export function platformComponentHeader(environment: string): string {
    return (
        `Managed by Pulumi (gitops-platform) from the ${environment} stack's config: the next \`pulumi up\` (or ` +
        "`npm run seed`) rewrites this directory. Change the app's settings in the stack config, or patch these " +
        "objects in your overlay."
    );
}

/** The name of the multi-document manifest file of a platform Component. */
export const platformManifestsFile = "manifests.yaml";

/** `kustomization.yaml` of a platform Component: a kustomize Component that adds the manifests. Pure. */
export function platformComponentKustomization(environment: string): string {
    const document = new Document({
        apiVersion: "kustomize.config.k8s.io/v1alpha1",
        kind: "Component",
        resources: [platformManifestsFile],
    });
    document.commentBefore = ` ${platformComponentHeader(environment)}`;
    return document.toString({ lineWidth: 0 });
}

/** `manifests.yaml` of a platform Component: the objects as one multi-document YAML file. Pure. */
export function platformManifestsYaml(environment: string, objects: readonly AppObject[]): string {
    return objects
        .map((object, index) => {
            const document = new Document(object);
            if (index === 0) {
                document.commentBefore =
                    ` ${platformComponentHeader(environment)}\n` +
                    ` The image "${objects.find((o) => o.kind === "Deployment" || o.kind === "Rollout")?.metadata.name ?? ""}" is a placeholder that each overlay sets with kustomize.`;
            }
            return document.toString({ lineWidth: 0 });
        })
        .join("---\n");
}
