export * from "./catalog";
export * from "./config";
export * from "./github";
export * from "./notifications";
export * from "./templates";
