/**
 * Points each HtsIssuer at its HTS token: `setToken(token)`, which an issuer accepts once and only from
 * its admin. Run it after create-tokens and before the JuaPesaHedera module, whose `addIssuer` reads
 * the issuer's token. Sent through the JSON-RPC relay with viem, gas from sdk/gas.ts.
 *
 *   tsx scripts/hedera/set-issuer-token.ts --issuer cNGN=0.0.5001 --token cNGN=0.0.6001 [...] [--dry-run]
 *
 *   --issuer SYMBOL=ID   an issuer: contract id (0.0.x) or EVM address (repeat per token)
 *   --token SYMBOL=ID    its token: token id (0.0.x) or long-zero address (repeat per token)
 *   --key-env NAME       the variable holding the issuers' admin key, ECDSA (default HEDERA_OPERATOR_KEY,
 *                        whose EVM address deploy-issuers makes the admin unless told otherwise)
 *   --rpc URL            the relay (default: HEDERA_NETWORK's, e.g. HEDERA_TESTNET_RPC_URL, else Hashio)
 *   --dry-run            print each call with its calldata, and stop; needs no key and no network
 *
 * An issuer whose token is already the one named is left alone, so a rerun is harmless; one pointing
 * at another token is an error (setToken is once only).
 */
import { parseArgs } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getAddress,
  http,
  isAddress,
  isAddressEqual,
  zeroAddress,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { htsIssuerAbi } from "../../sdk/abis.generated.js";
import { gasLimitFor } from "../../sdk/gas.js";
import { addressToEntityId, entityIdToAddress, hederaRpcUrl, type HederaNetwork } from "../../sdk/hedera.js";
import { ASSETS } from "../../sdk/protocol.js";
import { dryRunBanner, isEntryPoint, runCli, table } from "./lib/cli.js";
import { OPERATOR_KEY, evmPrivateKeyFromEnv, networkFromEnv, requireEnv } from "./lib/env.js";

export interface SetTokenCall {
  symbol: string;
  issuer: Address;
  token: Address;
  data: Hex;
}

/** "0.0.5001" (its long-zero address) or an EVM address. */
function addressOf(text: string, what: string): Address {
  const value = text.trim();
  if (/^\d+\.\d+\.\d+$/.test(value)) return entityIdToAddress(value);
  if (isAddress(value, { strict: false })) return getAddress(value);
  throw new Error(`${what} must be an entity id like 0.0.5001 or an EVM address, got "${text}"`);
}

/** SYMBOL=ID entries of one flag, by symbol. */
function bySymbol(flag: string, entries: readonly string[]): Map<string, Address> {
  const out = new Map<string, Address>();
  for (const entry of entries) {
    const [symbol, id, ...extra] = entry.split("=");
    if (!symbol || !id || extra.length > 0) throw new Error(`--${flag} takes SYMBOL=ID, got "${entry}"`);
    if (!ASSETS.some((a) => a.symbol === symbol)) throw new Error(`Unknown token ${symbol}; JuaPesa issues ${ASSETS.map((a) => a.symbol).join(", ")}.`);
    if (out.has(symbol)) throw new Error(`--${flag} names ${symbol} twice`);
    out.set(symbol, addressOf(id, `--${flag} ${symbol}`));
  }
  return out;
}

/** One setToken per issuer; every issuer needs its token and every token its issuer. */
export function setTokenCalls(issuerArgs: readonly string[], tokenArgs: readonly string[]): SetTokenCall[] {
  const issuers = bySymbol("issuer", issuerArgs);
  const tokens = bySymbol("token", tokenArgs);
  if (issuers.size === 0) throw new Error("Name at least one issuer and its token: --issuer cNGN=0.0.5001 --token cNGN=0.0.6001");
  for (const symbol of tokens.keys()) if (!issuers.has(symbol)) throw new Error(`--token ${symbol} has no --issuer ${symbol}`);
  return [...issuers].map(([symbol, issuer]) => {
    const token = tokens.get(symbol);
    if (!token) throw new Error(`--issuer ${symbol} has no --token ${symbol}`);
    return { symbol, issuer, token, data: encodeFunctionData({ abi: htsIssuerAbi, functionName: "setToken", args: [token] }) };
  });
}

const withEntityId = (address: Address) => {
  const id = addressToEntityId(address);
  return id ? `${address} (${id})` : address;
};

export function describeSetTokenCalls(calls: readonly SetTokenCall[]): string[] {
  return calls.flatMap((call) => [
    "",
    `setToken ${call.symbol}`,
    ...table([
      ["issuer", withEntityId(call.issuer)],
      ["function", "setToken(address)"],
      ["token", withEntityId(call.token)],
      ["calldata", call.data],
    ]),
  ]);
}

export interface RelayClients {
  public: PublicClient<Transport, Chain | undefined>;
  wallet: WalletClient<Transport, Chain | undefined, Account>;
}

/** Sends one setToken unless the issuer already has that token; returns what happened. */
export async function sendSetToken(clients: RelayClients, call: SetTokenCall): Promise<"set" | "already set"> {
  const current = await clients.public.readContract({ address: call.issuer, abi: htsIssuerAbi, functionName: "token" });
  if (isAddressEqual(current, call.token)) return "already set";
  if (!isAddressEqual(current, zeroAddress)) throw new Error(`the ${call.symbol} issuer ${call.issuer} already issues ${current}; setToken works once`);
  const request = { address: call.issuer, abi: htsIssuerAbi, functionName: "setToken", args: [call.token], account: clients.wallet.account } as const;
  // setToken only stores an address and never calls the token service, so the default margin applies.
  const gas = await gasLimitFor(clients.public, request, { errorAbis: [htsIssuerAbi] });
  const hash = await clients.wallet.writeContract({ ...request, gas, chain: clients.wallet.chain });
  const receipt = await clients.public.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`setToken on ${call.issuer} reverted (transaction ${hash})`);
  return "set";
}

function relayClients(network: HederaNetwork, rpcUrl: string, account: Account): RelayClients {
  const chain = defineChain({
    id: network.chainId,
    name: `Hedera ${network.name}`,
    // The relay reports HBAR with 18 decimals (weibar, HIP-410).
    nativeCurrency: { name: "HBAR", symbol: "HBAR", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return {
    public: createPublicClient({ chain, transport: http(rpcUrl) }),
    wallet: createWalletClient({ chain, transport: http(rpcUrl), account }),
  };
}

export async function setIssuerToken(argv: string[], env: NodeJS.ProcessEnv = process.env, log = console.log): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      issuer: { type: "string", multiple: true, default: [] },
      token: { type: "string", multiple: true, default: [] },
      "key-env": { type: "string", default: OPERATOR_KEY.name },
      rpc: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const network = networkFromEnv(env);
  const calls = setTokenCalls(values.issuer, values.token);
  const keyEnv = values["key-env"];
  const rpcUrl = values.rpc ?? hederaRpcUrl(network, env);

  if (values["dry-run"]) {
    log([dryRunBanner(network), `Sender: the issuers' admin, the EVM address of ${keyEnv}, through ${rpcUrl}`, ...describeSetTokenCalls(calls)].join("\n"));
    return;
  }

  requireEnv([{ name: keyEnv, purpose: "the issuers' admin key (ECDSA), which sends setToken through the relay" }], env);
  const account = privateKeyToAccount(evmPrivateKeyFromEnv(keyEnv, env));
  const clients = relayClients(network, rpcUrl, account);
  const chainId = await clients.public.getChainId().catch((error: Error) => {
    throw new Error(`cannot reach the relay ${rpcUrl}: ${error.message.split("\n")[0]}`);
  });
  if (chainId !== network.chainId) throw new Error(`${rpcUrl} serves chain ${chainId}, not Hedera ${network.name} (${network.chainId})`);
  for (const call of calls) {
    const outcome = await sendSetToken(clients, call);
    log(`${call.symbol}: issuer ${call.issuer} ${outcome === "set" ? "now issues" : "already issues"} ${call.token}`);
  }
}

if (isEntryPoint(import.meta.url)) await runCli(() => setIssuerToken(process.argv.slice(2)));
