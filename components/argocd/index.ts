export * from "./argocd";
export * from "./chart";
export * from "./rbac";
export * from "./secrets";
export * from "./values";
export * from "./config";
export * from "./patches";
