/** The public API: components other stacks import from `gitops-platform/components`. */
export * from "./applications";
export * from "./argocd";
export * from "./common/argocdRef";
export * from "./common/labels";
export * from "./platform";
export * from "./outputs";
export * from "./reference";
