/** A team as Argo CD RBAC sees it: a role named after the team, bound to the team's SSO group. */
export interface RbacTeam {
    name: string;
    group: string;
}

export interface RbacArgs {
    teams: RbacTeam[];
    /** SSO groups bound to `role:admin`. */
    adminGroups: string[];
    /** Application actions team roles get in their own project, e.g. `*` or `get`, `sync`. */
    teamActions: string[];
}

/** Builds `policy.csv`: one role per team, scoped to the team's project, plus group bindings. */
export function rbacPolicyCsv(args: RbacArgs): string {
    const lines: string[] = [];
    for (const team of args.teams) {
        const role = `role:${team.name}`;
        for (const action of args.teamActions) {
            lines.push(`p, ${role}, applications, ${action}, ${team.name}/*, allow`);
        }
        lines.push(`p, ${role}, applicationsets, get, ${team.name}/*, allow`);
        lines.push(`p, ${role}, logs, get, ${team.name}/*, allow`);
        lines.push(`p, ${role}, projects, get, ${team.name}, allow`);
        lines.push(`g, ${team.group}, ${role}`);
    }
    for (const group of args.adminGroups) {
        lines.push(`g, ${group}, role:admin`);
    }
    return lines.join("\n") + (lines.length > 0 ? "\n" : "");
}
