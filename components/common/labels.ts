/** Label keys the platform puts on what it owns; policies and selectors read them. */
export const labelKeys = {
    team: "gitops-platform/team",
    environment: "gitops-platform/environment",
    managedBy: "app.kubernetes.io/managed-by",
} as const;

/** Labels for an object owned by a team in an environment. */
export function ownershipLabels(team: string, environment: string): Record<string, string> {
    return { [labelKeys.team]: team, [labelKeys.environment]: environment, [labelKeys.managedBy]: "pulumi" };
}
