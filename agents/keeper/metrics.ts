/**
 * The keeper's Prometheus metrics (GET /metrics), one registry per keeper:
 *
 *   juapesa_keeper_float{pool,asset}                    pool reserve, whole units
 *   juapesa_keeper_floor{pool,asset}                    safety floor, whole units
 *   juapesa_keeper_target{pool,asset}                   on-chain target at current prices, whole units
 *   juapesa_keeper_inventory{asset}                     the keeper's own holdings, whole units
 *   juapesa_keeper_forecast_mae{pool,asset}             rolling MAE of the daily median forecast, whole units
 *   juapesa_keeper_forecast_mase{pool,asset}            the same as MASE (÷ in-sample weekly seasonal-naive error)
 *   juapesa_keeper_forecast_validation_mase{pool,asset} the level the forecaster scored on the series' own history
 *   juapesa_keeper_forecaster{pool,asset,forecaster}    1 for the forecaster in use
 *   juapesa_keeper_orders{state}                        orders by state
 *   juapesa_keeper_alerts{kind}                         open alerts by kind
 *   juapesa_keeper_alerts_opened_total{kind}            alerts opened since start
 *   juapesa_keeper_ticks_total{outcome}                 loop runs, ok or error
 *   juapesa_keeper_last_tick_timestamp_seconds          when the last successful tick ended
 *   juapesa_keeper_flow_events_ingested_total           chain flow events recorded since start
 *   juapesa_keeper_mode{mode}                           1 for the current mode; juapesa_keeper_dry_run 0/1
 */
import { Counter, Gauge, Registry } from "prom-client";

export function createKeeperMetrics() {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    float: gauge("juapesa_keeper_float", "Pool reserve of the asset, whole units", ["pool", "asset"]),
    floor: gauge("juapesa_keeper_floor", "Safety floor of the asset (quantile of forecast net outflow over the horizon), whole units", ["pool", "asset"]),
    target: gauge("juapesa_keeper_target", "On-chain target of the asset at current prices, whole units", ["pool", "asset"]),
    inventory: gauge("juapesa_keeper_inventory", "The keeper's own balance of the asset, whole units", ["asset"]),
    forecastMae: gauge("juapesa_keeper_forecast_mae", "Rolling mean absolute error of the daily median net-outflow forecast, whole units", ["pool", "asset"]),
    forecastMase: gauge("juapesa_keeper_forecast_mase", "Rolling MASE of the daily median net-outflow forecast", ["pool", "asset"]),
    validationMase: gauge("juapesa_keeper_forecast_validation_mase", "MASE the forecaster scored on the series' own last week when chosen", ["pool", "asset"]),
    forecaster: gauge("juapesa_keeper_forecaster", "1 for the forecaster in use for the series", ["pool", "asset", "forecaster"]),
    orders: gauge("juapesa_keeper_orders", "Orders by state", ["state"]),
    alerts: gauge("juapesa_keeper_alerts", "Open alerts by kind", ["kind"]),
    alertsOpened: counter("juapesa_keeper_alerts_opened_total", "Alerts opened since start", ["kind"]),
    ticks: counter("juapesa_keeper_ticks_total", "Keeper loop runs", ["outcome"]),
    lastTick: gauge("juapesa_keeper_last_tick_timestamp_seconds", "When the last successful tick ended"),
    flowEvents: counter("juapesa_keeper_flow_events_ingested_total", "Chain flow events recorded since start"),
    mode: gauge("juapesa_keeper_mode", "1 for the keeper's current mode", ["mode"]),
    dryRun: gauge("juapesa_keeper_dry_run", "1 when the keeper plans but never sends"),
  };
}

export type KeeperMetrics = ReturnType<typeof createKeeperMetrics>;
