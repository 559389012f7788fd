export * from "./argocdMetrics";
export * from "./dashboard";
export * from "./rules";
