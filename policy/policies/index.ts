/**
 * Every policy of the pack, as a plain array. No side effects: tests, the offline render and
 * `policy/index.ts` all import this; only `policy/index.ts` constructs the PolicyPack.
 * Adding a policy means adding one file here and one line below (its test, docs/policy.md row, config).
 */
import type { EnforcementLevel } from "@pulumi/policy";
import type { PackPolicy } from "../lib/policy";
import { argocdApplicationAutomatedSync } from "./argocd-application-automated-sync";
import { argocdApplicationDestinationNamespaceSet } from "./argocd-application-destination-namespace-set";
import { argocdApplicationNoCascadeFinalizerInProd } from "./argocd-application-no-cascade-finalizer-in-prod";
import { argocdApplicationProjectNotDefault } from "./argocd-application-project-not-default";
import { argocdApplicationSyncRetryBackoff } from "./argocd-application-sync-retry-backoff";
import { argocdApplicationTargetRevisionPinned } from "./argocd-application-target-revision-pinned";
import { argocdAppprojectClusterResourcesRestricted } from "./argocd-appproject-cluster-resources-restricted";
import { argocdAppprojectNoWildcardsInProd } from "./argocd-appproject-no-wildcards-in-prod";
import { argocdChartPinned } from "./argocd-chart-pinned";
import { argocdClusterRegisteredOnce } from "./argocd-cluster-registered-once";
import { argocdClusterSecretCredentials } from "./argocd-cluster-secret-credentials";
import { argocdEksClusterAwsAuth } from "./argocd-eks-cluster-aws-auth";
import { argocdHaAndAdminDisabledInProd } from "./argocd-ha-and-admin-disabled-in-prod";
import { argocdNotificationsDeployFeedbackInProd } from "./argocd-notifications-deploy-feedback-in-prod";
import { argocdRbacDefaultRoleNotAdmin } from "./argocd-rbac-default-role-not-admin";
import { githubArgocdDeployKeyReadOnly } from "./github-argocd-deploy-key-read-only";
import { githubDefaultBranchRuleset } from "./github-default-branch-ruleset";
import { githubRepositoryPrivateOrInternal } from "./github-repository-private-or-internal";
import { githubRepositoryVulnerabilityAlerts } from "./github-repository-vulnerability-alerts";
import { githubWebhookHttpsWithSecret } from "./github-webhook-https-with-secret";
import { githubWorkflowRegistryOidc } from "./github-workflow-registry-oidc";
import { helmReleaseVersionPinned } from "./helm-release-version-pinned";
import { k8sAppAvailabilityInProd } from "./k8s-app-availability-in-prod";
import { k8sConfigmapNoCredentials } from "./k8s-configmap-no-credentials";
import { k8sGitopsNoPlainSecrets } from "./k8s-gitops-no-plain-secrets";
import { k8sNamespaceTeamAndEnvLabels } from "./k8s-namespace-team-and-env-labels";
import { k8sWorkloadImageTagPinned } from "./k8s-workload-image-tag-pinned";
import { k8sWorkloadProbesSet } from "./k8s-workload-probes-set";
import { k8sWorkloadResourcesSet } from "./k8s-workload-resources-set";
import { prodDataLossProtection } from "./prod-data-loss-protection";

export type { PackPolicy, PackResourcePolicy, PackStackPolicy } from "../lib/policy";

/** Name of the pack, as `pulumi policy publish` registers it. */
export const policyPackName = "gitops-platform";

/** The pack's default level: without a config file, every policy blocks. */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

export const policies: PackPolicy[] = [
    // Argo CD Applications, ApplicationSet templates and app-of-apps children.
    argocdApplicationProjectNotDefault,
    argocdApplicationAutomatedSync,
    argocdApplicationSyncRetryBackoff,
    argocdApplicationTargetRevisionPinned,
    argocdApplicationDestinationNamespaceSet,
    argocdApplicationNoCascadeFinalizerInProd,
    // AppProjects.
    argocdAppprojectNoWildcardsInProd,
    argocdAppprojectClusterResourcesRestricted,
    // The Argo CD install.
    argocdChartPinned,
    argocdHaAndAdminDisabledInProd,
    argocdRbacDefaultRoleNotAdmin,
    argocdNotificationsDeployFeedbackInProd,
    // Hub and spoke: registered clusters.
    argocdClusterSecretCredentials,
    argocdClusterRegisteredOnce,
    argocdEksClusterAwsAuth,
    // Helm.
    helmReleaseVersionPinned,
    // Kubernetes objects.
    k8sNamespaceTeamAndEnvLabels,
    k8sConfigmapNoCredentials,
    k8sWorkloadImageTagPinned,
    k8sWorkloadResourcesSet,
    k8sWorkloadProbesSet,
    k8sAppAvailabilityInProd,
    k8sGitopsNoPlainSecrets,
    // GitHub.
    githubRepositoryPrivateOrInternal,
    githubRepositoryVulnerabilityAlerts,
    githubWebhookHttpsWithSecret,
    githubArgocdDeployKeyReadOnly,
    githubDefaultBranchRuleset,
    githubWorkflowRegistryOidc,
    // Stack-wide guards.
    prodDataLossProtection,
];
