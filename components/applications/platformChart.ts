import { stringify } from "yaml";

/**
 * The platform chart: a minimal Helm chart, kept in the GitOps repository itself, that renders the
 * app-of-apps root's child Applications from `.Values.applications`. The root is a Helm source on this
 * path of the GitOps repository, so syncing the platform's own structure needs no chart repository
 * (air-gapped clusters, mirrors): only the Git server Argo CD already reads.
 *
 * Values: `applications` maps each child's name to `{ namespace, additionalLabels, additionalAnnotations,
 * finalizers, project, source | sources, destination, syncPolicy, ignoreDifferences, info,
 * revisionHistoryLimit }`, the same shape as the argocd-apps 2.x chart's `applications` map, which is what
 * `childApplicationValues` builds.
 */

/** Where the chart lives in the GitOps repository. */
export const platformChartPath = "platform/chart";

/** Chart name and version (bump the version when the template changes). */
export const platformChart = { name: "platform-applications", version: "1.0.0" } as const;

/** Keys of an `applications` entry that go to the Application's `spec`, in the template's order. */
export const platformChartSpecKeys = [
    "project",
    "source",
    "sources",
    "destination",
    "syncPolicy",
    "ignoreDifferences",
    "info",
    "revisionHistoryLimit",
] as const;

const managedHeader =
    "Managed by Pulumi (gitops-platform): the app-of-apps root renders its children with this chart. The next `pulumi up` (or `npm run seed`) overwrites changes.";

/** `Chart.yaml`. Pure. */
export function platformChartYaml(): string {
    return (
        `# ${managedHeader}\n` +
        stringify({
            apiVersion: "v2",
            name: platformChart.name,
            description:
                "Renders the platform's child Applications (add-ons, platform manifests) from .Values.applications",
            type: "application",
            version: platformChart.version,
        })
    );
}

/** `values.yaml`: no children unless the root's `valuesObject` declares them. Pure. */
export function platformChartValuesYaml(): string {
    return `# ${managedHeader}\n# name -> Application settings; see templates/applications.yaml.\napplications: {}\n`;
}

/**
 * `templates/applications.yaml`: one Application per entry, in Argo CD's namespace unless the entry names
 * one, with the entry's labels, annotations (sync waves) and finalizers, and the spec keys of
 * `platformChartSpecKeys` copied as they are. Pure.
 */
export function platformChartTemplate(): string {
    const specKeys = platformChartSpecKeys.map((key) => `"${key}"`).join(" ");
    return [
        `{{- /* ${managedHeader} */ -}}`,
        "{{- range $name, $app := .Values.applications }}",
        "---",
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: {{ $name | quote }}",
        "  namespace: {{ $app.namespace | default $.Release.Namespace | quote }}",
        ...(
            ["additionalLabels:labels", "additionalAnnotations:annotations", "finalizers:finalizers"] as const
        )
            .map((pair) => pair.split(":"))
            .flatMap(([value, field]) => [
                `  {{- with $app.${value} }}`,
                `  ${field}:`,
                "    {{- toYaml . | nindent 4 }}",
                "  {{- end }}",
            ]),
        "spec:",
        `  {{- toYaml (pick $app ${specKeys}) | nindent 2 }}`,
        "{{- end }}",
        "",
    ].join("\n");
}

/** The chart's files, by path in the GitOps repository. Pure. */
export function platformChartFiles(): { path: string; content: string }[] {
    return [
        { path: `${platformChartPath}/Chart.yaml`, content: platformChartYaml() },
        { path: `${platformChartPath}/values.yaml`, content: platformChartValuesYaml() },
        { path: `${platformChartPath}/templates/applications.yaml`, content: platformChartTemplate() },
    ];
}
