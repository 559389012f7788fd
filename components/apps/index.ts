export * from "./files";
export * from "./objects";
export * from "./settings";
export * from "./template";
