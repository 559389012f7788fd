import type { AddonDefinition } from "../types";

/** Declares an add-on, keeping its name as a literal type so the catalog knows every add-on name. */
export function defineAddon<const Name extends string>(
    addon: AddonDefinition & { readonly name: Name },
): AddonDefinition & { readonly name: Name } {
    return addon;
}

/** The API group of the Prometheus Operator's CRDs (ServiceMonitor, PrometheusRule, …). */
export const prometheusOperatorGroup = "monitoring.coreos.com";

/** One replica, or two with a disruption budget in highly available environments. */
export function replicasFor(highAvailability: boolean, ha = 2): number {
    return highAvailability ? ha : 1;
}
