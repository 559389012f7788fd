export * from "./credentials";
export * from "./fanOut";
export * from "./spokeClusters";
export * from "./templatePatch";
export * from "./workloadCluster";
