/**
 * The CrossGuard policy pack. Constructing a PolicyPack starts the policy server that the Pulumi CLI talks
 * to, so this file does nothing else and nothing may import it: tests and the offline render import
 * `./policies` instead.
 *
 *   pulumi preview --policy-pack policy --policy-pack-config policy/config/<env>.json
 */
import { PolicyPack } from "@pulumi/policy";
import { packEnforcementLevel, policies, policyPackName } from "./policies";

new PolicyPack(policyPackName, {
    description:
        "Policy-as-code for gitops-platform stacks: Argo CD applications, projects and install, Helm, Kubernetes and GitHub.",
    displayName: "GitOps platform",
    // Without a config file every policy blocks; policy/config/<env>.json relaxes dev where that helps iteration.
    enforcementLevel: packEnforcementLevel,
    policies,
    tags: ["argocd", "kubernetes", "helm", "github", "gitops"],
});
