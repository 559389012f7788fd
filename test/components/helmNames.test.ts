import { strict as assert } from "node:assert";
import { addonReleaseName, kubePrometheusStackPrometheusUrl } from "../../components/addons";
import { chartFullname, componentName, requireHelmReleaseName } from "../../components/common/helmNames";
import { controllerMetricsJob } from "../../components/monitoring";

// The fullname rule of `helm create`'s _helpers.tpl, kept by argo-helm (charts/argo-cd/templates/_common.tpl)
// and prometheus-community (charts/kube-prometheus-stack/templates/_helpers.tpl, cut at 26).
describe("names Helm charts derive", () => {
    it("uses the release name when it contains the chart's name, else <release>-<name>, cut and trimmed", () => {
        assert.equal(
            chartFullname({ release: "kube-prometheus-stack", chart: "kube-prometheus-stack" }),
            "kube-prometheus-stack",
        );
        assert.equal(
            chartFullname({ release: "mon", chart: "kube-prometheus-stack" }),
            "mon-kube-prometheus-stack",
        );
        assert.equal(chartFullname({ release: "x", chart: "c", fullnameOverride: "fixed" }), "fixed");
        // Cut at 26 the name ends in "-", which is trimmed.
        assert.equal(
            chartFullname({
                release: "kube-prometheus-stack-eu-1",
                chart: "kube-prometheus-stack",
                truncate: 22,
            }),
            "kube-prometheus-stack",
        );
        assert.equal(componentName("a".repeat(60), "server"), `${"a".repeat(60)}-se`);
    });

    it("kube-prometheus-stack's Prometheus follows the release name, cut at 26 characters", () => {
        assert.equal(
            kubePrometheusStackPrometheusUrl(),
            "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
        );
        assert.equal(
            kubePrometheusStackPrometheusUrl("kube-prometheus-stack-prod-us"),
            "http://kube-prometheus-stack-prod-prometheus.monitoring.svc:9090",
        );
    });

    it("Argo CD's controller metrics job follows the argo-cd chart's names (argo-helm metrics.yaml, controller fullname cut at 52)", () => {
        assert.equal(controllerMetricsJob("argocd"), "argocd-application-controller-metrics");
        // A release without "argocd" in its name gets the chart's nameOverride appended.
        assert.equal(controllerMetricsJob("gitops"), "gitops-argocd-application-controller-metrics");
    });

    it("refuses a release name Helm refuses (helm pkg/chartutil ValidateReleaseName: 53 characters)", () => {
        assert.equal(requireHelmReleaseName("external-dns", "x"), "external-dns");
        assert.throws(() => requireHelmReleaseName("a".repeat(54), "add-on a"), /at most 53 characters/);
        assert.throws(() => addonReleaseName("Bad_Name"), /expected a Helm release name/);
    });
});
