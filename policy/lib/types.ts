/** Pulumi type tokens the pack matches. The pack imports no provider SDK, so it matches by token. */

/** Argo CD custom resources, registered as `k8s.apiextensions.CustomResource`. */
export const argoTypes = {
    application: "kubernetes:argoproj.io/v1alpha1:Application",
    appProject: "kubernetes:argoproj.io/v1alpha1:AppProject",
    applicationSet: "kubernetes:argoproj.io/v1alpha1:ApplicationSet",
} as const;

/** Helm: the Release resource, and the v4 Chart component. */
export const helmTypes = {
    release: "kubernetes:helm.sh/v3:Release",
    chartV4: "kubernetes:helm.sh/v4:Chart",
} as const;

/** Kubernetes objects the pack reads. */
export const k8sTypes = {
    namespace: "kubernetes:core/v1:Namespace",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    pod: "kubernetes:core/v1:Pod",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    customResourceDefinition: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
} as const;

/** Workload kinds whose pod template the workload policies check. */
export const workloadTypes: readonly string[] = [
    k8sTypes.pod,
    k8sTypes.deployment,
    k8sTypes.statefulSet,
    k8sTypes.daemonSet,
    k8sTypes.replicaSet,
    k8sTypes.job,
    k8sTypes.cronJob,
];

/** Long-running workloads: the ones that need probes. */
export const serviceWorkloadTypes: readonly string[] = [
    k8sTypes.pod,
    k8sTypes.deployment,
    k8sTypes.statefulSet,
    k8sTypes.daemonSet,
    k8sTypes.replicaSet,
];

/** @pulumi/github 6.x resources. */
export const githubTypes = {
    repository: "github:index/repository:Repository",
    repositoryRuleset: "github:index/repositoryRuleset:RepositoryRuleset",
    organizationRuleset: "github:index/organizationRuleset:OrganizationRuleset",
    repositoryDeployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
    repositoryWebhook: "github:index/repositoryWebhook:RepositoryWebhook",
    organizationWebhook: "github:index/organizationWebhook:OrganizationWebhook",
    repositoryFile: "github:index/repositoryFile:RepositoryFile",
    repositoryVulnerabilityAlerts: "github:index/repositoryVulnerabilityAlerts:RepositoryVulnerabilityAlerts",
    branchDefault: "github:index/branchDefault:BranchDefault",
} as const;
