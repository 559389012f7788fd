import { strict as assert } from "node:assert";
import { argocdNotificationsDeployFeedbackInProd as policy } from "../../../policy/policies/argocd-notifications-deploy-feedback-in-prod";
import { set, types, type TestResource } from "../baselines";
import { check, messages } from "../check";

/** argocd-notifications-cm as ArgoCdNotifications registers it, with the given service keys. */
function notificationsCm(services: string[], type: string = types.configMap): TestResource {
    return {
        type,
        name: "prod-notifications-cm",
        inputs: {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "argocd-notifications-cm", namespace: "argocd" },
            data: {
                context: "environment: prod\n",
                ...Object.fromEntries(services.map((service) => [`service.${service}`, "x: $y\n"])),
                "trigger.on-sync-failed": "- send: [app-sync-failed]\n",
            },
        },
    };
}

describe("policy argocd-notifications-deploy-feedback-in-prod", () => {
    it("passes notifications that report to GitHub, and a stack that notifies nobody", async () => {
        assert.deepEqual(await messages(policy, [notificationsCm(["slack", "email", "github"])]), []);
        assert.deepEqual(await messages(policy, [notificationsCm([])]), []);
    });

    it("reports notifications without the github service, naming the services and the fix", async () => {
        const report = await check(policy, [notificationsCm(["slack", "email"])]);
        assert.equal(report.violations.length, 1);
        assert.match(report.violations[0].message, /notifies through slack, email but reports no deployment/);
        assert.match(report.violations[0].message, /notificationsGithubPrivateKey/);
        assert.equal(report.violations[0].resource, `${types.configMap}::prod-notifications-cm`);
    });

    it("reads the patch of an existing argocd-notifications-cm (argocd.install: external) too", async () => {
        const patch = notificationsCm(["slack"], "kubernetes:core/v1:ConfigMapPatch");
        assert.equal((await messages(policy, [patch])).length, 1);
    });

    it("ignores other ConfigMaps with service keys", async () => {
        const other = set(notificationsCm(["slack"]), "metadata.name", "web-config");
        assert.deepEqual(await messages(policy, [other]), []);
    });

    it("does not apply outside prod", async () => {
        const report = await check(
            policy,
            [notificationsCm(["slack"])],
            { environment: "staging" },
            "staging",
        );
        assert.deepEqual(report.violations, []);
    });
});
