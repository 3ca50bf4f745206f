/**
 * The Africa's Talking callback contract at the door: what a valid USSD hop and end-of-session
 * notice look like, and the clear 4xx message for anything else. Nothing past this file sees an
 * unvalidated field.
 *
 * A hop is `application/x-www-form-urlencoded` with sessionId, serviceCode, phoneNumber, networkCode
 * and text; the notice carries sessionId and status (Success, Incomplete, Failed) among others.
 * Messages never repeat a field's value (a phone number must not land in a gateway's logs twice).
 */
import type { CountryCode } from "libphonenumber-js";

import { normalisePhone } from "../../../sdk/phone.js";
import type { E164 } from "../ports.js";
import type { EndStatus, HopRequest } from "./engine.js";

/** A whole session's input: about 40 hops of up to 10 characters each. */
export const MAX_TEXT_CHARS = 400;
/** More inputs than a gateway's session lasts (about 180 s, a few seconds per hop). */
export const MAX_INPUTS = 40;
/** Largest form body read at all. */
export const MAX_BODY_BYTES = 4096;
const MAX_SESSION_ID = 128;

export type Rejection = { ok: false; status: 400 | 404 | 413 | 415; message: string };

export function isForm(contentType: string | undefined): boolean {
  return (contentType ?? "").toLowerCase().split(";")[0]!.trim() === "application/x-www-form-urlencoded";
}

export const NOT_A_FORM: Rejection = {
  ok: false,
  status: 415,
  message: "Send the callback as application/x-www-form-urlencoded, as Africa's Talking does.",
};

export const TOO_LARGE: Rejection = { ok: false, status: 413, message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` };

function field(form: URLSearchParams, name: string): { value?: string; problem?: Rejection } {
  const all = form.getAll(name);
  if (all.length === 0) return { problem: { ok: false, status: 400, message: `The form field "${name}" is missing.` } };
  if (all.length > 1) return { problem: { ok: false, status: 400, message: `The form field "${name}" appears more than once.` } };
  return { value: all[0]! };
}

function sessionIdFrom(form: URLSearchParams): { value?: string; problem?: Rejection } {
  const id = field(form, "sessionId");
  if (id.problem) return id;
  if (!/^[\x21-\x7e]+$/.test(id.value!) || id.value!.length > MAX_SESSION_ID) {
    return { problem: { ok: false, status: 400, message: `"sessionId" must be 1 to ${MAX_SESSION_ID} printable ASCII characters without spaces.` } };
  }
  return id;
}

/** Normalised phone numbers by what the gateway sent, so a hop does not parse the same number again. */
const phoneMemo = new Map<string, E164 | null>();

function phoneFrom(raw: string, defaultCountry: string): E164 | undefined {
  const key = `${defaultCountry}|${raw}`;
  const known = phoneMemo.get(key);
  if (known !== undefined) return known ?? undefined;
  const phone = normalisePhone(raw, defaultCountry as CountryCode) ?? null;
  if (phoneMemo.size > 50_000) phoneMemo.clear();
  phoneMemo.set(key, phone);
  return phone ?? undefined;
}

export function readHop(body: string, config: { serviceCodes: readonly string[]; defaultCountry: string }): { ok: true; hop: HopRequest } | Rejection {
  const form = new URLSearchParams(body);
  const sessionId = sessionIdFrom(form);
  if (sessionId.problem) return sessionId.problem;
  const serviceCode = field(form, "serviceCode");
  if (serviceCode.problem) return serviceCode.problem;
  if (!config.serviceCodes.includes(serviceCode.value!.trim())) {
    return { ok: false, status: 404, message: `This bridge does not answer that service code; it answers ${config.serviceCodes.join(", ")}.` };
  }
  const phoneNumber = field(form, "phoneNumber");
  if (phoneNumber.problem) return phoneNumber.problem;
  const phone = phoneFrom(phoneNumber.value!, config.defaultCountry);
  if (!phone) return { ok: false, status: 400, message: `"phoneNumber" is not a valid phone number; send it in international format, like +254712345678.` };
  const network = form.getAll("networkCode");
  if (network.length > 1 || (network[0] !== undefined && !/^\d{0,10}$/.test(network[0]))) {
    return { ok: false, status: 400, message: `"networkCode" must be the network's MCC and MNC in digits, like 63902, sent once.` };
  }
  const text = field(form, "text");
  if (text.problem) return text.problem;
  if (text.value!.length > MAX_TEXT_CHARS) return { ok: false, status: 413, message: `"text" is longer than ${MAX_TEXT_CHARS} characters.` };
  if (text.value!.split("*").length > MAX_INPUTS) return { ok: false, status: 413, message: `"text" holds more than ${MAX_INPUTS} inputs.` };
  return { ok: true, hop: { sessionId: sessionId.value!, phone, network: network[0] ?? "", text: text.value! } };
}

const END_STATUSES: readonly EndStatus[] = ["Success", "Incomplete", "Failed"];

export function readEndNotice(body: string): { ok: true; sessionId: string; status: EndStatus } | Rejection {
  const form = new URLSearchParams(body);
  const sessionId = sessionIdFrom(form);
  if (sessionId.problem) return sessionId.problem;
  const status = field(form, "status");
  if (status.problem) return status.problem;
  if (!END_STATUSES.includes(status.value as EndStatus)) {
    return { ok: false, status: 400, message: `"status" must be one of ${END_STATUSES.join(", ")}.` };
  }
  return { ok: true, sessionId: sessionId.value!, status: status.value as EndStatus };
}
