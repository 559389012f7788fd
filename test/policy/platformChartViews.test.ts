import { strict as assert } from "node:assert";
import { platformChartPath, platformChartSpecKeys } from "../../components/applications";
import { applicationViews, defaultAppOfAppsPaths } from "../../policy/lib/argo";
import { argoTypes } from "../../policy/lib/types";

const metricsServer = {
    namespace: "argocd",
    finalizers: ["resources-finalizer.argocd.argoproj.io"],
    project: "default",
    source: {
        repoURL: "https://charts.example.com",
        chart: "metrics-server",
        targetRevision: "*",
    },
    destination: { namespace: "kube-system" },
};

/** A root Application as the platform declares it: a Helm source at the platform chart's Git path. */
function root(path: string, child: Record<string, unknown> = metricsServer): Record<string, unknown> {
    return {
        metadata: { name: "platform-root" },
        spec: {
            project: "platform",
            source: {
                repoURL: "https://git.example.com/acme/gitops.git",
                targetRevision: "main",
                path,
                helm: { valuesObject: { applications: { "metrics-server": child } } },
            },
        },
    };
}

describe("policy views of the platform chart's children", () => {
    it("knows the platform chart's path in the GitOps repository", () => {
        assert.deepEqual(defaultAppOfAppsPaths, [platformChartPath]);
    });

    it("shows every Application policy the children the root renders with the platform chart", () => {
        const views = applicationViews(argoTypes.application, root(platformChartPath));
        assert.deepEqual(
            views.map((view) => view.where),
            ["Application platform-root", "child Application metrics-server of Application platform-root"],
        );
        assert.equal(views[1].spec.project, "default");
        assert.deepEqual(views[1].metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
    });

    it("copies into a child's spec the keys the platform chart copies, and no others", () => {
        const child = Object.fromEntries(platformChartSpecKeys.map((key) => [key, `${key} value`]));
        const [, view] = applicationViews(
            argoTypes.application,
            root(platformChartPath, { ...child, namespace: "argocd", additionalLabels: {} }),
        );
        assert.deepEqual(view.spec, child);
    });

    it("does not read values of a plain Helm chart at another path as children", () => {
        const views = applicationViews(argoTypes.application, root("charts/other"));
        assert.equal(views.length, 1);
    });
});
