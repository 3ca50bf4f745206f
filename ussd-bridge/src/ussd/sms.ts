/**
 * The SMS notices that follow USSD money actions, each in its reader's language.
 *
 * Every notice's id is derived from what it reports (the operation id and the reader's side), and
 * the SMS sender queues an id once: the screen that saw the receipt in time and the late-settlement
 * listener may both send "sent", a gateway retry may repeat a hop, and the person still gets one
 * text. Sending never blocks or fails a screen: the sender queues and retries on its own.
 */
import { opIdHex } from "../money/op-id.js";
import type { AccountId, AssetSymbol, E164, Lang, OperationRecord } from "../ports.js";
import { formatMoney } from "./amounts.js";
import type { UssdDeps } from "./deps.js";
import { catalogFor } from "./i18n/index.js";
import { refOf } from "./menu/kit.js";
import { maskForScreen } from "./phone-text.js";

export interface Party {
  phone: E164;
  lang: Lang;
}

function send(deps: UssdDeps, id: string, to: E164, message: string): void {
  const failed = (error: unknown) => console.error(`ussd: SMS ${id.slice(0, 20)} not queued: ${(error as Error)?.name ?? "error"}`);
  try {
    deps.sms.notify(id, to, message).catch(failed);
  } catch (error) {
    failed(error);
  }
}

export function serviceCodeOf(deps: UssdDeps): string {
  return deps.config.serviceCodes[0] ?? "*789#";
}

/** A transfer that went through: the payer is told (recipient masked), the payee learns who paid. */
export function textTransferDone(deps: UssdDeps, opId: bigint, payer: Party, payee: Party, asset: AssetSymbol, amount: bigint): void {
  const id = opIdHex(opId);
  const ref = refOf(opId);
  send(deps, `${id}:payer`, payer.phone, catalogFor(payer.lang).sms.sent({ amount: formatMoney(amount, asset, payer.lang), to: maskForScreen(payee.phone), ref }));
  send(
    deps,
    `${id}:payee`,
    payee.phone,
    catalogFor(payee.lang).sms.received({ amount: formatMoney(amount, asset, payee.lang), from: payer.phone, ref, code: serviceCodeOf(deps) }),
  );
}

export function textTransferFailed(deps: UssdDeps, opId: bigint, payer: Party, payeePhone: E164, asset: AssetSymbol, amount: bigint): void {
  send(deps, `${opIdHex(opId)}:failed`, payer.phone, catalogFor(payer.lang).sms.sendFailed({ amount: formatMoney(amount, asset, payer.lang), to: maskForScreen(payeePhone) }));
}

export function textConvertDone(deps: UssdDeps, opId: bigint, owner: Party, from: AssetSymbol, amountIn: bigint, to: AssetSymbol, amountOut: bigint): void {
  const t = catalogFor(owner.lang);
  send(deps, `${opIdHex(opId)}:convert`, owner.phone, t.sms.converted({ amountIn: formatMoney(amountIn, from, owner.lang), amountOut: formatMoney(amountOut, to, owner.lang), ref: refOf(opId) }));
}

export function textConvertFailed(deps: UssdDeps, opId: bigint, owner: Party, from: AssetSymbol, amountIn: bigint): void {
  send(deps, `${opIdHex(opId)}:failed`, owner.phone, catalogFor(owner.lang).sms.convertFailed({ amountIn: formatMoney(amountIn, from, owner.lang) }));
}

export function textInvite(deps: UssdDeps, id: string, inviter: E164, invitee: E164, lang: Lang): void {
  send(deps, id, invitee, catalogFor(lang).sms.invite({ from: inviter, code: serviceCodeOf(deps) }));
}

export function textRequest(deps: UssdDeps, requestId: string, requester: E164, payer: Party, asset: AssetSymbol, amount: bigint): void {
  send(deps, `request:${requestId}`, payer.phone, catalogFor(payer.lang).sms.request({ amount: formatMoney(amount, asset, payer.lang), from: requester, code: serviceCodeOf(deps) }));
}

const isAsset = (symbol: string | undefined): symbol is AssetSymbol => symbol === "cNGN" || symbol === "USDC" || symbol === "XAUt";

/**
 * Texts the outcome of a USSD transfer or conversion that settled after its screen had answered
 * "in progress". Registered once per bridge with `money.onSettled`.
 */
export async function textLateSettlement(deps: UssdDeps, op: OperationRecord): Promise<void> {
  if (op.origin !== "ussd" || (op.kind !== "transfer" && op.kind !== "convert")) return;
  const owner = await partyOf(deps, op.accountId);
  if (!owner) return;
  if (op.kind === "transfer") {
    const payee = op.counterpartyId ? await partyOf(deps, op.counterpartyId) : undefined;
    if (!payee) return;
    if (op.status === "done") textTransferDone(deps, op.opId, owner, payee, op.asset, op.amount);
    else if (op.status === "failed") textTransferFailed(deps, op.opId, owner, payee.phone, op.asset, op.amount);
    return;
  }
  if (op.status === "done" && isAsset(op.assetOut) && op.amountOut !== undefined) textConvertDone(deps, op.opId, owner, op.asset, op.amount, op.assetOut, op.amountOut);
  else if (op.status === "failed") textConvertFailed(deps, op.opId, owner, op.asset, op.amount);
}

async function partyOf(deps: UssdDeps, accountId: AccountId): Promise<Party | undefined> {
  const user = await deps.registry.findByAccount(accountId);
  return user ? { phone: user.phone, lang: user.lang } : undefined;
}
