export * from "./chartValues";
export * from "./mocks";
export * from "./recorder";
export * from "./run";
export * from "./schemas";
export * from "./serialized";
export * from "./stackConfig";
