import * as fs from "node:fs";
import * as path from "node:path";
import type { AddonContext } from "../../../components/addons";
import { defaultMonitoring } from "../../../components/addons";
import { chartDefaults, projectRoot } from "../../harness";

/** ACME and DNS settings for tests: Let's Encrypt production, a dev zone on AWS. */
export const testAcme = {
    email: "platform@example.com",
    server: "https://acme-v02.api.letsencrypt.org/directory",
    issuerName: "letsencrypt",
    ingressClassName: "nginx",
};
export const testDns = {
    provider: "aws",
    domainFilters: ["dev.example.com"],
    policy: "sync" as const,
    txtOwnerId: "acme-dev",
};

/** An add-on context for tests: dev-like, GitOps, with monitoring, ACME and DNS. */
export function addonContext(overrides: Partial<AddonContext> = {}): AddonContext {
    return {
        environment: "dev",
        clusterName: "acme-dev",
        mode: "gitops",
        syncWave: 10,
        namespace: "addon-ns",
        argocdNamespace: "argocd",
        argocdReleaseName: "argocd",
        ingressClassName: "nginx",
        highAvailability: false,
        enabledAddons: [],
        monitoring: { ...defaultMonitoring, enabled: true },
        acme: testAcme,
        dns: testDns,
        ...overrides,
    };
}

/**
 * The chart version a vendored values.yaml comes from. cert-manager's fixture is its source tree's
 * Chart.yaml (version `v0.0.0`, set at release time); its values.yaml names the release it documents
 * ("Feature gates as of vX.Y.Z"), which is then the version.
 */
export function fixtureVersion(chart: string): string {
    const { version } = chartDefaults(chart);
    if (version !== "v0.0.0") return version;
    const values = fs.readFileSync(
        path.join(projectRoot, "test", "fixtures", "charts", chart, "values.yaml"),
        "utf8",
    );
    const marker = /Feature gates as of (v\d+\.\d+\.\d+)/.exec(values);
    if (!marker) throw new Error(`${chart}: unreleased Chart.yaml and no version marker in values.yaml`);
    return marker[1];
}
