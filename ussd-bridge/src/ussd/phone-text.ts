/**
 * Phone numbers as screens show them. `maskPhone` (sdk/phone.ts) hides the middle digits with "•",
 * which is not in the GSM-7 alphabet, so screens and SMS use "*" instead: "+2547***678".
 */
import { maskPhone } from "../../../sdk/phone.js";

export function maskForScreen(e164: string): string {
  return maskPhone(e164).replaceAll("•", "*");
}
