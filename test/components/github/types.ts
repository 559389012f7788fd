import type { RegistrySettings } from "../../../components/github";

/** Resource type tokens of the GitHub objects the platform declares. */
export const gh = {
    repository: "github:index/repository:Repository",
    file: "github:index/repositoryFile:RepositoryFile",
    ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
    team: "github:index/teamRepository:TeamRepository",
    deployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
    secret: "github:index/actionsSecret:ActionsSecret",
    environmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
    webhook: "github:index/repositoryWebhook:RepositoryWebhook",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    branchPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    orgVariable: "github:index/actionsOrganizationVariable:ActionsOrganizationVariable",
} as const;

export const tlsKey = "tls:index/privateKey:PrivateKey";

/** One registry of each kind, as the config validates them. */
export const registries = {
    ghcr: { kind: "ghcr", host: "ghcr.io" },
    ecr: {
        kind: "ecr",
        host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        region: "eu-west-1",
        roleArn: "arn:aws:iam::123456789012:role/github-ecr-push",
    },
    gar: {
        kind: "gar",
        host: "europe-west1-docker.pkg.dev",
        project: "acme-images",
        repository: "apps",
        workloadIdentityProvider:
            "projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
        serviceAccount: "ci-push@acme-images.iam.gserviceaccount.com",
    },
    basic: { kind: "basic", host: "registry.example.com:5000/platform" },
} as const satisfies Record<string, RegistrySettings>;

/** The reusable workflow's path in the test organisation, pinned to a made-up commit. */
export const pipelineUses = `acme/platform-pipeline/.github/workflows/build.yml@${"a".repeat(40)}`;
