export * from "./attestation.js";
export * from "./contracts.js";
export * from "./deployments.js";
export * from "./protocol.js";
