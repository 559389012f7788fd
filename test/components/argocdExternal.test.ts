import { strict as assert } from "node:assert";
import {
    ArgoCd,
    argoCdChart,
    argoCdConfigMapData,
    configValueString,
    webhookSecretKeys,
    type ArgoCdArgs,
} from "../../components/argocd";
import { argoCdConfigMapData as chartArgoCdCm, record, type RecordedResource } from "../harness";

const k8s = {
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    configMapPatch: "kubernetes:core/v1:ConfigMapPatch",
    secretPatch: "kubernetes:core/v1:SecretPatch",
    secret: "kubernetes:core/v1:Secret",
};

/** The same platform settings for both install modes: SSO, RBAC, HA, a webhook and extra argocd-cm keys. */
const settings: ArgoCdArgs = {
    namespace: "gitops",
    hostname: "argocd.example.com",
    adminEnabled: false,
    ha: true,
    replicas: { server: 2, repoServer: 2, applicationSet: 1, controller: 2 },
    revisionHistoryLimit: 7,
    webhookSecret: "«secret:webhook»",
    webhookProvider: "gitlab",
    oidc: {
        name: "SSO",
        issuer: "https://sso.example.com",
        clientId: "argocd",
        clientSecret: "«secret:oidc»",
    },
    rbac: {
        teams: [{ name: "payments", group: "acme:payments" }],
        adminGroups: ["acme:platform"],
        teamActions: ["get", "sync"],
    },
    extraConfig: { "resource.customizations.health.example.com_Widget": "hs = {}\nreturn hs\n" },
    repositories: [
        {
            url: "https://git.example.com/acme/gitops.git",
            auth: { type: "https", username: "«secret:user»", password: "«secret:password»" },
        },
    ],
};

function patchData(resources: RecordedResource[], configMap: string): Record<string, string> {
    const patch = resources.find(
        (r) => r.type === k8s.configMapPatch && (r.inputs.metadata as { name: string }).name === configMap,
    );
    assert.ok(patch, `no ConfigMapPatch of ${configMap}`);
    return patch.inputs.data as Record<string, string>;
}

function decode(data: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]),
    );
}

describe("ArgoCd, install: external", () => {
    let helm: RecordedResource[];
    let external: RecordedResource[];
    before(async () => {
        helm = (await record(() => new ArgoCd("helm", settings))).resources;
        external = (await record(() => new ArgoCd("ext", { ...settings, install: "external" }))).resources;
    });

    it("installs nothing: no release, no Namespace; the repository Secret is still declared", () => {
        assert.equal(helm.filter((r) => r.type === k8s.release).length, 1, "the Helm mode installs");
        assert.deepEqual(
            external.filter((r) => r.type === k8s.release || r.type === k8s.namespace),
            [],
        );
        const repo = external.filter((r) => r.type === k8s.secret);
        assert.deepEqual(
            repo.map((r) => (r.inputs.metadata as { name: string; namespace: string }).namespace),
            ["gitops"],
        );
        assert.deepEqual(repo[0].secretInputs, ["stringData"]);
    });

    it("patches argocd-cm with exactly what the chart writes from the same values, for every key the platform sets", () => {
        const release = helm.find((r) => r.type === k8s.release)!;
        const values = release.inputs.values as Record<string, unknown>;
        const fromChart = chartArgoCdCm(values);
        const patched = patchData(external, "argocd-cm");
        const platformKeys = Object.keys((values.configs as { cm: Record<string, unknown> }).cm);
        assert.ok(platformKeys.length >= 6, platformKeys.join(", "));
        for (const key of platformKeys) assert.equal(patched[key], fromChart[key], key);
        assert.deepEqual(Object.keys(patched).sort(), [...platformKeys].sort());
        assert.equal(patched["admin.enabled"], "false");
        assert.match(patched["oidc.config"], /clientSecret: \$oidc\.clientSecret/);
    });

    it("patches argocd-rbac-cm and argocd-cmd-params-cm as the chart templates them (toYaml / toString)", () => {
        const values = helm.find((r) => r.type === k8s.release)!.inputs.values as {
            configs: { rbac: Record<string, unknown>; params: Record<string, unknown> };
        };
        // argocd-rbac-cm: `toYaml (omit .Values.configs.rbac "create" "annotations")`: strings stay strings.
        const rbac = Object.fromEntries(
            Object.entries(values.configs.rbac).filter(([key]) => key !== "create" && key !== "annotations"),
        );
        assert.deepEqual(patchData(external, "argocd-rbac-cm"), rbac);
        assert.match(String(rbac["policy.csv"]), /g, acme:platform, role:admin/);
        // argocd-cmd-params-cm: `{{ $key }}: {{ toString $value | toYaml }}`.
        const params = patchData(external, "argocd-cmd-params-cm");
        assert.deepEqual(
            params,
            Object.fromEntries(Object.entries(values.configs.params).map(([k, v]) => [k, String(v)])),
        );
        assert.equal(params["server.insecure"], "true");
        assert.equal(params["controller.sharding.algorithm"], "consistent-hashing");
    });

    it("writes only strings into ConfigMap data, and refuses a list or map value", () => {
        for (const name of ["argocd-cm", "argocd-rbac-cm", "argocd-cmd-params-cm"]) {
            for (const [key, value] of Object.entries(patchData(external, name))) {
                assert.equal(typeof value, "string", `${name} ${key}`);
            }
        }
        assert.equal(configValueString("k", 5), "5");
        assert.throws(
            () => configValueString("configs.cm.x", ["a"]),
            /configs\.cm\.x: expected a string.*got a list/,
        );
        assert.throws(
            () => argoCdConfigMapData({ configs: { params: { nested: { a: 1 } } } }),
            /configs\.params\.nested: expected a string, boolean or number .* got object/,
        );
    });

    it("patches argocd-secret with the webhook secret under the provider's key and the OIDC secret, base64 and secret", () => {
        const helmSecret = helm.find((r) => r.type === k8s.secret && r.name === "helm-secret")!;
        assert.deepEqual(helmSecret.inputs.stringData, {
            [webhookSecretKeys.gitlab]: "«secret:webhook»",
            "oidc.clientSecret": "«secret:oidc»",
        });
        const patch = external.find((r) => r.type === k8s.secretPatch);
        assert.ok(patch);
        assert.deepEqual(patch.inputs.metadata, {
            name: "argocd-secret",
            namespace: "gitops",
            annotations: { "pulumi.com/patchForce": "true" },
        });
        assert.deepEqual(decode(patch.inputs.data as Record<string, string>), helmSecret.inputs.stringData);
        assert.deepEqual(patch.secretInputs, ["data"]);
    });

    it("patches argocd-secret before any ConfigMap, so argocd-server's restart on a new url reads the webhook secret", () => {
        const secretPatch = external.find((r) => r.type === k8s.secretPatch)!;
        const configMapPatches = external.filter((r) => r.type === k8s.configMapPatch);
        assert.ok(configMapPatches.length >= 3);
        for (const patch of configMapPatches) {
            assert.ok(
                patch.opts.dependsOn.includes(`${secretPatch.type}::${secretPatch.name}`),
                `${patch.name} does not wait for ${secretPatch.name}: ${patch.opts.dependsOn.join(", ")}`,
            );
        }
    });

    it("puts no finalizer on anything it patches", () => {
        for (const patch of external.filter((r) => r.type.endsWith("Patch"))) {
            assert.equal(
                (patch.inputs.metadata as { finalizers?: unknown }).finalizers,
                undefined,
                patch.name,
            );
        }
    });
});

describe("ArgoCd chart repository", () => {
    it("takes the argo-cd chart from a mirror, or by reference from an OCI registry", async () => {
        const resources = (
            await record(() => {
                new ArgoCd("mirror", { chartRepository: "https://charts.example.com/argo" });
                new ArgoCd("oci", { chartRepository: "oci://registry.example.com/argoproj/argo-helm/" });
                new ArgoCd("default", {});
            })
        ).resources.filter((r) => r.type === k8s.release);
        const byName = new Map(resources.map((r) => [r.name, r.inputs]));
        assert.equal(byName.get("mirror-release")?.chart, "argo-cd");
        assert.deepEqual(byName.get("mirror-release")?.repositoryOpts, {
            repo: "https://charts.example.com/argo",
        });
        assert.equal(
            byName.get("oci-release")?.chart,
            "oci://registry.example.com/argoproj/argo-helm/argo-cd",
        );
        assert.equal(byName.get("oci-release")?.repositoryOpts, undefined);
        assert.deepEqual(byName.get("default-release")?.repositoryOpts, { repo: argoCdChart.repository });
    });
});
