import { strict as assert } from "node:assert";
import { argocdAppprojectClusterResourcesRestricted as policy } from "../../../policy/policies/argocd-appproject-cluster-resources-restricted";
import { appProject, set } from "../baselines";
import { applies, messages } from "../check";

describe("policy argocd-appproject-cluster-resources-restricted", () => {
    it("passes the compliant baseline (no cluster-scoped kinds), and runs on it", async () => {
        assert.deepEqual(await messages(policy, [appProject()]), []);
        assert.ok(await applies(policy, appProject()));
    });

    it("allows an explicit, unprivileged cluster-scoped kind, and Namespaces by exact name", async () => {
        const project = set(appProject(), "spec.clusterResourceWhitelist", [
            { group: "networking.k8s.io", kind: "IngressClass" },
            { group: "", kind: "Namespace", name: "payments" },
        ]);
        assert.deepEqual(await messages(policy, [project]), []);
    });

    // argo-cd app_project_types.go IsGroupKindNamePermitted: an entry without a name matches every Namespace.
    it("reports Namespaces of any name, or matching a glob, in a team project", async () => {
        for (const entry of [
            { group: "", kind: "Namespace" },
            { group: "", kind: "Namespace", name: "pay*" },
        ]) {
            const found = await messages(policy, [
                set(appProject(), "spec.clusterResourceWhitelist", [entry]),
            ]);
            assert.equal(found.length, 1, JSON.stringify(entry));
            assert.match(found[0], /AppProject payments allows Namespaces/);
        }
    });

    it("reports wildcards in a team project", async () => {
        const project = set(appProject(), "spec.clusterResourceWhitelist", [{ group: "*", kind: "*" }]);
        const found = await messages(policy, [project]);
        assert.equal(found.length, 1);
        assert.match(found[0], /AppProject payments allows every cluster-scoped kind/);
    });

    it("reports privileged kinds in a team project", async () => {
        const project = set(appProject(), "spec.clusterResourceWhitelist", [
            { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
            { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
        ]);
        assert.equal((await messages(policy, [project])).length, 2);
    });

    it("leaves platform projects (the knob) alone", async () => {
        const platform = set(appProject("platform"), "spec.clusterResourceWhitelist", [
            { group: "*", kind: "*" },
        ]);
        assert.deepEqual(await messages(policy, [platform]), []);
        assert.equal((await messages(policy, [platform], { platformProjects: [] })).length, 1);
    });
});
