import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import {
    AppProject,
    GitOpsApplication,
    appProjectObject,
    applicationObject,
    applicationSetObject,
    childApplicationValues,
    syncPolicy,
    type SyncSettings,
} from "../../components/applications";
import { record, validateObject } from "../harness";

const devSync: SyncSettings = {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
    cascadeDelete: true,
};
const repoURL = "git@github.com:acme/gitops.git";

describe("syncPolicy", () => {
    it("syncs automatically with prune and selfHeal, retries with backoff, and sets the sync options", () => {
        assert.deepEqual(syncPolicy(devSync), {
            automated: { prune: true, selfHeal: true },
            syncOptions: ["CreateNamespace=true", "ServerSideApply=true", "PruneLast=true"],
            retry: { limit: 5, backoff: { duration: "5s", factor: 2, maxDuration: "3m" } },
        });
    });

    it("retries with the branch's latest revision when retry.refresh is set, so a revert lands mid-retry", () => {
        const retry = syncPolicy({ ...devSync, retry: { ...devSync.retry, refresh: true } }).retry;
        assert.deepEqual(retry, {
            limit: 5,
            backoff: { duration: "5s", factor: 2, maxDuration: "3m" },
            refresh: true,
        });
    });

    it("has no automated block when automation is off", () => {
        assert.equal(syncPolicy({ ...devSync, automated: false }).automated, undefined);
    });
});

describe("applicationObject", () => {
    const args = {
        project: "payments",
        source: { repoURL, targetRevision: "main", path: "apps/checkout/overlays/dev" },
        destination: { namespace: "payments" },
        sync: devSync,
    };

    it("adds the resources finalizer only where deletes cascade", () => {
        assert.deepEqual(applicationObject("a", args).metadata.finalizers, [
            "resources-finalizer.argocd.argoproj.io",
        ]);
        assert.equal(
            applicationObject("a", { ...args, sync: { ...devSync, cascadeDelete: false } }).metadata
                .finalizers,
            undefined,
        );
    });

    it("refuses the default project", () => {
        assert.throws(
            () => applicationObject("a", { ...args, project: "default" }),
            /"default" AppProject allows everything/,
        );
    });

    it("validates against the Argo CD Application schema", async () => {
        const object = applicationObject("checkout-dev", args);
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...object }), []);
        const refreshing = applicationObject("checkout-dev", {
            ...args,
            sync: { ...devSync, retry: { ...devSync.retry, refresh: true } },
        });
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...refreshing }), []);
    });
});

describe("appProjectObject", () => {
    const project = appProjectObject("payments", {
        sourceRepos: [repoURL],
        namespaces: ["payments", "payments-jobs"],
        roles: [
            { name: "developer", description: "team", groups: ["acme:payments"], actions: ["get", "sync"] },
        ],
    });

    it("limits destinations to the team's namespaces and denies cluster-scoped kinds", () => {
        const spec = project.spec as Record<string, unknown>;
        assert.deepEqual(spec.destinations, [
            { server: "https://kubernetes.default.svc", namespace: "payments" },
            { server: "https://kubernetes.default.svc", namespace: "payments-jobs" },
        ]);
        assert.deepEqual(spec.clusterResourceWhitelist, []);
        assert.deepEqual(spec.sourceRepos, [repoURL]);
    });

    it("binds the project role to the team's group", () => {
        const roles = (project.spec as { roles: { groups: string[]; policies: string[] }[] }).roles;
        assert.deepEqual(roles[0].groups, ["acme:payments"]);
        assert.deepEqual(roles[0].policies, [
            "p, proj:payments:developer, applications, get, payments/*, allow",
            "p, proj:payments:developer, applications, sync, payments/*, allow",
        ]);
    });

    it("refuses to be named default", () => {
        assert.throws(
            () => appProjectObject("default", { sourceRepos: [], namespaces: ["x"] }),
            /allow-everything project/,
        );
    });
});

describe("applicationSetObject", () => {
    const appSet = applicationSetObject("payments-dev", {
        project: "payments",
        environment: "dev",
        repoURL,
        revision: "main",
        apps: ["checkout", "ledger"],
        namespace: "payments",
        sync: devSync,
    });

    it("generates from each app's overlay directory for the environment", () => {
        const spec = appSet.spec as {
            generators: { git: { directories: { path: string }[] } }[];
            template: { metadata: { name: string } };
        };
        assert.deepEqual(spec.generators[0].git.directories, [
            { path: "apps/checkout/overlays/dev" },
            { path: "apps/ledger/overlays/dev" },
        ]);
        assert.equal(spec.template.metadata.name, "{{ index .path.segments 1 }}-dev");
    });

    it("is one object however many apps there are", () => {
        const apps = Array.from({ length: 500 }, (_, i) => `app-${i}`);
        const big = applicationSetObject("payments-dev", { ...appSetArgs(), apps });
        assert.equal((big.spec as { generators: unknown[] }).generators.length, 1);
    });

    it("validates against the Argo CD ApplicationSet schema", async () => {
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...appSet }), []);
    });
});

function appSetArgs() {
    return {
        project: "payments",
        environment: "dev",
        repoURL,
        revision: "main",
        apps: [],
        namespace: "payments",
        sync: devSync,
    };
}

describe("childApplicationValues", () => {
    it("orders children by sync wave and annotates each with it", () => {
        const values = childApplicationValues({
            project: "platform",
            applicationNamespace: "argocd",
            sync: devSync,
            children: [
                {
                    name: "late",
                    syncWave: 5,
                    project: "platform",
                    source: { repoURL, targetRevision: "main", path: "x" },
                    destination: { namespace: "x" },
                    sync: devSync,
                },
                {
                    name: "early",
                    syncWave: -1,
                    project: "platform",
                    source: { repoURL, targetRevision: "main", path: "y" },
                    destination: { namespace: "y" },
                    sync: devSync,
                },
            ],
        }) as { applications: Record<string, { additionalAnnotations: Record<string, string> }> };
        assert.deepEqual(Object.keys(values.applications), ["early", "late"]);
        assert.equal(values.applications.early.additionalAnnotations["argocd.argoproj.io/sync-wave"], "-1");
    });
});

describe("Argo CD components", () => {
    it("register their custom resource after the install, in Argo CD's namespace", async () => {
        let install: k8s.helm.v3.Release | undefined;
        const recorder = await record(() => {
            install = new k8s.helm.v3.Release("argocd-test", { chart: "argo-cd", version: "9.6.1" });
            const argoCd = { namespace: "argocd", install };
            new AppProject("team-x", { argoCd, sourceRepos: [repoURL], namespaces: ["x"] });
            new GitOpsApplication("app-x", {
                argoCd,
                project: "team-x",
                source: { repoURL, targetRevision: "main", path: "apps/x" },
                destination: { namespace: "x" },
                sync: devSync,
            });
        });
        for (const [type, name] of [
            ["kubernetes:argoproj.io/v1alpha1:AppProject", "team-x-project"],
            ["kubernetes:argoproj.io/v1alpha1:Application", "app-x-app"],
        ]) {
            const cr = recorder.find(type, name);
            assert.deepEqual(cr.opts.dependsOn, ["kubernetes:helm.sh/v3:Release::argocd-test"]);
            assert.equal((cr.inputs.metadata as { namespace: string }).namespace, "argocd");
            assert.match(String(cr.parent), /^gitops:applications:/);
        }
    });

    it("can be used twice in one stack", async () => {
        const recorder = await record(() => {
            for (const name of ["one", "two"]) {
                new AppProject(name, {
                    argoCd: { namespace: "argocd" },
                    sourceRepos: [repoURL],
                    namespaces: [name],
                });
            }
        });
        assert.equal(recorder.ofType("kubernetes:argoproj.io/v1alpha1:AppProject").length, 2);
    });
});

describe("applicationSetObject across clusters", () => {
    const appSet = applicationSetObject("payments-prod", {
        ...appSetArgs(),
        environment: "prod",
        apps: ["checkout"],
        clusterSelector: { environment: "prod", workloads: "true" },
    });
    const spec = appSet.spec as {
        generators: { matrix: { generators: Record<string, unknown>[] } }[];
        template: { metadata: { name: string }; spec: { destination: { server: string } } };
    };

    it("pairs every labelled cluster with every app overlay", () => {
        const [clusters, git] = spec.generators[0].matrix.generators;
        assert.deepEqual(clusters, {
            clusters: { selector: { matchLabels: { environment: "prod", workloads: "true" } } },
        });
        assert.deepEqual((git as { git: { directories: unknown } }).git.directories, [
            { path: "apps/checkout/overlays/prod" },
        ]);
    });

    it("names each Application after app and cluster, and targets the cluster's server", () => {
        assert.equal(spec.template.metadata.name, "{{ index .path.segments 1 }}-{{ .name }}");
        assert.equal(spec.template.spec.destination.server, "{{ .server }}");
    });

    it("validates against the Argo CD ApplicationSet schema", async () => {
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...appSet }), []);
    });

    it("sends an app of another of the team's namespaces there, so CreateNamespace creates that one", async () => {
        const spread = applicationSetObject("storefront-dev", {
            ...appSetArgs(),
            apps: ["web", "reports", "exports"],
            namespace: "storefront",
            appNamespaces: { reports: "storefront-jobs", exports: "storefront-jobs" },
            clusterSelector: { "gitops-platform/environment": "dev" },
        });
        const spec = spread.spec as {
            generators: {
                matrix: {
                    generators: [
                        unknown,
                        { git: { directories: { path: string }[]; values: { namespace: string } } },
                    ];
                };
            }[];
            template: { spec: { destination: { namespace: string } } };
        };
        assert.deepEqual(
            spec.generators.map(({ matrix }) => [
                matrix.generators[1].git.values.namespace,
                matrix.generators[1].git.directories.map((d) => d.path),
            ]),
            [
                ["storefront", ["apps/web/overlays/dev"]],
                ["storefront-jobs", ["apps/reports/overlays/dev", "apps/exports/overlays/dev"]],
            ],
        );
        assert.equal(spec.template.spec.destination.namespace, "{{ .values.namespace }}");
        assert.deepEqual(await validateObject({ apiVersion: "argoproj.io/v1alpha1", ...spread }), []);
        // One namespace for all: one generator and a literal destination, as before.
        const single = applicationSetObject("payments-dev", {
            ...appSetArgs(),
            apps: ["a"],
            appNamespaces: { a: "payments" },
        });
        assert.equal((single.spec as { generators: unknown[] }).generators.length, 1);
    });
});
