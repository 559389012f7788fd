export * from "./argocdMetrics";
export * from "./dashboard";
export * from "./rules";
export * from "./alertmanager";
export * from "./clusterRules";
export * from "./alertReceivers";
