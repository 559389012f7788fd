export * from "./canary";
