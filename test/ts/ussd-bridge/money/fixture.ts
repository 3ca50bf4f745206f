/**
 * A real in-process chain with the protocol deployed and seeded as `npm start` does, and viem
 * clients for the bridge's operator, which is the deployment's admin (it holds the operator and
 * compliance roles on a local stack). The operator signs locally with its private key, as the bridge
 * does in production, so sends go through eth_sendRawTransaction with the nonces the bridge assigns.
 */
import assert from "node:assert/strict";
import { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, keccak256, toHex, type Hex, type PublicClient, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { deployStack, seedStack, type Stack } from "../../../../scripts/lib/stack.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../../../../sdk/attestation.js";
import type { Deployment } from "../../../../sdk/deployments.js";
import type { Compliance, E164, ScreeningResult } from "../../../../ussd-bridge/src/ports.js";
import { testAccount } from "../../helpers/attesters.js";

/** Account 0 of Hardhat's default development mnemonic ("test test … junk"): a public test key. */
export const HARDHAT_KEY_0: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** Cheap but real scrypt for tests (production defaults are in config.ts). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export const TEST_PEPPER = Buffer.from(keccak256(toHex("juapesa-test pepper")).slice(2) + keccak256(toHex("more")).slice(2), "hex");

export interface ChainFixture {
  conn: Awaited<ReturnType<typeof network.create>>;
  stack: Stack;
  deployment: Deployment;
  public: PublicClient;
  wallet: WalletClient;
  /** Signs attested supply changes for the vault (credits and debits). */
  signMint(account: Hex, asset: "cNGN" | "USDC" | "XAUt", amount: bigint, label: string): Promise<{ change: SupplyChange; signatures: Hex }>;
  signBurn(account: Hex, asset: "cNGN" | "USDC" | "XAUt", amount: bigint, label: string): Promise<{ change: SupplyChange; signatures: Hex }>;
}

const attesters = [0, 1, 2].map((i) => testAccount(`bridge-money-attester-${i}`));
let statementNonce = 1n << 40n;

export async function chainFixture(): Promise<ChainFixture> {
  const conn = await network.create();
  const stack = await deployStack(conn, { attesters, threshold: 2n, seedRates: true });
  await seedStack(conn, stack, { attesters, threshold: 2n });
  const [admin] = await conn.viem.getWalletClients();
  const account = privateKeyToAccount(HARDHAT_KEY_0);
  assert.equal(account.address.toLowerCase(), admin!.account.address.toLowerCase(), "the default Hardhat account 0 must be the deployment's admin");
  const hardhatPublic = await conn.viem.getPublicClient();
  const transport = custom(conn.provider, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhatPublic.chain, transport, pollingInterval: 50 }) as PublicClient;
  const wallet = createWalletClient({ account, chain: hardhatPublic.chain, transport });
  const deployment: Deployment = { ...stack.addresses };

  async function sign(kind: SupplyChangeKind, account: Hex, asset: "cNGN" | "USDC" | "XAUt", amount: bigint, label: string) {
    const block = await publicClient.getBlock();
    const change: SupplyChange = {
      kind,
      asset: deployment[asset],
      holder: deployment.vault,
      account,
      amount,
      ref: keccak256(toHex(`test receipt ${label}`)),
      nonce: ++statementNonce,
      deadline: block.timestamp + 3_600n,
    };
    return { change, signatures: await signStatement(attesters.slice(0, 2), stack.domain, "SupplyChange", change) };
  }

  return {
    conn,
    stack,
    deployment,
    public: publicClient,
    wallet,
    signMint: (a, asset, amount, label) => sign(SupplyChangeKind.Mint, a, asset, amount, label),
    signBurn: (a, asset, amount, label) => sign(SupplyChangeKind.Burn, a, asset, amount, label),
  };
}

/**
 * A small real screening implementation for tests: a number is a hit when it is on the literal list.
 * (The bridge's real sanctions screening belongs to the compliance part.)
 */
export function listScreening(listed: readonly E164[]): Pick<Compliance, "screen"> {
  const set = new Set<string>(listed);
  return {
    async screen({ phone }): Promise<ScreeningResult> {
      return phone && set.has(phone) ? { hit: true, matches: [{ listId: "test-list", score: 1 }] } : { hit: false };
    },
  };
}

/**
 * Clients whose connection dies at a chosen moment, as a crashed bridge's would: "before" a method
 * the request never reaches the chain; "after" the chain answers and then everything fails;
 * "answer-lost" the chain executes it but the bridge never hears back.
 */
export function crashingClients(chain: ChainFixture, method: string, when: "before" | "after" | "answer-lost") {
  let crashed = false;
  const lost = () => new Error("connection lost (simulated crash)");
  const transport = custom(
    {
      async request({ method: m, params }: { method: string; params?: unknown }) {
        if (crashed) throw lost();
        if (m === method && when === "before") {
          crashed = true;
          throw lost();
        }
        const result = await chain.conn.provider.request({ method: m, params: params as never });
        if (m === method && when !== "before") {
          crashed = true;
          if (when === "answer-lost") throw lost();
        }
        return result;
      },
    },
    { retryCount: 0 },
  );
  return {
    public: createPublicClient({ chain: chain.public.chain, transport }) as PublicClient,
    wallet: createWalletClient({ account: privateKeyToAccount(HARDHAT_KEY_0), chain: chain.public.chain, transport }),
  };
}
