import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgoCdRef } from "../common/argocdRef";
import { applicationFinalizers, type SyncSettings } from "./syncPolicy";
import { applicationObject, applicationSpec, type ApplicationSettings } from "./application";
import { argoCustomResource, type ArgoObject } from "./customResource";

/** A platform-level Application the root creates, ordered by its sync wave. */
export interface ChildApplication extends Omit<ApplicationSettings, "applicationName"> {
    name: string;
    /** Lower waves sync first, and the root waits for them to be healthy. */
    syncWave: number;
}

export interface AppOfAppsArgs {
    argoCd: ArgoCdRef;
    /** Project of the root and its children, e.g. `platform`. */
    project: string;
    /** Namespace the child Applications live in (Argo CD's). */
    applicationNamespace: string;
    children: ChildApplication[];
    /** Sync settings of the root itself. */
    sync: SyncSettings;
    /** Root Application name. Default: the component name. */
    applicationName?: string;
    /**
     * Where the platform chart (`platformChartFiles`) that renders the children lives: the GitOps
     * repository, its branch, and the chart's path in it (`platformChartPath`).
     */
    chartSource: { repoURL: string; targetRevision: string; path: string };
}

/**
 * The platform chart's values that declare each child Application, with its sync wave (the same shape as
 * the argocd-apps 2.x chart's `applications` map). Pure.
 */
export function childApplicationValues(
    args: Omit<AppOfAppsArgs, "argoCd" | "chartSource">,
): Record<string, unknown> {
    const applications: Record<string, unknown> = {};
    for (const child of [...args.children].sort(
        (a, b) => a.syncWave - b.syncWave || a.name.localeCompare(b.name),
    )) {
        applications[child.name] = {
            namespace: args.applicationNamespace,
            additionalLabels: child.labels ?? {},
            additionalAnnotations: {
                ...child.annotations,
                "argocd.argoproj.io/sync-wave": String(child.syncWave),
            },
            finalizers: applicationFinalizers(child.sync),
            ...applicationSpec(child, `child Application ${child.name}`),
        };
    }
    return { applications };
}

/** The child Applications as full objects, for validation and the render. Pure. */
export function childApplicationObjects(args: Omit<AppOfAppsArgs, "argoCd" | "chartSource">): ArgoObject[] {
    return args.children.map((child) => {
        const object = applicationObject(child.name, child);
        object.metadata.annotations = {
            ...child.annotations,
            "argocd.argoproj.io/sync-wave": String(child.syncWave),
        };
        return object;
    });
}

/**
 * The app-of-apps root: one Application whose children are the platform-level Applications, rendered by
 * the platform chart from the GitOps repository (a Helm source with the children as `valuesObject`), so no
 * chart repository is needed at sync time and Pulumi still decides every child and its sync wave.
 */
export class AppOfApps extends pulumi.ComponentResource {
    public readonly applicationName: pulumi.Output<string>;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: AppOfAppsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:applications:AppOfApps", name, {}, opts);
        const object = applicationObject(args.applicationName ?? name, {
            project: args.project,
            source: {
                repoURL: args.chartSource.repoURL,
                targetRevision: args.chartSource.targetRevision,
                path: args.chartSource.path,
                helmValues: childApplicationValues(args),
            },
            destination: { namespace: args.applicationNamespace },
            sync: args.sync,
        });
        this.resource = argoCustomResource(`${name}-root`, "Application", object, args.argoCd, this);
        this.applicationName = pulumi.output(object.metadata.name);
        this.registerOutputs({ applicationName: this.applicationName });
    }
}
