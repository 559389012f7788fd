/** The public API: components other stacks import from `gitops-platform/components`. */
export * from "./addons";
export * from "./applications";
export * from "./apps";
export * from "./argocd";
export * from "./clusters";
export * from "./common/argocdRef";
export * from "./common/labels";
export * from "./github";
export * from "./platform";
export * from "./outputs";
export * from "./reference";
export * from "./monitoring";
export * from "./notifications";
