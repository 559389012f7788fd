import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { afterInstall, type ArgoCdRef } from "../common/argocdRef";

/** The Argo CD API group version every Argo CD custom resource uses. */
export const argoApiVersion = "argoproj.io/v1alpha1";

export interface ArgoObject {
    kind: "Application" | "AppProject" | "ApplicationSet";
    metadata: {
        name: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        finalizers?: string[];
    };
    spec: Record<string, unknown>;
}

/** Registers an Argo CD custom resource in Argo CD's namespace, after the install that brings its CRD. */
export function argoCustomResource(
    name: string,
    kind: ArgoObject["kind"],
    object: pulumi.Input<ArgoObject>,
    argoCd: ArgoCdRef,
    parent: pulumi.Resource,
    opts: pulumi.CustomResourceOptions = {},
): k8s.apiextensions.CustomResource {
    const resolved = pulumi.output(object);
    return new k8s.apiextensions.CustomResource(
        name,
        {
            apiVersion: argoApiVersion,
            kind,
            metadata: pulumi
                .all([resolved.metadata, argoCd.namespace])
                .apply(([metadata, namespace]) => ({ ...metadata, namespace })),
            spec: resolved.spec,
        },
        afterInstall(parent, argoCd, opts),
    );
}
