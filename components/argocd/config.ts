/**
 * Argo CD's configuration as ConfigMap data, built from the same argo-cd chart values the Helm install
 * passes to the chart. An Argo CD the platform does not install (`install: external`) gets exactly what
 * the chart would have written, applied as server-side apply patches to its existing ConfigMaps.
 */

/** The ConfigMaps Argo CD reads its configuration from, with the chart values that fill each. */
export const argoCdConfigMaps = {
    /** General settings (`configs.cm`): URL, admin account, reconciliation, health checks, OIDC. */
    cm: "argocd-cm",
    /** RBAC (`configs.rbac`): `policy.csv`, `policy.default`, `scopes`. */
    rbac: "argocd-rbac-cm",
    /** Component flags (`configs.params`), e.g. `server.insecure`. */
    params: "argocd-cmd-params-cm",
} as const;

export type ArgoCdConfigMapName = (typeof argoCdConfigMaps)[keyof typeof argoCdConfigMaps];

/** Keys of a `configs.*` values map that steer the chart itself and never reach the ConfigMap. */
const chartOnlyKeys = ["create", "annotations"];

/**
 * A scalar as Go's `toString` writes it in the chart's templates: strings as they are, booleans as
 * `true`/`false`, numbers in decimal. Lists and maps are refused: ConfigMap data values are strings, and
 * the chart would write Go's `map[…]` form. Pure.
 */
export function configValueString(key: string, value: unknown): string {
    switch (typeof value) {
        case "string":
            return value;
        case "boolean":
        case "number":
        case "bigint":
            return String(value);
        default:
            throw new Error(
                `Argo CD config ${key}: expected a string, boolean or number (ConfigMap data is text), got ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value}`,
            );
    }
}

function configSection(values: Record<string, unknown>, section: string): Record<string, unknown> {
    const configs = values.configs;
    if (typeof configs !== "object" || configs === null) return {};
    const map = (configs as Record<string, unknown>)[section];
    if (typeof map !== "object" || map === null) return {};
    return Object.fromEntries(Object.entries(map).filter(([key]) => !chartOnlyKeys.includes(key)));
}

/**
 * The data of argocd-cm, argocd-rbac-cm and argocd-cmd-params-cm for the keys the platform sets, as the
 * argo-cd chart writes them from `configs.cm`, `configs.rbac` and `configs.params` (chart templates
 * `argocd-configs/argocd-{cm,rbac-cm,cmd-params-cm}.yaml` and the `argo-cd.config.cm` / `argo-cd.config.params`
 * helpers): `create` and `annotations` dropped, every value through `toString`, and empty values left out
 * of argocd-cm. The chart's own presets (e.g. `url` from `global.domain`, `repo.server`) are not the
 * platform's settings: an existing install keeps its own. Pure.
 */
export function argoCdConfigMapData(
    values: Record<string, unknown>,
): Record<ArgoCdConfigMapName, Record<string, string>> {
    const strings = (section: string, dropEmpty: boolean): Record<string, string> => {
        const data: Record<string, string> = {};
        for (const [key, value] of Object.entries(configSection(values, section))) {
            if (value === undefined) continue;
            const text = configValueString(`configs.${section}.${key}`, value);
            if (dropEmpty && text === "") continue;
            data[key] = text;
        }
        return data;
    };
    return {
        [argoCdConfigMaps.cm]: strings("cm", true),
        [argoCdConfigMaps.rbac]: strings("rbac", false),
        [argoCdConfigMaps.params]: strings("params", false),
    } as Record<ArgoCdConfigMapName, Record<string, string>>;
}

/** How Argo CD gets onto the cluster: installed by the platform from its chart, or already there. */
export type ArgoCdInstallMode = "helm" | "external";
