export * from "./appOfApps";
export * from "./application";
export * from "./applicationSet";
export * from "./appProject";
export * from "./customResource";
export * from "./projectPermissions";
export * from "./syncPolicy";
export * from "./platformChart";
