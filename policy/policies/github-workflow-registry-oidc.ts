import { parse } from "yaml";
import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { isObj, known, list, obj, str, unknown, violation, type Obj } from "../lib/values";

interface Config {
    allowedPasswordRegistries?: string[];
}

/** Whether a registry host belongs to a cloud whose registry GitHub's OIDC token can log in to. */
function cloudRegistry(host: string): "ECR" | "Artifact Registry" | "Container Registry" | undefined {
    const name = host.split("/")[0];
    if (
        /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(name) ||
        name === "public.ecr.aws"
    )
        return "ECR";
    if (name.endsWith(".pkg.dev")) return "Artifact Registry";
    if (name === "gcr.io" || name.endsWith(".gcr.io")) return "Container Registry";
    return undefined;
}

/** The action a `uses:` names, without its ref: `owner/repo`. */
function action(uses: unknown): string {
    const value = str(uses) ?? "";
    const at = value.indexOf("@");
    return at < 0 ? value : value.slice(0, at);
}

/** Whether an expression reads a long-lived secret (any secret but the workflow's own GITHUB_TOKEN). */
function readsStoredSecret(value: unknown): boolean {
    const text = str(value) ?? "";
    return /secrets\.(?!GITHUB_TOKEN\b)[A-Za-z_]/.test(text) || /secrets\[/.test(text);
}

/**
 * Pipelines push to cloud registries through GitHub's OIDC token (an IAM role for ECR, workload identity
 * federation for Artifact Registry), never with stored keys: no `aws-secret-access-key`, no `credentials_json`,
 * no registry password from a secret for a cloud registry, and the job that assumes the role is granted
 * `id-token: write` (without it the login fails at run time). A password login to any other registry is a
 * long-lived credential too: allowed only for the hosts in `allowedPasswordRegistries`.
 *
 * Reads the workflow files the stack commits (`RepositoryFile` under `.github/workflows/`).
 */
export const githubWorkflowRegistryOidc: PackResourcePolicy = {
    name: "github-workflow-registry-oidc",
    description:
        "Committed workflows log in to registries with short-lived credentials (OIDC roles, GITHUB_TOKEN), not stored keys or passwords.",
    severity: "high",
    remediationSteps:
        "Use github.registry kind ecr (roleArn) or gar (workloadIdentityProvider, serviceAccount), or ghcr: " +
        "the pipeline then logs in through GitHub's OIDC token or GITHUB_TOKEN. A registry with no such login " +
        "(kind basic) goes into the policy's allowedPasswordRegistries.",
    configSchema: {
        properties: {
            allowedPasswordRegistries: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Registry hosts a workflow may log in to with a stored username and password.",
            },
        },
    },
    validateResource: validateTypes([githubTypes.repositoryFile], (props, args, report) => {
        const file = known(() => str(props.file));
        if (file === unknown || !file?.startsWith(".github/workflows/"))
            return args.notApplicable("not a workflow file");
        const content = known(() => str(props.content));
        if (content === unknown || content === undefined) return;
        let workflow: unknown;
        try {
            workflow = parse(content);
        } catch {
            return;
        }
        if (!isObj(workflow)) return;
        const allowed = args.getConfig<Config>().allowedPasswordRegistries ?? [];
        const where = `${file} (${args.name})`;
        for (const [jobName, job] of Object.entries(obj(workflow.jobs))) {
            if (!isObj(job)) continue;
            const permissions = isObj(job.permissions) ? job.permissions : obj(workflow.permissions);
            const idToken =
                str((permissions as Obj)["id-token"]) === "write" || str(job.permissions) === "write-all";
            for (const step of list(job.steps).filter(isObj)) {
                const uses = action(step.uses);
                const inputs = obj(step.with);
                if (uses === "aws-actions/configure-aws-credentials") {
                    if ("aws-secret-access-key" in inputs || "aws-access-key-id" in inputs) {
                        report(
                            violation(
                                `${where}: job ${jobName} logs in to AWS with stored access keys.`,
                                "assume a role with GitHub's OIDC token (role-to-assume, id-token: write): github.registry kind ecr.",
                            ),
                        );
                    } else if (!idToken) {
                        report(
                            violation(
                                `${where}: job ${jobName} assumes an AWS role without id-token: write, so it gets no OIDC token.`,
                                "grant the job permissions: id-token: write.",
                            ),
                        );
                    }
                } else if (uses === "google-github-actions/auth") {
                    if ("credentials_json" in inputs) {
                        report(
                            violation(
                                `${where}: job ${jobName} logs in to Google Cloud with a stored service account key.`,
                                "use workload identity federation (workload_identity_provider, service_account): github.registry kind gar.",
                            ),
                        );
                    } else if (!idToken) {
                        report(
                            violation(
                                `${where}: job ${jobName} uses workload identity federation without id-token: write, so it gets no OIDC token.`,
                                "grant the job permissions: id-token: write.",
                            ),
                        );
                    }
                } else if (uses === "docker/login-action" && readsStoredSecret(inputs.password)) {
                    const registry = str(inputs.registry) ?? "docker.io";
                    const cloud = cloudRegistry(registry);
                    if (cloud) {
                        report(
                            violation(
                                `${where}: job ${jobName} logs in to ${cloud} (${registry}) with a stored password.`,
                                `log in through GitHub's OIDC token instead: github.registry kind ${cloud === "ECR" ? "ecr" : "gar"}.`,
                            ),
                        );
                    } else if (!allowed.includes(registry.split("/")[0])) {
                        report(
                            violation(
                                `${where}: job ${jobName} logs in to ${registry} with a stored password, a long-lived credential.`,
                                "use a registry with an OIDC or GITHUB_TOKEN login, or list the host in allowedPasswordRegistries.",
                            ),
                        );
                    }
                }
            }
        }
    }),
};
