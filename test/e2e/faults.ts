import * as pulumi from "@pulumi/pulumi";

/**
 * Faults the run can inject on purpose (`GITOPS_E2E_BREAK=<fault>`), to show that the step guarding each
 * one fails when its subject is broken:
 * - `webhook-secret`: the push webhook is signed with a secret Argo CD does not hold → `deploy` fails;
 * - `namespace-permission`: team AppProjects lose the Namespace permission that `CreateNamespace=true`
 *   needs on a spoke (issue 1/5, fault 2) → `platform-synced` fails;
 * - `finalizer`: the application controller is stopped before `destroy`, so the resources finalizer of
 *   the platform's Applications is left without a controller → `destroy` fails within its bound;
 * - `hpa-metrics`: the spoke gets no resource metrics API (as without metrics-server), so the autoscaler
 *   of the app template's app cannot compute replicas → `app-template` fails (Argo CD: HPA Degraded);
 * - `canary-no-data-passes`: the canary's analysis counts no data as success (`noData: pass`) → the
 *   canary completes on an empty Prometheus and `canary-fails-closed` fails.
 */
export const faults = [
    "webhook-secret",
    "namespace-permission",
    "finalizer",
    "hpa-metrics",
    "canary-no-data-passes",
] as const;
export type Fault = (typeof faults)[number];

/** The fault named by GITOPS_E2E_BREAK; throws on a name it does not know. */
export function injectedFault(env: NodeJS.ProcessEnv = process.env): Fault | undefined {
    const name = env.GITOPS_E2E_BREAK;
    if (!name) return undefined;
    if (!(faults as readonly string[]).includes(name)) {
        throw new Error(`GITOPS_E2E_BREAK: expected one of ${faults.join(", ")}, got "${name}"`);
    }
    return name as Fault;
}

/** The `namespace-permission` fault: strips Namespace entries from every AppProject's cluster whitelist. */
export function withoutNamespacePermission(): void {
    pulumi.runtime.registerResourceTransform(({ type, props, opts }) => {
        if (type !== "kubernetes:argoproj.io/v1alpha1:AppProject") return undefined;
        const spec = (props.spec ?? {}) as { clusterResourceWhitelist?: { kind: string }[] };
        const whitelist = (spec.clusterResourceWhitelist ?? []).filter((entry) => entry.kind !== "Namespace");
        return { props: { ...props, spec: { ...spec, clusterResourceWhitelist: whitelist } }, opts };
    });
}
