/** The reserve attester: its client for the bridge, and the agent itself for processes that host it. */
export { createAttesterClient, AttestationRefusedError, type ClientRefusalCode } from "./client.js";
export { createReserveAttester, startReserveAttester, jsonLog, type ReserveAttester, type ReserveAttesterOptions, type RunningAttester } from "./service.js";
export { loadAttesterConfig, AttesterConfigError, type AttesterConfig } from "./config.js";
export { holdingsFileSource, railFloatSource, floatSource, type CustodianSource, type CustodianStatement } from "./custodian.js";
export type { RefusalCode } from "./wire.js";
