import { z } from "zod";
import {
    cloudRegistryKind,
    garLocation,
    ghcrHost,
    imagePrefix,
    parseEcrHost,
    type RegistrySettings,
} from "../../components/github/registry";
import { describeValue, quote } from "../errors";
import { gitBranch } from "./common";

/**
 * The registry the pipeline pushes to, the pipeline itself (`github.pipeline`), and what an app says about
 * its repository and pipeline (`apps[].repository`, `apps[].pipeline`). A registry the pipeline cannot log
 * in to is a config error naming the key, never a workflow that fails on its first push. Every check is a
 * split or an anchored regular expression without nested quantifiers: linear in the value.
 */

const registryHost = z
    .string()
    .regex(
        /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._-]+)*$/,
        "a registry host such as ghcr.io or registry.example.com:5000",
    );

/** `arn:<partition>:iam::<account>:role/<path/name>`. */
const roleArnPattern = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An IAM role ARN, e.g. of the role Argo CD assumes for an EKS cluster. */
export const iamRoleArn = z
    .string()
    .regex(roleArnPattern, "an IAM role ARN such as arn:aws:iam::123456789012:role/argocd-deployer");

function issue(ctx: z.RefinementCtx, path: string, message: string): void {
    ctx.addIssue({ code: "custom", path: [path], message });
}

const ghcrSchema = z.strictObject({
    kind: z.literal("ghcr"),
    /** Always ghcr.io. */
    host: z.string().optional(),
});

const ecrSchema = z.strictObject({
    kind: z.literal("ecr"),
    /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
    host: z.string(),
    /** Must be the host's region; derived from it when unset. */
    region: z.string().optional(),
    /** IAM role the pipeline assumes with GitHub's OIDC token. */
    roleArn: z.string(),
});

const garSchema = z.strictObject({
    kind: z.literal("gar"),
    /** `<location>-docker.pkg.dev`. */
    host: z.string(),
    /** Google Cloud project ID. */
    project: z
        .string()
        .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a Google Cloud project ID such as acme-images"),
    /** Artifact Registry repository ID (format docker). */
    repository: z
        .string()
        .regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, "an Artifact Registry repository ID such as apps"),
    /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
    workloadIdentityProvider: z
        .string()
        .regex(
            /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/,
            "a workload identity provider such as projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
        ),
    /** Service account the pipeline impersonates. */
    serviceAccount: z
        .string()
        .regex(
            /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/,
            "a service account such as ci-push@acme-images.iam.gserviceaccount.com",
        ),
});

const basicSchema = z.strictObject({
    kind: z.literal("basic"),
    host: registryHost,
});

/** A bare host is shorthand: ghcr.io is `kind: ghcr`, a cloud registry's host names its kind, others are `basic`. */
function registryShorthand(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const kind = cloudRegistryKind(value);
    if (kind === "ghcr") return { kind: "ghcr" };
    if (kind === "ecr" || kind === "ecr-public") return { kind: "ecr", host: value };
    if (kind === "gar" || kind === "gcr") return { kind: "gar", host: value };
    return { kind: "basic", host: value };
}

/**
 * `github.registry`: a host (`ghcr.io`, or a registry taking a username and password) or an object with a
 * `kind` (ghcr, ecr, gar, basic) and that kind's login settings. The result is a `RegistrySettings`.
 */
export const registrySchema = z.preprocess(
    registryShorthand,
    z
        .discriminatedUnion("kind", [ghcrSchema, ecrSchema, garSchema, basicSchema])
        .superRefine((registry, ctx) => {
            switch (registry.kind) {
                case "ghcr":
                    if (registry.host !== undefined && registry.host !== ghcrHost)
                        issue(ctx, "host", `expected ${ghcrHost} (or no host), got ${quote(registry.host)}`);
                    return;
                case "ecr": {
                    const ecr = parseEcrHost(registry.host);
                    if (!ecr) {
                        issue(
                            ctx,
                            "host",
                            registry.host === "public.ecr.aws"
                                ? `expected a private ECR registry host <account>.dkr.ecr.<region>.amazonaws.com (ECR Public takes no pushes through amazon-ecr-login here), got ${quote(registry.host)}`
                                : `expected an ECR registry host <account>.dkr.ecr.<region>.amazonaws.com, which amazon-ecr-login logs in to, got ${quote(registry.host)}`,
                        );
                    } else if (registry.region !== undefined && registry.region !== ecr.region) {
                        issue(
                            ctx,
                            "region",
                            `expected the region of the registry host (${ecr.region}), where amazon-ecr-login logs in, got ${quote(registry.region)}`,
                        );
                    }
                    const arn = roleArnPattern.exec(registry.roleArn);
                    if (!arn) {
                        issue(
                            ctx,
                            "roleArn",
                            `expected an IAM role ARN such as arn:aws:iam::123456789012:role/github-ecr-push, got ${describeValue(registry.roleArn)}`,
                        );
                    } else if (ecr && arn[1] !== ecr.partition) {
                        issue(
                            ctx,
                            "roleArn",
                            `expected a role in the registry's partition (arn:${ecr.partition}:…), got ${quote(registry.roleArn)}`,
                        );
                    }
                    return;
                }
                case "gar":
                    if (!garLocation(registry.host)) {
                        issue(
                            ctx,
                            "host",
                            `expected an Artifact Registry host <location>-docker.pkg.dev, such as europe-west1-docker.pkg.dev, got ${quote(registry.host)}`,
                        );
                    }
                    return;
                case "basic": {
                    const cloud = cloudRegistryKind(registry.host);
                    if (cloud) {
                        const use: Record<typeof cloud, string> = {
                            ghcr: "kind ghcr: the pipeline logs in with its GITHUB_TOKEN",
                            ecr: "kind ecr with a roleArn: the pipeline logs in through GitHub's OIDC token",
                            "ecr-public": "a private ECR registry with kind ecr",
                            gar: "kind gar with a workloadIdentityProvider and serviceAccount",
                            gcr: "Artifact Registry (kind gar): Container Registry takes no more pushes",
                        };
                        issue(
                            ctx,
                            "host",
                            `expected a registry that takes a username and password, got ${quote(registry.host)}; use ${use[cloud]}`,
                        );
                    }
                    return;
                }
            }
        })
        .transform((registry): RegistrySettings => {
            switch (registry.kind) {
                case "ghcr":
                    return { kind: "ghcr", host: ghcrHost };
                case "ecr":
                    return {
                        kind: "ecr",
                        host: registry.host,
                        region: registry.region ?? parseEcrHost(registry.host)?.region ?? "",
                        roleArn: registry.roleArn,
                    };
                default:
                    return registry;
            }
        }),
);

/** What callers pin: a commit SHA, or a release tag such as v1.4.0 (never a branch). */
export const pipelineRef = z
    .string()
    .regex(
        /^([0-9a-f]{40}|v\d+(\.\d+){0,2}(-[0-9A-Za-z.]+)?)$/,
        "a full commit SHA or a release tag such as v1.4.0 (a branch would not pin the pipeline)",
    );

/** Runner labels: hosted images (ubuntu-22.04) or a self-hosted runner's labels. */
const runnerLabels = z
    .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "a runner label such as ubuntu-22.04"))
    .min(1)
    .max(10);

export const imagePlatforms = [
    "linux/amd64",
    "linux/arm64",
    "linux/arm/v7",
    "linux/386",
    "linux/ppc64le",
    "linux/s390x",
    "linux/riscv64",
] as const;

const platforms = z.array(z.enum(imagePlatforms)).min(1).max(imagePlatforms.length);

/** A Dockerfile stage (`FROM … AS <name>`), or `false`: none. */
const testTarget = z.union([
    z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, "a Dockerfile stage name such as test"),
    z.literal(false),
]);

export const scanSeverities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"] as const;

/** `github.pipeline`: the pipeline repository, the version callers pin, and what every app gets. */
export const pipelineSchema = z
    .strictObject({
        /** Repository holding the reusable workflow, in `github.owner`. */
        repository: z
            .string()
            .regex(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, '.', '_', '-')"),
        /** Tag or commit SHA every caller pins. Default: the commit Pulumi last wrote the workflow in. */
        ref: pipelineRef.optional(),
        runsOn: runnerLabels,
        platforms,
        testTarget,
        scan: z.strictObject({
            enabled: z.boolean(),
            severity: z.array(z.enum(scanSeverities)).min(1),
            ignoreUnfixed: z.boolean(),
        }),
    })
    .transform(({ repository, ref, ...defaults }) => ({ repository, ...(ref ? { ref } : {}), defaults }));

/** `apps[].repository`: the app's repository, when it is not a new one named after the app. */
export const appRepositorySchema = z.strictObject({
    /** Repository name in `github.owner`. Default: the app name. */
    name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, '.', '_', '-')")
        .optional(),
    /** It exists: the platform adopts it (Pulumi import) instead of creating it. Default: false. */
    existing: z.boolean().optional(),
    /** Default branch: the caller runs on it, and pushes to it deploy. Default: main. */
    branch: gitBranch.optional(),
    /** private, or internal (GitHub Enterprise). Default: private. */
    visibility: z.enum(["private", "internal"]).optional(),
});

const secretName = z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "an Actions secret name such as NPM_TOKEN")
    .refine(
        (name) => !name.toUpperCase().startsWith("GITHUB_"),
        "an Actions secret name not starting with GITHUB_",
    );

/** `apps[].pipeline`: what one app passes to the pipeline, over the platform's defaults. */
export const appPipelineSchema = z.strictObject({
    /** Tag or commit SHA of the pipeline this app calls. Default: `github.pipeline.ref`. */
    ref: pipelineRef.optional(),
    /** Commit `.github/workflows/gitops-platform.yml`; false: the repository's own workflow calls the pipeline. */
    callerFile: z.boolean().optional(),
    runsOn: runnerLabels.optional(),
    platforms: platforms.optional(),
    /** Build arguments (`docker build --build-arg`), single-line values. */
    buildArgs: z
        .record(
            z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "a build argument name such as NODE_ENV"),
            z.string().regex(/^[^\n\r]*$/, "a single-line value"),
        )
        .optional(),
    /** BuildKit secret id → the Actions secret that holds it. */
    buildSecrets: z
        .record(
            z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, "a BuildKit secret id such as npm_token"),
            secretName,
        )
        .optional(),
    /** Shell commands run after checkout, before the Dockerfile's test stage. */
    testCommands: z.array(z.string().min(1)).max(50).optional(),
    testTarget: testTarget.optional(),
    /** Build context, relative to the repository root. */
    context: z
        .string()
        .regex(/^[A-Za-z0-9._/-]{1,200}$/, "a relative path such as . or services/api")
        .refine((path) => !path.split("/").includes(".."), "a path inside the repository")
        .optional(),
    /** Dockerfile, relative to the repository root. Default: <context>/Dockerfile. */
    dockerfile: z
        .string()
        .regex(/^[A-Za-z0-9._/-]{1,200}$/, "a relative path such as docker/Dockerfile")
        .refine((path) => !path.split("/").includes(".."), "a path inside the repository")
        .optional(),
    scan: z
        .strictObject({
            enabled: z.boolean().optional(),
            severity: z.array(z.enum(scanSeverities)).min(1).optional(),
        })
        .optional(),
    /** Image name without tag, in the platform's registry. Default: <registry>/<owner>/<repository>. */
    image: registryHost.optional(),
});

/** The parts of the validated config the checks read. */
interface PipelineConfig {
    github?: { registry: RegistrySettings };
    apps: {
        repository?: z.infer<typeof appRepositorySchema>;
        pipeline?: z.infer<typeof appPipelineSchema>;
    }[];
}

/**
 * Apps' repository and pipeline settings need GitHub mode, and an app's image must be in the registry the
 * pipeline logs in to.
 */
export function appPipelineIssues(config: PipelineConfig, ctx: z.RefinementCtx): void {
    config.apps.forEach((app, index) => {
        for (const key of ["repository", "pipeline"] as const) {
            if (app[key] !== undefined && config.github === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, key],
                    message:
                        "expected nothing with your own Git (the platform manages no app repository or pipeline there), got an object",
                });
            }
        }
        const image = app.pipeline?.image;
        if (image !== undefined && config.github !== undefined) {
            const prefix = imagePrefix(config.github.registry);
            if (!image.startsWith(`${prefix}/`)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["apps", index, "pipeline", "image"],
                    message: `expected an image in ${prefix}/…, the registry the pipeline logs in to (github.registry), got ${quote(image)}`,
                });
            }
        }
    });
}
