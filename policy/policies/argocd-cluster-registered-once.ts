import type { StackValidationArgs } from "@pulumi/policy";
import { clusterSecrets, secretField } from "../lib/clusters";
import type { PackStackPolicy } from "../lib/policy";
import { unknown, violation } from "../lib/values";

/**
 * Two cluster Secrets for one API server (or one name) make Argo CD pick either at random: Applications
 * flap between credentials, and cluster generators produce the cluster twice.
 */
export const argocdClusterRegisteredOnce: PackStackPolicy = {
    name: "argocd-cluster-registered-once",
    description:
        "No workload cluster is registered twice with Argo CD: cluster Secret servers and names are unique.",
    severity: "high",
    remediationSteps:
        "List each cluster once in workloadClusters (one name, one server); remove the duplicate registration.",
    configSchema: { properties: {} },
    validateStack: (args: StackValidationArgs, report) => {
        const secrets = clusterSecrets(args.resources);
        if (secrets.length === 0) args.notApplicable("the stack registers no clusters");
        for (const field of ["server", "name"] as const) {
            const seen = new Map<string, string>();
            for (const secret of secrets) {
                const value = secretField(secret.props, field);
                if (value === unknown || value === undefined) continue;
                const first = seen.get(value);
                if (first) {
                    report(
                        violation(
                            `Cluster ${field} ${value} is registered by both ${first} and ${secret.name}.`,
                            "register each cluster once.",
                        ),
                        secret.urn,
                    );
                } else {
                    seen.set(value, secret.name);
                }
            }
        }
    },
};
