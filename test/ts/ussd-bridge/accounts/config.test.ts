/**
 * The bridge's configuration: defaults for a local stack, and one error naming every bad variable
 * without repeating a secret.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";

import { BridgeConfigError, DEFAULTS, loadBridgeConfig } from "../../../../ussd-bridge/src/config.js";
import { HARDHAT_KEY_0 } from "../money/fixture.js";

const PEPPER = "ab".repeat(32);
const minimal = { JUAPESA_PEPPER: PEPPER, JUAPESA_OPERATOR_KEY: HARDHAT_KEY_0 };

describe("bridge configuration", () => {
  it("fills in the local defaults around the two required secrets", () => {
    const config = loadBridgeConfig(minimal);
    assert.equal(config.pepper.toString("hex"), PEPPER);
    assert.deepEqual(config.database, { url: undefined, sqlitePath: DEFAULTS.sqlitePath });
    assert.deepEqual(config.chain, { rpcUrl: "http://127.0.0.1:8545", chainId: 31337, operatorKey: HARDHAT_KEY_0, complianceKey: HARDHAT_KEY_0 });
    assert.equal(config.budgetMs, 3_000);
    assert.equal(config.defaultCountry, "KE");
    assert.deepEqual(config.pinScrypt, { N: 32_768, r: 8, p: 1 });
    assert.ok(config.countries.includes("NG"));
    assert.equal(config.slippageBps, 100);
  });

  it("reads every variable it is given", () => {
    const config = loadBridgeConfig({
      ...minimal,
      DATABASE_URL: "pglite://memory",
      JUAPESA_RPC_URL: "https://testnet.hashio.io/api",
      JUAPESA_CHAIN_ID: "296",
      JUAPESA_COMPLIANCE_KEY: `0x${"11".repeat(32)}`,
      USSD_BUDGET_MS: "0",
      JUAPESA_DEFAULT_COUNTRY: "ng",
      JUAPESA_COUNTRIES: "NG, gh",
      JUAPESA_PIN_SCRYPT_N: "16384",
      JUAPESA_PIN_SCRYPT_R: "8",
      JUAPESA_PIN_SCRYPT_P: "2",
      USSD_SLIPPAGE_BPS: "50",
    });
    assert.equal(config.database.url, "pglite://memory");
    assert.deepEqual([config.chain.rpcUrl, config.chain.chainId, config.chain.complianceKey], ["https://testnet.hashio.io/api", 296, `0x${"11".repeat(32)}`]);
    assert.deepEqual([config.budgetMs, config.defaultCountry, config.countries], [0, "NG", ["NG", "GH"]]);
    assert.deepEqual(config.pinScrypt, { N: 16_384, r: 8, p: 2 });
    assert.equal(config.slippageBps, 50);
  });

  it("takes the pepper and the keys from files", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bridge-config-"));
    writeFileSync(path.join(dir, "pepper"), `${PEPPER}\n`);
    writeFileSync(path.join(dir, "operator"), `${HARDHAT_KEY_0.slice(2)}\n`);
    const config = loadBridgeConfig({ JUAPESA_PEPPER_FILE: path.join(dir, "pepper"), JUAPESA_OPERATOR_KEY_FILE: path.join(dir, "operator") });
    assert.equal(config.pepper.toString("hex"), PEPPER);
    assert.equal(config.chain.operatorKey, HARDHAT_KEY_0);
  });

  it("names every missing or malformed variable in one error, never repeating a secret", () => {
    const badKey = `0x${"zz".repeat(32)}`;
    let caught: unknown;
    try {
      loadBridgeConfig({
        JUAPESA_OPERATOR_KEY: badKey,
        JUAPESA_COMPLIANCE_KEY: "0x1234",
        DATABASE_URL: "mysql://db",
        JUAPESA_RPC_URL: "ws://node",
        JUAPESA_CHAIN_ID: "abc",
        USSD_BUDGET_MS: "-5",
        JUAPESA_DEFAULT_COUNTRY: "XX",
        JUAPESA_COUNTRIES: "KE,Kenya",
        JUAPESA_PIN_SCRYPT_N: "1000",
        USSD_SLIPPAGE_BPS: "1001",
      });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof BridgeConfigError);
    const names = ["JUAPESA_PEPPER", "JUAPESA_OPERATOR_KEY", "JUAPESA_COMPLIANCE_KEY", "DATABASE_URL", "JUAPESA_RPC_URL", "JUAPESA_CHAIN_ID", "USSD_BUDGET_MS", "JUAPESA_DEFAULT_COUNTRY", "JUAPESA_COUNTRIES", "JUAPESA_PIN_SCRYPT_N", "USSD_SLIPPAGE_BPS"];
    assert.equal(caught.problems.length, names.length, caught.message);
    for (const name of names) assert.match(caught.message, new RegExp(`${name}\\b`), name);
    assert.ok(!caught.message.includes("zz".repeat(32)));
  });

  it("says the operator key is missing and how to provide it", () => {
    assert.throws(() => loadBridgeConfig({ JUAPESA_PEPPER: PEPPER }), (error: BridgeConfigError) => {
      assert.deepEqual(error.problems.length, 1);
      assert.match(error.problems[0]!, /JUAPESA_OPERATOR_KEY is missing.*JUAPESA_OPERATOR_KEY_FILE/);
      return true;
    });
  });

  it("refuses a pepper shorter than 32 bytes and a pepper file that does not exist", () => {
    assert.throws(() => loadBridgeConfig({ ...minimal, JUAPESA_PEPPER: "abcd" }), /JUAPESA_PEPPER: the pepper must be at least 32 bytes/);
    assert.throws(() => loadBridgeConfig({ JUAPESA_OPERATOR_KEY: HARDHAT_KEY_0, JUAPESA_PEPPER_FILE: "/nonexistent/pepper" }), /JUAPESA_PEPPER_FILE names \/nonexistent\/pepper, which does not exist/);
  });
});
