import { registrySecrets } from "./conventions";
import { pinnedActions, uses } from "./workflows/actions";
import type { WorkflowStep } from "./workflows/types";

/**
 * The container registry the pipeline pushes to, and how it logs in. One kind per platform:
 *
 * - `ghcr`: GitHub Container Registry, with the workflow's `GITHUB_TOKEN` (`packages: write`).
 * - `ecr`: Amazon ECR, through GitHub's OIDC token and an IAM role (`id-token: write`,
 *   aws-actions/configure-aws-credentials, then aws-actions/amazon-ecr-login). No AWS keys anywhere.
 * - `gar`: Google Artifact Registry, through workload identity federation (`id-token: write`,
 *   google-github-actions/auth with `token_format: access_token`, then `docker login <location>-docker.pkg.dev`
 *   as `oauth2accesstoken`). No service account keys anywhere.
 * - `basic`: any other registry, with a username and password from the organisation secrets
 *   `REGISTRY_USERNAME` and `REGISTRY_PASSWORD` (long-lived: the policy pack flags it, see docs/registries.md).
 */
export type RegistrySettings =
    | { kind: "ghcr"; host: "ghcr.io" }
    | {
          kind: "ecr";
          /** `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China, `ecr-fips` for FIPS endpoints). */
          host: string;
          /** The host's region. */
          region: string;
          /** IAM role the pipeline assumes with GitHub's OIDC token; its trust policy names the repositories. */
          roleArn: string;
      }
    | {
          kind: "gar";
          /** `<location>-docker.pkg.dev`. */
          host: string;
          /** Google Cloud project ID of the Artifact Registry repository. */
          project: string;
          /** Artifact Registry repository (format docker). */
          repository: string;
          /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>`. */
          workloadIdentityProvider: string;
          /** Service account the pipeline impersonates, with `roles/artifactregistry.writer` on the repository. */
          serviceAccount: string;
      }
    | {
          kind: "basic";
          /** Registry host, optionally with a path prefix, e.g. `registry.example.com:5000/platform`. */
          host: string;
      };

export type RegistryKind = RegistrySettings["kind"];

/** GitHub Container Registry's host. */
export const ghcrHost = "ghcr.io";

/** The parts of an Amazon ECR private registry host, or undefined when it is none. Pure, linear. */
export function parseEcrHost(
    host: string,
): { account: string; region: string; partition: "aws" | "aws-cn" | "aws-us-gov" } | undefined {
    const labels = host.split(".");
    const china = labels.length === 7 && labels[6] === "cn";
    if (labels.length !== (china ? 7 : 6)) return undefined;
    const [account, dkr, ecr, region, amazonaws, com] = labels;
    if (!/^\d{12}$/.test(account) || dkr !== "dkr" || (ecr !== "ecr" && ecr !== "ecr-fips")) return undefined;
    if (amazonaws !== "amazonaws" || com !== "com" || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region))
        return undefined;
    const partition = china ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    return { account, region, partition };
}

/** The location of an Artifact Registry Docker host `<location>-docker.pkg.dev`, or undefined. Pure, linear. */
export function garLocation(host: string): string | undefined {
    const suffix = "-docker.pkg.dev";
    if (!host.endsWith(suffix)) return undefined;
    const location = host.slice(0, -suffix.length);
    // Regions (europe-west1, us-central1, northamerica-northeast2) and multi-regions (us, europe, asia).
    return /^[a-z]+(-[a-z]+\d{1,2})?$/.test(location) ? location : undefined;
}

/** Registry hosts whose login needs a cloud identity rather than a password (the pipeline refuses `basic` there). */
export function cloudRegistryKind(host: string): "ecr" | "gar" | "gcr" | "ecr-public" | "ghcr" | undefined {
    const name = registryHostname(host);
    if (name === ghcrHost) return "ghcr";
    if (parseEcrHost(name)) return "ecr";
    if (name === "public.ecr.aws") return "ecr-public";
    if (name.endsWith(".pkg.dev")) return "gar";
    if (name === "gcr.io" || name.endsWith(".gcr.io")) return "gcr";
    return undefined;
}

/** The host[:port] part of a registry reference (what `docker login` takes). Pure. */
export function registryHostname(registry: string): string {
    const slash = registry.indexOf("/");
    return slash < 0 ? registry : registry.slice(0, slash);
}

/**
 * What image names start with: `<registry>` for GHCR, ECR and `basic` (with its path), and
 * `<host>/<project>/<repository>` for Artifact Registry. The pipeline appends `<owner>/<repository>` of the
 * app's GitHub repository, lowercased, so deploy feedback can find the repository from the image. Pure.
 */
export function imagePrefix(registry: RegistrySettings): string {
    return registry.kind === "gar"
        ? `${registry.host}/${registry.project}/${registry.repository}`
        : registry.host;
}

/** Job permissions the pushing job needs beyond `contents: read`. Pure. */
export function registryPermissions(kind: RegistryKind): Record<string, string> {
    switch (kind) {
        case "ghcr":
            return { packages: "write" };
        case "ecr":
        case "gar":
            return { "id-token": "write" };
        case "basic":
            return {};
    }
}

/** Secrets the reusable workflow needs from its caller to log in: only `basic` has any. Pure. */
export function registryCallerSecrets(kind: RegistryKind): string[] {
    return kind === "basic" ? [registrySecrets.username, registrySecrets.password] : [];
}

/**
 * The steps that log the pushing job in to the registry, in order. Every credential is short-lived except
 * `basic`'s, which comes from organisation secrets. Pure.
 */
export function registryLoginSteps(registry: RegistrySettings): WorkflowStep[] {
    switch (registry.kind) {
        case "ghcr":
            return [
                {
                    name: "Log in to GitHub Container Registry with the workflow token",
                    uses: uses(pinnedActions.login),
                    with: {
                        registry: ghcrHost,
                        username: "${{ github.actor }}",
                        password: "${{ secrets.GITHUB_TOKEN }}",
                    },
                },
            ];
        case "ecr": {
            const ecr = parseEcrHost(registry.host);
            if (!ecr) throw new Error(`registry: ${registry.host} is not an ECR registry host`);
            return [
                {
                    name: "Assume the push role with GitHub's OIDC token",
                    uses: uses(pinnedActions.configureAwsCredentials),
                    with: {
                        "role-to-assume": registry.roleArn,
                        "aws-region": registry.region,
                        "role-session-name": "gitops-platform-${{ github.run_id }}",
                    },
                },
                {
                    name: "Log in to Amazon ECR",
                    uses: uses(pinnedActions.amazonEcrLogin),
                    with: { registries: ecr.account, "mask-password": "true" },
                },
            ];
        }
        case "gar":
            return [
                {
                    name: "Authenticate to Google Cloud through workload identity federation",
                    id: "gcp-auth",
                    uses: uses(pinnedActions.googleAuth),
                    with: {
                        workload_identity_provider: registry.workloadIdentityProvider,
                        service_account: registry.serviceAccount,
                        token_format: "access_token",
                    },
                },
                {
                    name: "Log in to Artifact Registry",
                    uses: uses(pinnedActions.login),
                    with: {
                        registry: registry.host,
                        username: "oauth2accesstoken",
                        password: "${{ steps.gcp-auth.outputs.access_token }}",
                    },
                },
            ];
        case "basic":
            return [
                {
                    name: "Log in to the registry with the organisation's registry credentials",
                    uses: uses(pinnedActions.login),
                    with: {
                        registry: registryHostname(registry.host),
                        username: `\${{ secrets.${registrySecrets.username} }}`,
                        password: `\${{ secrets.${registrySecrets.password} }}`,
                    },
                },
            ];
    }
}
