import { validateTypes, type PackResourcePolicy } from "../lib/policy";
import { githubTypes } from "../lib/types";
import { at, str, violation } from "../lib/values";
import { seededObjects } from "../lib/workloads";

/**
 * YAML manifests Pulumi writes into the GitOps repository: apps' directories and `platform/<env>/`; not the
 * platform chart (`platform/chart/`, Helm templates rather than manifests).
 */
const gitopsManifest = /^(?:apps\/|platform\/(?!chart\/))[^\n]+\.ya?ml$/;

/**
 * A Secret in Git is readable by everyone who can read the repository, forever (history keeps it), and
 * base64 is no encryption. App secrets reach the cluster through an ExternalSecret that external-secrets
 * fills from the platform's ClusterSecretStore.
 */
export const k8sGitopsNoPlainSecrets: PackResourcePolicy = {
    name: "k8s-gitops-no-plain-secrets",
    description:
        "No Kubernetes Secret in the manifests Pulumi writes to the GitOps repository; app secrets come through ExternalSecrets.",
    severity: "critical",
    remediationSteps:
        "Put the value in the secret manager behind the platform's ClusterSecretStore and reference it in the app's `secrets` (an ExternalSecret), instead of a Secret manifest.",
    configSchema: { properties: {} },
    validateResource: validateTypes([githubTypes.repositoryFile], (props, args, report) => {
        const file = str(props.file) ?? "";
        if (!gitopsManifest.test(file)) return args.notApplicable("not a manifest in the GitOps repository");
        for (const object of seededObjects(str(props.content) ?? "")) {
            if (str(object.kind) !== "Secret" || str(object.apiVersion) !== "v1") continue;
            const name = str(at(object, "metadata", "name")) ?? "?";
            report(
                violation(
                    `${file} holds Secret ${name}: a secret in Git.`,
                    "reference the value from the app's `secrets` (ExternalSecret) instead.",
                ),
            );
        }
    }),
};
