import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { base64SecretData } from "./secrets";

/**
 * Server-side apply patches of objects another manager created (the install manifests, an operator) take
 * over the keys they set: the platform's configuration wins over the install's defaults. Removing a patch
 * (e.g. `pulumi destroy`) removes only the keys it set; the object stays, and no finalizer is added.
 */
export const patchForceAnnotation = { "pulumi.com/patchForce": "true" } as const;

/** An existing object, by name, in the namespace of an Argo CD the platform does not install. */
export interface ExistingObject {
    name: pulumi.Input<string>;
    namespace: pulumi.Input<string>;
}

/**
 * Sets keys of an existing ConfigMap (e.g. `argocd-cm`) with server-side apply. Values must be strings, as
 * ConfigMap data is (`argoCdConfigMapData` turns chart values into those).
 */
export function configMapPatch(
    name: string,
    target: ExistingObject,
    data: pulumi.Input<Record<string, pulumi.Input<string>>>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMapPatch {
    return new k8s.core.v1.ConfigMapPatch(
        name,
        { metadata: { ...target, annotations: patchForceAnnotation }, data },
        opts,
    );
}

/**
 * Sets keys of an existing Secret (e.g. `argocd-secret`) with server-side apply, as base64 `data` whose
 * every value is a Pulumi secret (`base64SecretData`).
 */
export function secretPatch(
    name: string,
    target: ExistingObject,
    stringData: Record<string, pulumi.Input<string>>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.SecretPatch {
    return new k8s.core.v1.SecretPatch(
        name,
        { metadata: { ...target, annotations: patchForceAnnotation }, data: base64SecretData(stringData) },
        opts,
    );
}
