import * as pulumi from "@pulumi/pulumi";

/**
 * What an Argo CD custom resource needs to know about its Argo CD: the namespace to live in, and the
 * install to wait for (its chart brings the CRDs; for an Argo CD installed by someone else, the platform's
 * configuration patches). An `ArgoCd` component satisfies it; a stack that only
 * reads the platform's outputs passes the namespace alone.
 */
export interface ArgoCdRef {
    namespace: pulumi.Input<string>;
    install?: pulumi.Resource;
}

/**
 * Options for a child of `parent` that must wait for the Argo CD install, and for `extra.dependsOn` when
 * that is a list (a component's own `dependsOn` does not reach its children: pass it on here).
 */
export function afterInstall(
    parent: pulumi.Resource,
    argoCd: ArgoCdRef,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    const dependsOn = Array.isArray(extra.dependsOn)
        ? (extra.dependsOn as pulumi.Input<pulumi.Resource>[])
        : [];
    return { ...extra, parent, dependsOn: [...dependsOn, ...(argoCd.install ? [argoCd.install] : [])] };
}
