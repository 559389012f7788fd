export * from "./credentials";
export * from "./workloadCluster";
