/**
 * Deploys the protocol through the Ignition module and seeds it the way a first day of operation
 * would: attested reserve reports, attested mints to a liquidity provider, and the LP's deposits.
 * One routine for the local stack (`npm start`), the gas benchmark and the end-to-end tests.
 */
import {
  keccak256,
  parseUnits,
  toHex,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type PrivateKeyAccount,
} from "viem";
import type { NetworkConnection } from "hardhat/types/network";

import JuaPesaModule from "../../ignition/modules/JuaPesa.js";
import { signStatement, SupplyChangeKind, type SupplyChange } from "../../sdk/attestation.js";
import { gasLimitFor, type GasLimitOptions } from "../../sdk/gas.js";
import { ASSETS, feedId, type AssetSpec } from "../../sdk/protocol.js";

/** Seed liquidity: $1,000,000 of pool value at the seed rates, split by the pool's weights. */
export const SEED_LIQUIDITY: Record<AssetSpec["symbol"], bigint> = {
  cNGN: parseUnits("580000000", 6), // ₦580M ≈ $400k at ₦1,450
  USDC: parseUnits("400000", 6),
  XAUt: parseUnits("50", 6), // 50 oz ≈ $200k at $4,000
};
/** Attested reserves leave room for cash-ins on top of the seed liquidity. */
const RESERVE_MULTIPLE = 10n;

export interface StackOptions {
  attesters: readonly PrivateKeyAccount[]; // sorted or not; signatures are packed in ledger order
  threshold?: bigint;
  /** Report the seed rates from the deployer (default true); needs the deployer to be the reporter. */
  seedRates?: boolean;
  /** Ignition role parameters (operator, compliance, keeper, reporter, guardian); default: the deployer. */
  roles?: Partial<Record<"operator" | "compliance" | "keeper" | "reporter" | "guardian", Address>>;
  /** Wallet index of the LP that receives and deposits the seed liquidity (default 0, the admin). */
  lpIndex?: number;
}

export async function deployStack(conn: NetworkConnection, options: StackOptions) {
  const { viem, ignition } = conn as NetworkConnection & { ignition: any };
  const deployed = await ignition.deploy(JuaPesaModule, {
    parameters: {
      JuaPesa: {
        attesters: options.attesters.map((a) => a.address),
        threshold: options.threshold ?? 2n,
        ...options.roles,
      },
    },
  });
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  if (options.seedRates ?? true) {
    // The deployer is every feed's reporter unless `roles.reporter` says otherwise; a local chain starts
    // from the seed rates (see ignition/modules/JuaPesa.ts for why the module does not report them).
    const [admin] = await viem.getWalletClients();
    const oracle = await viem.getContractAt("FxOracle", deployed.oracle.address as Address);
    for (const asset of ASSETS) {
      if (!asset.feed) continue;
      await send(conn, admin!, { address: oracle.address, abi: oracle.abi, functionName: "report", args: [feedId(asset.feed.name), asset.feed.seedRate] });
    }
  }
  const addresses = {
    chainId,
    ledger: deployed.ledger.address as Address,
    oracle: deployed.oracle.address as Address,
    pool: deployed.pool.address as Address,
    router: deployed.router.address as Address,
    vault: deployed.vault.address as Address,
    cNGN: deployed.cNGN.address as Address,
    USDC: deployed.USDC.address as Address,
    XAUt: deployed.XAUt.address as Address,
  };
  const contracts = {
    ledger: await viem.getContractAt("AttestationLedger", addresses.ledger),
    oracle: await viem.getContractAt("FxOracle", addresses.oracle),
    pool: await viem.getContractAt("LiquidityPool", addresses.pool),
    router: await viem.getContractAt("Router", addresses.router),
    vault: await viem.getContractAt("CustodialVault", addresses.vault),
    tokens: {
      cNGN: await viem.getContractAt("AttestedToken", addresses.cNGN),
      USDC: await viem.getContractAt("AttestedToken", addresses.USDC),
      XAUt: await viem.getContractAt("AttestedToken", addresses.XAUt),
    },
  };
  return { addresses, contracts, domain: { chainId, verifyingContract: addresses.ledger } };
}

export type Stack = Awaited<ReturnType<typeof deployStack>>;

let statementNonce = BigInt(Date.now()) << 20n;

/** Attests reserves for every asset and mints the seed liquidity to the LP, who deposits it. */
export async function seedStack(conn: NetworkConnection, stack: Stack, options: StackOptions) {
  const { viem } = conn;
  const wallets = await viem.getWalletClients();
  const admin = wallets[0]!;
  const lp = wallets[options.lpIndex ?? 0]!;
  const publicClient = await viem.getPublicClient();
  const signers = options.attesters.slice(0, Number(options.threshold ?? 2n));
  const now = (await publicClient.getBlock()).timestamp;

  for (const asset of ASSETS) {
    const token = stack.contracts.tokens[asset.symbol];
    const amount = SEED_LIQUIDITY[asset.symbol];
    const report = {
      asset: token.address,
      reserve: amount * RESERVE_MULTIPLE,
      asOf: now - 1n,
      custodianRef: keccak256(toHex(`seed custodian statement ${asset.symbol}`)),
      nonce: ++statementNonce,
    };
    const reportSignatures = await signStatement(signers, stack.domain, "ReserveReport", report);
    const ledger = stack.contracts.ledger;
    await send(conn, admin, { address: ledger.address, abi: ledger.abi, functionName: "submitReserveReport", args: [report, reportSignatures] });
    const mint: SupplyChange = {
      kind: SupplyChangeKind.Mint,
      asset: token.address,
      holder: lp.account.address,
      account: `0x${"00".repeat(32)}`,
      amount,
      ref: keccak256(toHex(`seed liquidity ${asset.symbol}`)),
      nonce: ++statementNonce,
      deadline: now + 3_600n,
    };
    const mintSignatures = await signStatement(signers, stack.domain, "SupplyChange", mint);
    await send(conn, admin, { address: token.address, abi: token.abi, functionName: "mint", args: [mint, mintSignatures] }, { errorAbis: [ledger.abi] });
    await send(conn, lp, { address: token.address, abi: token.abi, functionName: "approve", args: [stack.addresses.pool, amount] });
    const pool = stack.contracts.pool;
    await send(conn, lp, { address: pool.address, abi: pool.abi, functionName: "deposit", args: [token.address, amount, 0n, lp.account.address] });
  }
}

type Wallet = Awaited<ReturnType<NetworkConnection["viem"]["getWalletClients"]>>[number];

/**
 * Sends a contract call from `wallet` with the gas limit every JuaPesa sender uses (estimate plus a
 * small margin, sdk/gas.ts), so a deployment on Hedera never pays for a padded limit, and waits for it.
 */
export async function send<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
>(conn: NetworkConnection, wallet: Wallet, call: { address: Address; abi: abi; functionName: functionName; args: args }, options: GasLimitOptions = {}) {
  const publicClient = await conn.viem.getPublicClient();
  const request = { ...call, account: wallet.account };
  const gas = await gasLimitFor(publicClient, request, options);
  // viem cannot check a generic functionName against writeContract's conditional types; the call site is typed.
  return waitFor(conn, wallet.writeContract({ ...request, gas, chain: wallet.chain } as Parameters<Wallet["writeContract"]>[0]));
}

async function waitFor(conn: NetworkConnection, hash: Promise<`0x${string}`>) {
  const publicClient = await conn.viem.getPublicClient();
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
  return receipt;
}
