/** Cash in and cash out: what the bridge's wiring (app.ts) and scripts use. */
export { createCashService, outcomeOf, type CashServiceOptions, type CashServiceRuntime, type PollSummary } from "./service.js";
export { railCallbackRoutes } from "./routes.js";
export { cashReference, cashOpId } from "./ids.js";
export { collectRef, payoutRef, refundRef } from "./refs.js";
export { rateTable, rateTableFromEnv, rateFor, assetForFiat, fiatForAsset, assetToBurnForFiat, DEFAULT_FIAT_PER_USD, type RateTable, type CustodianRate } from "./rates.js";
export { compareRail, reconcileRail, formatReconciliation, reconciliationJson, readVaultMovements, type Difference, type DifferenceKind, type Reconciliation } from "./reconcile.js";
