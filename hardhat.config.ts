import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// Hardhat would download solc; this machine (and CI) has no internet, so we compile with the
// wasm build shipped in the `solc` npm package. The version must match soljson's own.
const solcVersion: string = require("solc/package.json").version;
const solcPath: string = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    profiles: {
      default: {
        version: solcVersion,
        path: solcPath,
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun", viaIR: false },
      },
      production: {
        version: solcVersion,
        path: solcPath,
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
    },
  },
  paths: {
    tests: { solidity: "test/solidity", nodejs: "test/ts" },
  },
  test: {
    solidity: {
      fuzz: { runs: 256, seed: "0x4a7561506573610a" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: process.env.JUAPESA_LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    // Hedera is reached through a JSON-RPC relay (Hashio or your own); URL and key come from the
    // environment or the Hardhat keystore (`npx hardhat keystore set HEDERA_PRIVATE_KEY`).
    hederaTestnet: {
      type: "http",
      chainType: "generic",
      chainId: 296,
      url: configVariable("HEDERA_TESTNET_RPC_URL"),
      accounts: [configVariable("HEDERA_PRIVATE_KEY")],
    },
    hederaMainnet: {
      type: "http",
      chainType: "generic",
      chainId: 295,
      url: configVariable("HEDERA_MAINNET_RPC_URL"),
      accounts: [configVariable("HEDERA_PRIVATE_KEY")],
    },
  },
});
