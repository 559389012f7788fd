import * as k8s from "@kubernetes/client-node";

/** A Kubernetes object as the API returns it, loosely typed: the steps read what a user would read. */
export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        finalizers?: string[];
        deletionTimestamp?: string;
        [key: string]: unknown;
    };
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
    data?: Record<string, string>;
    [key: string]: unknown;
}

/**
 * Objects from YAML in the form the client sends: @kubernetes/client-node serializes built-in kinds through
 * its typed models, which drop wire names they do not know (a CRD's `x-kubernetes-preserve-unknown-fields`
 * came back unset, and Argo CD's `helm.valuesObject` was then pruned to `{}`); its `loadAllYaml` maps them
 * to the models' names first.
 */
export function loadManifests(yaml: string): KubeObject[] {
    return k8s.loadAllYaml(yaml).filter(Boolean) as KubeObject[];
}

/** The run's API client (@kubernetes/client-node) with the few calls the e2e makes. */
export class Kube {
    private readonly objects: k8s.KubernetesObjectApi;

    constructor(kubeconfigFile: string) {
        const config = new k8s.KubeConfig();
        config.loadFromFile(kubeconfigFile);
        this.objects = k8s.KubernetesObjectApi.makeApiClient(config);
    }

    /** Server-side apply as `manager`, taking over conflicting fields (the e2e's own setup objects only). */
    async apply(object: KubeObject | Record<string, unknown>, manager = "gitops-e2e"): Promise<KubeObject> {
        return (await this.objects.patch(
            object as k8s.KubernetesObject,
            undefined,
            undefined,
            manager,
            true,
            k8s.PatchStrategy.ServerSideApply,
        )) as KubeObject;
    }

    /** A JSON merge patch, as `kubectl patch --type merge` does (a user's manual change). */
    async mergePatch(
        object: KubeObject | Record<string, unknown>,
        manager = "kubectl-edit",
    ): Promise<KubeObject> {
        return (await this.objects.patch(
            object as k8s.KubernetesObject,
            undefined,
            undefined,
            manager,
            undefined,
            k8s.PatchStrategy.MergePatch,
        )) as KubeObject;
    }

    /** The object, or undefined when it does not exist. */
    async get(
        apiVersion: string,
        kind: string,
        name: string,
        namespace?: string,
    ): Promise<KubeObject | undefined> {
        try {
            return (await this.objects.read({
                apiVersion,
                kind,
                metadata: { name, ...(namespace ? { namespace } : {}) },
            })) as KubeObject;
        } catch (error) {
            if ((error as { code?: number }).code === 404) return undefined;
            throw error;
        }
    }

    async list(
        apiVersion: string,
        kind: string,
        namespace?: string,
        labelSelector?: string,
    ): Promise<KubeObject[]> {
        const list = await this.objects.list(
            apiVersion,
            kind,
            namespace,
            undefined,
            undefined,
            undefined,
            undefined,
            labelSelector,
        );
        return list.items as KubeObject[];
    }

    async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
        try {
            await this.objects.delete({
                apiVersion,
                kind,
                metadata: { name, ...(namespace ? { namespace } : {}) },
            });
        } catch (error) {
            if ((error as { code?: number }).code !== 404) throw error;
        }
    }
}

/** The `argoproj.io/v1alpha1` API version of Argo CD's custom resources. */
export const argoApi = "argoproj.io/v1alpha1";
