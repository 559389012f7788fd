import { z } from "zod";
import { environments, positiveInt } from "./common";

const githubName = z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, "a GitHub login (letters, digits and '-')");
const repoName = z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "a repository name (letters, digits, '.', '_', '-')");

/** The GitOps repository Argo CD follows. */
export const gitopsSchema = z.strictObject({
    /** Name of the GitOps repository in the GitHub owner. */
    repository: repoName,
    /** Branch Argo CD follows. */
    branch: z.string().min(1),
});

const githubIds = z.array(positiveInt).max(6);

/** The GitHub organisation, authentication, registry and review rules. */
export const githubSchema = z.strictObject({
    /** GitHub organisation that owns every repository (rulesets, teams and org variables need one). */
    owner: githubName,
    /**
     * The environment whose stack declares the GitHub objects all environments share (repositories,
     * rulesets, files, team access, app deploy keys, organisation variables). Every stack must name the
     * same one; the others declare only their own deploy keys, webhook and GitHub environment.
     */
    sharedStack: z.enum(environments),
    /** Authenticate as a GitHub App (private key: secret config `githubAppPrivateKey`) instead of a token. */
    app: z.strictObject({ id: positiveInt, installationId: positiveInt }).optional(),
    /** Container registry host the standard pipeline pushes images to. */
    registry: z
        .string()
        .regex(
            /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9._-]+)*$/,
            "a registry host such as ghcr.io or registry.example.com:5000",
        ),
    /** Approving reviews pull requests need on the GitOps and app repositories. */
    requiredApprovals: z.number().int().min(0).max(10),
    /** Who approves jobs (rollbacks) in this environment's GitHub environment, and how long they wait. */
    environmentProtection: z.strictObject({
        /** Numeric team IDs: `gh api orgs/<owner>/teams/<slug> --jq .id`. */
        reviewerTeamIds: githubIds,
        /** Numeric user IDs: `gh api users/<login> --jq .id`. */
        reviewerUserIds: githubIds,
        /** Minutes a job waits before it runs. */
        waitTimer: z.number().int().min(0).max(43200),
        /** Whoever started a run may not approve it. */
        preventSelfReview: z.boolean(),
    }),
});
