import * as github from "@pulumi/github";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformOutputs } from "../components/outputs";
import { GitOpsPlatform } from "../components/platform";
import type { LoadedStack } from "./loader";

/**
 * The program: build the platform from a validated stack (see `loadStack`, which registers nothing and
 * throws on any config problem). `index.ts` runs it under `pulumi up`; the offline render under mocks.
 */
export function deployPlatform({ config, secrets }: LoadedStack): pulumi.Output<PlatformOutputs> {
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

    return platform.outputs;
}
