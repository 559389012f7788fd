import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    annotationsAfterReconcile,
    applicationSetObject,
    defaultPreservedAnnotations,
} from "../../../components/applications";
import { notificationTriggerNames, subscriptionAnnotationKeys } from "../../../components/notifications";
import { projectRoot, runPlatform, validateObject, type RecordedResource } from "../../harness";
import { stackConfig } from "../../stacks/fixtures";
import { testSync } from "../fixtures";

/** The subscription annotations docs/notifications.md tells users to set, with their values. */
function documentedSubscriptions(): Record<string, string> {
    const section = fs.readFileSync(path.join(projectRoot, "docs", "notifications.md"), "utf8");
    assert.match(section, /^# Notifications$/m, "docs/notifications.md is the Notifications page");
    const found: Record<string, string> = {};
    for (const match of section.matchAll(
        /(notifications\.argoproj\.io\/subscribe[\w.-]*)\s*[:=]\s*([\w@.;-]+)/g,
    )) {
        found[match[1]] = match[2];
    }
    return found;
}

// The ApplicationSet controller rewrites generated Applications' annotations and keeps only the exact keys of
// spec.preservedFields.annotations plus its defaults (argoproj/argo-cd
// applicationset/controllers/applicationset_controller.go, createOrUpdateInCluster).
describe("notification subscriptions on generated Applications (applicationset_controller.go preservedFields)", () => {
    it("docs/notifications.md documents subscriptions of each form", () => {
        const keys = Object.keys(documentedSubscriptions());
        assert.ok(keys.includes("notifications.argoproj.io/subscribe.on-deployed.slack"), keys.join(", "));
        assert.ok(keys.includes("notifications.argoproj.io/subscribe.on-sync-failed.email"), keys.join(", "));
        assert.ok(keys.includes("notifications.argoproj.io/subscribe.slack"), keys.join(", "));
    });

    it("drops an annotation the ApplicationSet does not preserve, as the controller does", () => {
        const appSet = applicationSetObject("payments-dev", {
            project: "payments",
            environment: "dev",
            repoURL: "git@github.com:acme/gitops.git",
            revision: "main",
            apps: ["checkout"],
            namespace: "payments",
            sync: testSync,
        });
        const live = { "notifications.argoproj.io/subscribe.on-deployed.slack": "releases", "a/b": "c" };
        assert.deepEqual(annotationsAfterReconcile(appSet, {}, live), {});
        assert.deepEqual(
            annotationsAfterReconcile(appSet, {}, { [defaultPreservedAnnotations[0]]: "state" }),
            { [defaultPreservedAnnotations[0]]: "state" },
        );
    });

    it("lists every subscription key of each configured service, exactly", () => {
        const keys = subscriptionAnnotationKeys(["slack", "email"], notificationTriggerNames);
        assert.equal(keys.length, 2 * (notificationTriggerNames.length + 1));
        assert.ok(keys.includes("notifications.argoproj.io/subscribe.slack"));
        assert.ok(keys.includes("notifications.argoproj.io/subscribe.on-sync-status-unknown.email"));
        assert.deepEqual(subscriptionAnnotationKeys([], notificationTriggerNames), []);
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every subscription docs/notifications.md documents survives the reconcile of each team ApplicationSet`, async () => {
            const run = await runPlatform(stack, stackConfig(stack));
            const teamSets = run.resources.filter(
                (r): r is RecordedResource =>
                    r.inputs.kind === "ApplicationSet" &&
                    !(r.inputs.metadata as { name: string }).name.startsWith("addon-"),
            );
            assert.ok(teamSets.length > 0);
            const documented = documentedSubscriptions();
            for (const appSet of teamSets) {
                const object = { kind: "ApplicationSet", ...appSet.inputs } as Parameters<
                    typeof annotationsAfterReconcile
                >[0];
                const generated =
                    (object.spec as { template: { metadata: { annotations?: Record<string, string> } } })
                        .template.metadata.annotations ?? {};
                const after = annotationsAfterReconcile(object, generated, {
                    ...documented,
                    "example.com/unrelated": "x",
                });
                assert.deepEqual(after, { ...generated, ...documented }, appSet.name);
                assert.deepEqual(await validateObject(appSet.inputs), [], appSet.name);
            }
        });
    }
});
