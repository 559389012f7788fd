import * as pulumi from "@pulumi/pulumi";
import { onboardApp, type TeamAppArgs } from "./app";

const config = new pulumi.Config();
const app = config.requireObject<Pick<TeamAppArgs, "name" | "team" | "namespace">>("app");
const { application, platform } = onboardApp({
    ...app,
    platformStack: config.require("platformStack"),
    kubeContext: config.get("kubeContext"),
});

export const applicationName = application.applicationName;
export const argocdUrl = platform.argocdUrl;
