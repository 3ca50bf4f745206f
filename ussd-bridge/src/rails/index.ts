/** The rails' public face: adapters (from the environment or one by one), callbacks, memory, errors. */
export { afriMoneyRail, type AfriMoneyConfig } from "./afrimoney.js";
export { airtelRail, type AirtelConfig } from "./airtel.js";
export { CALLBACK_QUERY_HEADER, callbackQuery, railCallbackRoutes, railCallbackUrl, type CallbackHandler, type Direction } from "./callbacks.js";
export { BASE_URL_VARIABLE, fromEnv, RailConfigError, railsFromEnv, type RailsFromEnvOptions } from "./config.js";
export type { CustodianRail, FloatBalance } from "./custodian.js";
export { ProviderAuthError, ProviderError } from "./http.js";
export { dbRailMemory, memoryRailMemory, type RailMemory } from "./memory.js";
export { MPESA_RESULT_CODES, mpesaRail, type MpesaConfig } from "./mpesa.js";
export { MOMO_REASONS, momoRail, momoReferenceId, type MomoConfig } from "./mtn-momo.js";
export { orangeRail, type OrangeConfig, type OrangeRail } from "./orange.js";
export { assertReference } from "./reference.js";
