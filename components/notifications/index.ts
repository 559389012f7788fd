export * from "./catalog";
export * from "./config";
export * from "./notifications";
export * from "./templates";
