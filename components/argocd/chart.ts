/** The official Argo CD Helm chart, pinned. Bump it here; the tests check our values against it. */
export const argoCdChart = {
    chart: "argo-cd",
    repository: "https://argoproj.github.io/argo-helm",
    version: "9.6.1",
} as const;
