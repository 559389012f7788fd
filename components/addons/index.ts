export * from "./catalog";
export * from "./clusterAddons";
export * from "./health";
export * from "./plan";
export * from "./rollouts";
export * from "./types";
export * from "./platformConfig";
