export * from "./attestation.js";
export * from "./contracts.js";
export * from "./deployments.js";
export * from "./gas.js";
export * from "./hcs-message.js";
export * from "./hedera.js";
export * from "./protocol.js";
