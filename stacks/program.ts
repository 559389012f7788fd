import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GitOpsPlatform } from "../components/platform";
import type { LoadedStack } from "./loader";

/** The stack's exports: what other stacks read through a StackReference. */
export interface PlatformOutputs {
    environment: string;
    argocd: { namespace: pulumi.Output<string>; url: pulumi.Output<string> };
    projects: pulumi.Output<string[]>;
    gitops: { repository: string; url: pulumi.Output<string> };
    cluster: string;
}

/**
 * The program: build the platform from a validated stack (see `loadStack`, which registers nothing and
 * throws on any config problem). `index.ts` runs it under `pulumi up`; the offline render under mocks.
 */
export function deployPlatform({ config, secrets }: LoadedStack): PlatformOutputs {
    const kubernetes = new k8s.Provider(`${config.cluster.name}-k8s`, {
        ...(config.cluster.kubeconfig ? { kubeconfig: config.cluster.kubeconfig } : {}),
        ...(config.cluster.context ? { context: config.cluster.context } : {}),
        enableServerSideApply: true,
    });
    const gitHub = new github.Provider("github", {
        owner: config.github.owner,
        ...(secrets.githubToken ? { token: secrets.githubToken } : {}),
    });

    const platform = new GitOpsPlatform(
        config.environment,
        { ...config, secrets: { oidcClientSecret: secrets.argocdOidcClientSecret } },
        { providers: { kubernetes, github: gitHub } },
    );

    return {
        environment: config.environment,
        argocd: { namespace: platform.argocdNamespace, url: platform.argocdUrl },
        projects: platform.projects,
        gitops: { repository: config.gitops.repository, url: platform.gitopsRepoUrl },
        cluster: config.cluster.name,
    };
}
