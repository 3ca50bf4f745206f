import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { decodeFunctionData, getAddress, zeroAddress } from "viem";

import { describeSetTokenCalls, sendSetToken, setTokenCalls, type RelayClients } from "../../../scripts/hedera/set-issuer-token.js";
import { htsIssuerAbi } from "../../../sdk/abis.generated.js";
import { GasEstimateError } from "../../../sdk/gas.js";
import { runScript } from "./helpers/offline.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const [admin, outsider] = await viem.getWalletClients();
const publicClient = await viem.getPublicClient();
const cNGN = "0x0000000000000000000000000000000000001771"; // 0.0.6001
const XAUt = "0x0000000000000000000000000000000000001773"; // 0.0.6003

describe("set-issuer-token: the calls", () => {
  it("pairs each issuer with its token by symbol and encodes setToken(token)", () => {
    const calls = setTokenCalls(["cNGN=0.0.5001", "XAUt=0x000000000000000000000000000000000000138b"], ["XAUt=0.0.6003", "cNGN=0.0.6001"]);
    assert.deepEqual(
      calls.map(({ symbol, issuer, token }) => [symbol, issuer, token]),
      [
        ["cNGN", "0x0000000000000000000000000000000000001389", cNGN],
        ["XAUt", "0x000000000000000000000000000000000000138B", XAUt],
      ],
    );
    for (const call of calls) {
      const { functionName, args } = decodeFunctionData({ abi: htsIssuerAbi, data: call.data });
      assert.equal(functionName, "setToken");
      assert.deepEqual(args, [call.token]);
    }
    const text = describeSetTokenCalls(calls).join("\n");
    assert.match(text, /issuer\s+0x0000000000000000000000000000000000001389 \(0\.0\.5001\)/);
    assert.match(text, /token\s+0x0000000000000000000000000000000000001771 \(0\.0\.6001\)/);
  });

  it("refuses unpaired, repeated, unknown or malformed entries", () => {
    assert.throws(() => setTokenCalls([], []), /Name at least one issuer and its token/);
    assert.throws(() => setTokenCalls(["cNGN=0.0.5001"], []), /--issuer cNGN has no --token cNGN/);
    assert.throws(() => setTokenCalls(["cNGN=0.0.5001"], ["cNGN=0.0.6001", "XAUt=0.0.6003"]), /--token XAUt has no --issuer XAUt/);
    assert.throws(() => setTokenCalls(["cNGN=0.0.5001", "cNGN=0.0.5002"], ["cNGN=0.0.6001"]), /--issuer names cNGN twice/);
    assert.throws(() => setTokenCalls(["DAI=0.0.5001"], ["DAI=0.0.6001"]), /Unknown token DAI/);
    assert.throws(() => setTokenCalls(["cNGN"], ["cNGN=0.0.6001"]), /--issuer takes SYMBOL=ID, got "cNGN"/);
    assert.throws(() => setTokenCalls(["cNGN=issuer"], ["cNGN=0.0.6001"]), /--issuer cNGN must be an entity id like 0\.0\.5001 or an EVM address/);
  });
});

describe("set-issuer-token: sending", () => {
  async function issuers() {
    const ledger = await viem.deployContract("AttestationLedger", [admin.account.address, [admin.account.address], 1n, 86_400n]);
    const cNGNIssuer = await viem.deployContract("HtsIssuer", [ledger.address, admin.account.address]);
    return { cNGNIssuer };
  }
  const clients = (wallet = admin): RelayClients => ({ public: publicClient, wallet });

  it("sets the token once, and leaves an issuer alone that already has it", async () => {
    const { cNGNIssuer } = await networkHelpers.loadFixture(issuers);
    const [call] = setTokenCalls([`cNGN=${cNGNIssuer.address}`], ["cNGN=0.0.6001"]);
    assert.equal(await cNGNIssuer.read.token(), zeroAddress);
    assert.equal(await sendSetToken(clients(), call!), "set");
    assert.equal(getAddress(await cNGNIssuer.read.token()), cNGN);
    assert.equal(await sendSetToken(clients(), call!), "already set");
  });

  it("refuses an issuer that already issues another token", async () => {
    const { cNGNIssuer } = await networkHelpers.loadFixture(issuers);
    await cNGNIssuer.write.setToken([XAUt]);
    const [call] = setTokenCalls([`cNGN=${cNGNIssuer.address}`], ["cNGN=0.0.6001"]);
    await assert.rejects(sendSetToken(clients(), call!), /the cNGN issuer .* already issues 0x0000000000000000000000000000000000001773; setToken works once/);
  });

  it("sends nothing when the sender is not the issuer's admin, naming the contract's error", async () => {
    const { cNGNIssuer } = await networkHelpers.loadFixture(issuers);
    const [call] = setTokenCalls([`cNGN=${cNGNIssuer.address}`], ["cNGN=0.0.6001"]);
    const before = await publicClient.getTransactionCount({ address: outsider.account.address });
    await assert.rejects(sendSetToken(clients(outsider), call!), (error: Error) => {
      assert.ok(error instanceof GasEstimateError);
      assert.match(error.message, /setToken on .* would revert with AccessControlUnauthorizedAccount\(/);
      return true;
    });
    assert.equal(await publicClient.getTransactionCount({ address: outsider.account.address }), before);
    assert.equal(await cNGNIssuer.read.token(), zeroAddress);
  });
});

describe("set-issuer-token: the command", () => {
  it("--dry-run prints each call with its calldata, with no key and no network", async () => {
    const run = await runScript("set-issuer-token", ["--dry-run", "--issuer", "cNGN=0.0.5001", "--token", "cNGN=0.0.6001"], { HEDERA_NETWORK: "testnet" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /DRY RUN on Hedera testnet \(chain 296\): nothing is signed or sent/);
    assert.match(run.stdout, /Sender: the issuers' admin, the EVM address of HEDERA_OPERATOR_KEY, through https:\/\/testnet\.hashio\.io\/api/);
    assert.match(run.stdout, /setToken cNGN\n\s+issuer\s+0x0000000000000000000000000000000000001389 \(0\.0\.5001\)\n\s+function\s+setToken\(address\)/);
    assert.match(run.stdout, /calldata\s+0x144fa6d70000000000000000000000000000000000000000000000000000000000001771/);
  });

  it("refuses a real run without the admin's key, naming it", async () => {
    const run = await runScript("set-issuer-token", ["--issuer", "cNGN=0.0.5001", "--token", "cNGN=0.0.6001", "--key-env", "HEDERA_ADMIN_KEY"], { HEDERA_NETWORK: "testnet" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Missing environment:\n\s+HEDERA_ADMIN_KEY: the issuers' admin key \(ECDSA\)/);
  });
});
