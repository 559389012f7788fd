import * as pulumi from "@pulumi/pulumi";
import { onboardApp, type TeamAppArgs } from "./app";

const config = new pulumi.Config();
const app = config.requireObject<Pick<TeamAppArgs, "name" | "team" | "namespace">>("app");
const { application, repository, platform } = onboardApp({
    ...app,
    platformStack: config.require("platformStack"),
    owner: config.require("owner"),
    kubeContext: config.get("kubeContext"),
    githubToken: config.getSecret("githubToken"),
});

export const applicationName = application.applicationName;
export const repositoryName = repository.fullName;
export const argocdUrl = platform.argocdUrl;
