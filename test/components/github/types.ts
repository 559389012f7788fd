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
