import { z } from "zod";
import { dnsLabel, duration, exactVersion, hostname, positiveInt } from "./common";

/** A classic Helm chart repository: an http(s) URL serving `index.yaml`. */
export const helmRepositoryUrl = z.url({
    protocol: /^https?$/,
    error: "a Helm repository URL such as https://charts.example.com/argo",
});

/** A Helm chart repository: an http(s) URL, or an OCI registry path `oci://host/path`. */
export const chartRepositoryUrl = z.url({
    protocol: /^(https?|oci)$/,
    error: "a Helm repository URL (https://…) or an OCI registry (oci://…)",
});

const replicasSchema = z.strictObject({
    server: positiveInt,
    repoServer: positiveInt,
    applicationSet: positiveInt,
    /** Application controller replicas; more than one shards clusters across them. */
    controller: positiveInt,
});

/** The Argo CD install: chart, exposure, HA, sizing and SSO. */
export const argocdSchema = z.strictObject({
    namespace: dnsLabel,
    /**
     * `helm`: the platform installs Argo CD from its chart. `external`: Argo CD is already installed
     * (OpenShift GitOps, a managed offering, a plain install.yaml) in `namespace`; the platform only patches
     * its argocd-cm, argocd-rbac-cm, argocd-cmd-params-cm, argocd-notifications-cm and Secrets.
     */
    install: z.enum(["helm", "external"]),
    /** Exact version of the argo-cd Helm chart (`install: helm`). */
    chartVersion: exactVersion,
    /** Helm repository (http(s)) or OCI registry (`oci://…`) of the argo-cd chart, e.g. a mirror. */
    chartRepository: chartRepositoryUrl,
    /** Public hostname of the Argo CD server; enables ingress, TLS and the GitHub webhook. */
    hostname: hostname.optional(),
    ingressClassName: dnsLabel,
    /** cert-manager ClusterIssuer that signs the server certificate. */
    clusterIssuer: dnsLabel.optional(),
    /** Keep the local `admin` account; prod turns it off in favour of SSO groups. */
    adminEnabled: z.boolean(),
    /** Redis HA and multi-replica components. */
    ha: z.boolean(),
    replicas: replicasSchema,
    /** How often Argo CD polls Git; derived from whether a webhook can reach Argo CD when unset. */
    reconciliationTimeout: duration.optional(),
    /** Synced revisions kept per Application and ReplicaSets kept per Deployment. */
    revisionHistoryLimit: z.number().int().min(0).max(100),
    /** Resource request profile for Argo CD's components. */
    size: z.enum(["small", "medium", "large"]),
    /** SSO groups that get `role:admin`. */
    adminGroups: z.array(z.string().min(1)),
    /**
     * IAM role the application controller and server assume through IRSA, to reach EKS workload clusters
     * (`workloadClusters[].connection.eks`, or an EKS kubeconfig). `install: helm` only.
     */
    awsRoleArn: z
        .string()
        .regex(
            /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
            "an IAM role ARN such as arn:aws:iam::123456789012:role/argocd",
        )
        .optional(),
    /** OpenID Connect single sign-on; the client secret is the secret config key `argocdOidcClientSecret`. */
    oidc: z
        .strictObject({
            name: z.string().min(1),
            issuer: z.url({ protocol: /^https$/, error: "an https URL" }),
            clientId: z.string().min(1),
        })
        .optional(),
});
