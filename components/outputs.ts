/**
 * What a platform stack exports as its single `platform` output, and what other stacks read back
 * through `platformReference()`.
 */
export interface PlatformOutputs {
    /** `dev`, `staging` or `prod`. */
    environment: string;
    argocd: {
        /** Namespace Argo CD runs in: where Applications and AppProjects go. */
        namespace: string;
        /** Public URL of the Argo CD server, or "" without a hostname. */
        url: string;
    };
    /** AppProject names: `platform` and one per team. */
    projects: string[];
    gitops: {
        /** GitOps repository name in the GitHub owner (GitHub mode). */
        repository: string;
        /** URL Argo CD reads from: the GitHub SSH clone URL, or `gitops.repoURL` with your own Git. */
        url: string;
        /** Branch Argo CD follows. */
        branch: string;
        /** GitHub owner (organisation); absent with your own Git. */
        owner?: string;
    };
    /** Clusters this Argo CD deploys to: the one it runs in first. */
    clusters: { name: string; server: string; labels: Record<string, string> }[];
    /**
     * GitHub mode: the reusable pipeline app repositories call, `<workflow>@<ref>`, and the registry kind
     * (the permissions a caller grants). `ref` is absent outside the shared stack unless configured.
     */
    pipeline?: { workflow: string; ref?: string; registryKind: string };
    /** Where notifications go by default. */
    notifications: { slackChannel?: string; emailRecipients?: string[] };
}

/** The name of the stack output that holds `PlatformOutputs`. */
export const platformOutputName = "platform";
