import type { AddonDefinition } from "../types";
import { argocdImageUpdater } from "./argocdImageUpdater";
import { argoRollouts } from "./argoRollouts";
import { certManager } from "./certManager";
import { externalDns } from "./externalDns";
import { externalSecrets } from "./externalSecrets";
import { ingressNginx } from "./ingressNginx";
import { kubePrometheusStack } from "./kubePrometheusStack";
import { metricsServer } from "./metricsServer";

export { acmeClusterIssuer } from "./certManager";
export {
    argoCdMonitoringObjects,
    kubePrometheusStackPrometheusUrl,
    platformMonitoringObjects,
} from "./kubePrometheusStack";
export { platformSecretStore } from "./externalSecrets";
export { defineAddon, prometheusOperatorGroup } from "./define";
export {
    argocdImageUpdater,
    argoRollouts,
    certManager,
    externalDns,
    externalSecrets,
    ingressNginx,
    kubePrometheusStack,
    metricsServer,
};

/** Every add-on the platform knows. Adding one: one file in this folder, one line here. */
export const addonCatalog = [
    kubePrometheusStack,
    certManager,
    externalSecrets,
    argoRollouts,
    ingressNginx,
    externalDns,
    metricsServer,
    argocdImageUpdater,
] as const satisfies readonly AddonDefinition[];

/** Name of an add-on in the catalog. */
export type AddonName = (typeof addonCatalog)[number]["name"];

/** Every add-on name, in catalog order. */
export const addonNames: readonly AddonName[] = addonCatalog.map((addon) => addon.name);

/** An add-on of the catalog by name, or undefined. */
export function findAddon(name: string): AddonDefinition | undefined {
    return addonCatalog.find((addon) => addon.name === name);
}
