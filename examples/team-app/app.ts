import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GitOpsApplication, platformReference, type SyncSettings } from "gitops-platform/components";

/** The app a team onboards. */
export interface TeamAppArgs {
    /** Platform stack to read, e.g. `acme/gitops-platform/dev`. */
    platformStack: string;
    name: string;
    /** Owning team: its AppProject on the platform. */
    team: string;
    namespace: string;
    /** Kubernetes context of the platform's cluster. Default: the current context. */
    kubeContext?: string;
}

/** Sync settings for the team's own Application: the platform's defaults for automated delivery. */
const teamSync: SyncSettings = {
    automated: true,
    prune: true,
    selfHeal: true,
    retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
    cascadeDelete: false,
};

/**
 * Onboards one app: reads the platform stack, then declares the app's Application in the team's project,
 * following the app's overlay for the platform's environment in the GitOps repository.
 */
export function onboardApp(args: TeamAppArgs) {
    const platform = platformReference(args.platformStack);
    const provider = new k8s.Provider(
        "platform-cluster",
        args.kubeContext ? { context: args.kubeContext } : {},
    );
    const project = platform.projects.apply((projects) => {
        if (!projects.includes(args.team)) {
            throw new Error(
                `team "${args.team}" has no project on ${args.platformStack} (projects: ${projects.join(", ")})`,
            );
        }
        return args.team;
    });
    const application = new GitOpsApplication(
        args.name,
        {
            argoCd: { namespace: platform.argocdNamespace },
            project,
            source: {
                repoURL: platform.gitops.url,
                targetRevision: platform.gitops.branch,
                path: pulumi.interpolate`apps/${args.name}/overlays/${platform.environment}`,
            },
            destination: { namespace: args.namespace },
            sync: teamSync,
        },
        { providers: { kubernetes: provider } },
    );
    return { application, platform };
}
