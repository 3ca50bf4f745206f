/**
 * Partner secrets: `JUAPESA_PARTNERS` (JSON `{"partner-id": "secret hex"}`) or a file named by
 * `JUAPESA_PARTNERS_FILE` holding the same JSON. A secret is at least 32 random bytes, as hex
 * (`openssl rand -hex 32`). Messages name the partner, never its secret.
 */
import { existsSync, readFileSync } from "node:fs";

export const PARTNER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class PartnersConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PartnersConfigError";
  }
}

export function parsePartners(json: unknown, where: string): Map<string, Buffer> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new PartnersConfigError(`${where} must be a JSON object {"partner-id": "secret hex"}.`);
  }
  const partners = new Map<string, Buffer>();
  for (const [id, secret] of Object.entries(json)) {
    if (!PARTNER_ID.test(id)) throw new PartnersConfigError(`${where}: partner id "${id}" must be 1-64 lowercase letters, digits, ".", "_" or "-".`);
    const hex = typeof secret === "string" ? secret.trim().replace(/^0x/, "") : "";
    if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0 || hex.length < 64) {
      throw new PartnersConfigError(`${where}: the secret of partner "${id}" must be at least 32 bytes as hex (e.g. \`openssl rand -hex 32\`).`);
    }
    partners.set(id, Buffer.from(hex, "hex"));
  }
  return partners;
}

/** The partners from the environment; an empty map when none are configured (every request is then refused). */
export function partnersFromEnv(env: NodeJS.ProcessEnv = process.env): Map<string, Buffer> {
  const inline = env.JUAPESA_PARTNERS?.trim();
  const file = env.JUAPESA_PARTNERS_FILE?.trim();
  if (inline && file) throw new PartnersConfigError("Set JUAPESA_PARTNERS or JUAPESA_PARTNERS_FILE, not both.");
  let text: string | undefined = inline;
  const where = inline ? "JUAPESA_PARTNERS" : `JUAPESA_PARTNERS_FILE (${file})`;
  if (file) {
    if (!existsSync(file)) throw new PartnersConfigError(`JUAPESA_PARTNERS_FILE names ${file}, which does not exist.`);
    text = readFileSync(file, "utf8");
  }
  if (!text) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PartnersConfigError(`${where} is not valid JSON; expected {"partner-id": "secret hex"}.`);
  }
  return parsePartners(json, where);
}
