import { readStackFile, stackFile } from "../../test/harness/stackConfig";

/**
 * A stack config for a fleet of `apps` apps spread over new teams of 25, based on the environment's own
 * stack file (its apps replaced), so the benchmark measures the same program users run.
 */
export function fleetConfig(environment: string, apps: number): Record<string, unknown> {
    const config = readStackFile(stackFile(environment));
    const teamCount = Math.max(1, Math.ceil(apps / 25));
    const teams = Array.from({ length: teamCount }, (_, t) => ({
        name: `team-${t}`,
        group: `acme:team-${t}`,
    }));
    // The stack's own teams stay (notification subscriptions name them); the fleet's apps go to new ones.
    config["gitops-platform:teams"] = [...((config["gitops-platform:teams"] as unknown[]) ?? []), ...teams];
    config["gitops-platform:apps"] = Array.from({ length: apps }, (_, a) => ({
        name: `app-${a}`,
        team: `team-${a % teamCount}`,
        port: 8080,
    }));
    return config;
}
