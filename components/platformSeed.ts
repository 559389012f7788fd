import * as pulumi from "@pulumi/pulumi";
import {
    appOverlayFile,
    gitopsApps,
    gitopsRepositoryFiles,
    portableGitopsRepositoryFiles,
    type RepositoryFileSpec,
} from "./github";
import type { PlatformArgs } from "./platformArgs";
import { appPlatformFiles, type AppFilesArgs } from "./apps/files";

/** A file of the GitOps repository with its content resolved. */
export interface SeedFile {
    path: string;
    content: string;
    /** Seeded once, then owned by Git (`true`), or enforced by the platform on every run (`false`). */
    seed: boolean;
}

/**
 * Every file the platform puts into the GitOps repository for this config, from the same builders the
 * GitHub mode commits with: in GitHub mode exactly `gitopsRepositoryFiles` (workflows and CODEOWNERS
 * included); with your own Git `portableGitopsRepositoryFiles` (app bases, `platform/<env>/`, the platform
 * chart, a README); in both, this environment's platform Component of every app (`apps/<app>/platform/<env>/`). `images` (app name to image reference) adds each app's overlay for this environment,
 * as the first deploy of the platform's CI would. Throws on an image for an app the config does not have.
 */
export function platformRepositoryFiles(
    args: Pick<PlatformArgs, "environment" | "github" | "gitops" | "teams" | "apps"> &
        Partial<Pick<AppFilesArgs, "appDefaults" | "argocd" | "addons" | "secretStore" | "workloadClusters">>,
    images: Record<string, string> = {},
): RepositoryFileSpec[] {
    const apps = gitopsApps(args.teams, args.apps);
    const files = args.github
        ? gitopsRepositoryFiles({
              owner: args.github.owner,
              repositoryName: args.gitops.repository,
              branch: args.gitops.branch,
              apps,
          })
        : portableGitopsRepositoryFiles({ branch: args.gitops.branch, apps });
    // This environment's platform Components, which its stack keeps up to date (every stack, both modes).
    files.push(...appPlatformFiles({ ...args, argocd: args.argocd ?? {} }));
    const known = new Set(apps.map((app) => app.name));
    for (const [app, image] of Object.entries(images)) {
        if (!known.has(app)) {
            throw new Error(
                `--image ${app}=${image}: expected one of the stack's apps (${[...known].join(", ") || "none"}), got "${app}"`,
            );
        }
        files.push(appOverlayFile(app, args.environment, image));
    }
    return files;
}

/** Resolves the files' contents (the standard workload is built through Outputs). */
export async function resolveFiles(files: RepositoryFileSpec[]): Promise<SeedFile[]> {
    return Promise.all(
        files.map(
            (file) =>
                new Promise<SeedFile>((resolve) =>
                    pulumi.output(file.content).apply((content) => {
                        resolve({ path: file.path, content, seed: file.seed });
                        return content;
                    }),
                ),
        ),
    );
}
