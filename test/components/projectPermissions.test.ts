import { strict as assert } from "node:assert";
import {
    appProjectObject,
    isClusterResourcePermitted,
    namespaceCreationEntries,
} from "../../components/applications";
import { teamClusterResources } from "../../components/platformTeam";
import { validateObject } from "../harness";

const namespace = (name: string) => ({ group: "", kind: "Namespace", name });

// argoproj/argo-cd pkg/apis/application/v1alpha1/app_project_types.go, IsGroupKindNamePermitted (names since
// v3.2, PR #24674); controller/sync.go validateSyncPermissions applies it to the Namespace CreateNamespace creates.
describe("isClusterResourcePermitted (argo-cd app_project_types.go IsGroupKindNamePermitted)", () => {
    it("an empty whitelist permits no cluster-scoped object, the CreateNamespace Namespace included", () => {
        assert.equal(
            isClusterResourcePermitted({ clusterResourceWhitelist: [] }, namespace("payments")),
            false,
        );
        assert.equal(isClusterResourcePermitted({}, namespace("payments")), false);
    });

    it("an entry without a name permits every object of its kind; with a name (a glob), only those", () => {
        assert.ok(
            isClusterResourcePermitted(
                { clusterResourceWhitelist: [{ group: "", kind: "Namespace" }] },
                namespace("kube-system"),
            ),
        );
        const project = { clusterResourceWhitelist: [{ group: "", kind: "Namespace", name: "team-*" }] };
        assert.ok(isClusterResourcePermitted(project, namespace("team-a")));
        assert.ok(!isClusterResourcePermitted(project, namespace("kube-system")));
        assert.ok(
            isClusterResourcePermitted(
                { clusterResourceWhitelist: [{ group: "*", kind: "*" }] },
                namespace("x"),
            ),
        );
    });

    it("the blacklist wins", () => {
        const project = {
            clusterResourceWhitelist: [{ group: "*", kind: "*" }],
            clusterResourceBlacklist: [namespace("kube-system")],
        };
        assert.ok(!isClusterResourcePermitted(project, namespace("kube-system")));
        assert.ok(isClusterResourcePermitted(project, namespace("payments")));
    });

    it("a team on workload clusters may create exactly its own namespaces, and the AppProject validates", async () => {
        const team = {
            name: "storefront",
            group: "acme:storefront",
            namespaces: ["storefront", "storefront-jobs"],
        };
        const clusterResources = teamClusterResources(team, true);
        assert.deepEqual(clusterResources, namespaceCreationEntries(["storefront", "storefront-jobs"]));
        const project = appProjectObject("storefront", {
            sourceRepos: ["git@github.com:acme/gitops.git"],
            namespaces: team.namespaces,
            servers: ["https://eu.k8s.example.com"],
            clusterResources,
        });
        const spec = project.spec as Parameters<typeof isClusterResourcePermitted>[0];
        assert.ok(isClusterResourcePermitted(spec, namespace("storefront-jobs")));
        assert.ok(!isClusterResourcePermitted(spec, namespace("payments")));
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...project }), []);
        // On the hub Pulumi creates the namespaces first: nothing to permit.
        assert.deepEqual(teamClusterResources(team, false), []);
    });
});
