import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { alertReceiversSecretKeys, alertReceiversSecretName } from "./alertmanager";

export interface AlertReceiversArgs {
    /** Prometheus' namespace (kube-prometheus-stack's), where Alertmanager runs. */
    namespace: string;
    /** The Slack incoming webhook URL. Default: none (no Slack receiver). */
    slackWebhookUrl?: pulumi.Input<string>;
    /** The SMTP password of the e-mail receiver. Default: none. */
    smtpPassword?: pulumi.Input<string>;
    /** Labels on the Namespace and the Secret. Default: none. */
    labels?: Record<string, string>;
    /** `protect` the namespace (prod), so Pulumi never deletes it. Default: `false`. */
    protect?: boolean;
}

/**
 * The credentials of Alertmanager's receivers on one cluster: the Secret `alertmanager-receivers` that
 * kube-prometheus-stack mounts (`alertmanagerSpec.secrets`) and its configuration reads by file, so no
 * credential is ever in Git or in an Application. Creates Prometheus' namespace too, since the Secret must
 * exist before Alertmanager starts; the namespace is retained on delete (the add-on's objects live there).
 * Pass the cluster's provider through `opts.provider(s)`.
 */
export class AlertReceivers extends pulumi.ComponentResource {
    public readonly secret: k8s.core.v1.Secret;

    constructor(name: string, args: AlertReceiversArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:monitoring:AlertReceivers", name, {}, opts);
        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: args.namespace, labels: args.labels } },
            { parent: this, retainOnDelete: true, protect: args.protect ?? false },
        );
        const data: Record<string, pulumi.Input<string>> = {};
        if (args.slackWebhookUrl !== undefined)
            data[alertReceiversSecretKeys.slackWebhookUrl] = args.slackWebhookUrl;
        if (args.smtpPassword !== undefined) data[alertReceiversSecretKeys.smtpPassword] = args.smtpPassword;
        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: { name: alertReceiversSecretName, namespace: args.namespace, labels: args.labels },
                type: "Opaque",
                stringData: pulumi.secret(data),
            },
            { parent: this, dependsOn: [namespace] },
        );
        this.registerOutputs({});
    }
}
