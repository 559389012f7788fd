import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import type { CanaryConfig } from "../addons/rollouts/canary";
import { Document } from "yaml";
import { overlayPath } from "../applications/applicationSet";
import { basePath } from "./conventions";
import { baseKustomizationYaml } from "./workload";
import { appPlatformFiles, type AppFilesArgs } from "../apps/files";
import type { AppTemplateSettings } from "../apps/settings";

/** An app as the GitOps repository sees it: a base directory and an owning team. */
export interface GitOpsApp extends AppTemplateSettings {
    name: string;
    /** Platform team name, as a label on the workload. */
    team: string;
    /** GitHub team slug that owns `apps/<app>/` in CODEOWNERS. Default: `team`. */
    githubTeam?: string;
    /** Namespace the app runs in. */
    namespace: string;
    /** Container port. Default: the standard workload's (8080). */
    port?: number;
    /** Deliver as an Argo Rollouts canary. Default: a Deployment. */
    canary?: CanaryConfig;
}

/** A file Pulumi commits: seeded once (`seed`), or enforced on every update. */
export interface RepositoryFileSpec {
    path: string;
    content: pulumi.Input<string>;
    seed: boolean;
}

/**
 * The team-owned part of an app the GitOps repository needs before the app's first CI run:
 * `apps/<app>/base/kustomization.yaml`, for the team's own manifests. Seeded once; Git owns it after. The
 * platform's objects are the enforced `apps/<app>/platform/<env>/` Component (components/apps).
 */
export function appSeedFiles(app: GitOpsApp): RepositoryFileSpec[] {
    return [
        {
            path: `${basePath(app.name)}/kustomization.yaml`,
            content: baseKustomizationYaml({ namespace: app.namespace }),
            seed: true,
        },
    ];
}

/**
 * Splits an image reference the way `kustomize edit set image <app>=<image>` does: a digest after `@`, or
 * a tag after the last `:` that follows the last `/` (a registry port is not a tag). Pure.
 */
export function splitImage(image: string): { newName: string; newTag?: string; digest?: string } {
    const at = image.indexOf("@");
    if (at >= 0) return { newName: image.slice(0, at), digest: image.slice(at + 1) };
    const colon = image.lastIndexOf(":");
    if (colon > image.lastIndexOf("/"))
        return { newName: image.slice(0, colon), newTag: image.slice(colon + 1) };
    return { newName: image };
}

/**
 * `apps/<app>/overlays/<env>/kustomization.yaml` pointing the app at an image: what the platform's CI
 * writes on an app's first deploy (`kustomize create --resources ../../base`, `kustomize edit add component
 * ../../platform/<env>`, then `kustomize edit set image`), for a first deploy without that CI (bring your
 * own Git). The team's from then on. Pure.
 */
export function appOverlayFile(app: string, environment: string, image: string): RepositoryFileSpec {
    const document = new Document({
        apiVersion: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        resources: ["../../base"],
        components: [`../../platform/${environment}`],
        images: [{ name: app, ...splitImage(image) }],
    });
    return {
        path: `${overlayPath(app, environment)}/kustomization.yaml`,
        content: document.toString({ lineWidth: 0 }),
        seed: true,
    };
}

/** Commits a file; a seed file is create-only, so a later `pulumi up` never reverts what CI or people committed. */
export function commitFile(
    name: string,
    args: { repository: pulumi.Input<string>; branch: pulumi.Input<string>; file: RepositoryFileSpec },
    parent: pulumi.Resource,
): github.RepositoryFile {
    const { file } = args;
    return new github.RepositoryFile(
        name,
        {
            repository: args.repository,
            branch: args.branch,
            file: file.path,
            content: file.content,
            commitMessage: file.seed
                ? `chore(platform): seed ${file.path}`
                : `chore(platform): update ${file.path}`,
            overwriteOnCreate: true,
        },
        { parent, ...(file.seed ? { ignoreChanges: ["content"] } : {}) },
    );
}

export interface AppSeedArgs {
    /** The GitOps repository's name, e.g. from the platform stack's outputs. */
    repository: pulumi.Input<string>;
    /** Branch Argo CD follows. Default: `main`. */
    branch?: pulumi.Input<string>;
    app: GitOpsApp;
    /**
     * Environments whose platform Component of the app (`apps/<app>/platform/<env>/`, its template, which
     * each overlay includes) this stack keeps up to date, each with the platform context it is built for
     * (ingress class, issuer, add-ons, `appDefaults`). An app the platform's own config lists gets them from
     * the platform's stacks; one onboarded from another stack needs them here. Default: none.
     */
    templates?: (Omit<AppFilesArgs, "teams" | "apps" | "argocd"> & { argocd?: AppFilesArgs["argocd"] })[];
}

/**
 * Seeds one app's `apps/<app>/base/` into the GitOps repository, for stacks that onboard an app outside
 * the platform's own config (the platform seeds its configured apps itself).
 */
export class AppSeed extends pulumi.ComponentResource {
    public readonly files: github.RepositoryFile[];

    constructor(name: string, args: AppSeedArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("gitops:github:AppSeed", name, {}, opts);
        const templates = (args.templates ?? []).flatMap((template) =>
            appPlatformFiles({
                ...template,
                argocd: template.argocd ?? {},
                teams: [{ name: args.app.team, namespaces: [args.app.namespace] }],
                apps: [args.app],
            }),
        );
        this.files = [...appSeedFiles(args.app), ...templates].map((file, index) =>
            commitFile(
                `${name}-seed-${index}`,
                { repository: args.repository, branch: args.branch ?? "main", file },
                this,
            ),
        );
        this.registerOutputs({});
    }
}
