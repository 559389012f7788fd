export * from "./appRepository";
export * from "./conventions";
export * from "./environmentAccess";
export * from "./gitopsRepository";
export * from "./platformGitHub";
export * from "./repository";
export * from "./workflows";
export * from "./workload";
