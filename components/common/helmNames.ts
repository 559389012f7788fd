/**
 * Names that Helm charts derive, so that what the platform writes into one object (a Service URL, a
 * Prometheus `job`) names what another chart really creates. Pure.
 */

/** Helm's own limit on release names (helm `pkg/chartutil/validate_name.go`, `maxReleaseNameLen`). */
export const helmReleaseNameMaxLength = 53;

const releaseNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Throws unless `name` is a release name Helm accepts: at most 53 characters of lower-case DNS-1123
 * subdomain (helm `pkg/chartutil/validate_name.go`, `ValidateReleaseName`). Argo CD runs `helm template`
 * with the Application's release name, so a longer one fails the Application's manifest generation.
 */
export function requireHelmReleaseName(name: string, what: string): string {
    if (name.length > helmReleaseNameMaxLength || !releaseNamePattern.test(name)) {
        throw new Error(
            `${what}: expected a Helm release name (lower-case letters, digits, '-' and '.', at most ${helmReleaseNameMaxLength} characters), got "${name}" (${name.length} characters)`,
        );
    }
    return name;
}

/** What a chart's `<chart>.fullname` helper reads. */
export interface ChartFullnameArgs {
    /** `.Release.Name`. */
    release: string;
    /** `.Chart.Name`. */
    chart: string;
    /** `.Values.nameOverride`. Default: none. */
    nameOverride?: string;
    /** `.Values.fullnameOverride`. Default: none. */
    fullnameOverride?: string;
    /** Where the helper truncates: 63 in `helm create`'s scaffold, 26 in kube-prometheus-stack. Default: 63. */
    truncate?: number;
}

/**
 * The `<chart>.fullname` rule of `helm create`'s `_helpers.tpl`, which nearly every chart keeps:
 * `fullnameOverride`, else the release name when it contains the chart's name (or `nameOverride`), else
 * `<release>-<name>`; truncated (`trunc N`) and without a trailing `-` (`trimSuffix "-"`).
 */
export function chartFullname(args: ChartFullnameArgs): string {
    const limit = args.truncate ?? 63;
    const cut = (value: string) => value.slice(0, limit).replace(/-+$/, "");
    if (args.fullnameOverride) return cut(args.fullnameOverride);
    const name = args.nameOverride || args.chart;
    return cut(args.release.includes(name) ? args.release : `${args.release}-${name}`);
}

/** `printf "%s-%s" fullname component | trunc N | trimSuffix "-"`: a chart's per-component name. */
export function componentName(fullname: string, component: string, truncate = 63): string {
    return `${fullname}-${component}`.slice(0, truncate).replace(/-+$/, "");
}
