/**
 * The one place where Harmony's two namespaces differ in shape: `hmy_` (v1) writes numbers as `0x`
 * quantities like eth_, `hmyv2_` writes them as exact JSON numbers (Go marshals `*big.Int`/`uint64`
 * as plain numbers, so no precision is lost on amounts above 2^53).
 * @module
 */
import { addressToBech32 } from "../../../crypto/bech32.ts";
import { jsonNumber, toChecksumAddress, toQuantity } from "../../hex.ts";

/** Which of Harmony's namespaces a method table serves. */
export type HarmonyVersion = "v1" | "v2";

export { jsonNumber } from "../../hex.ts";

/** A number in the namespace's form: `0x` quantity (v1) or exact JSON number (v2). */
export function numberOf(version: HarmonyVersion, n: bigint | number): unknown {
  return version === "v1" ? toQuantity(n) : jsonNumber(n);
}

/** Harmony's `one1…` form of an address. */
export function oneAddress(address: Uint8Array): string {
  return addressToBech32(address);
}

/**
 * Sender and recipient as Harmony writes them on transactions and receipts: both `one1…`, except for a
 * contract creation, where the sender stays `0x` hex and the recipient is "".
 */
export function fromTo(sender: Uint8Array, to: Uint8Array | undefined, hexSender: (a: Uint8Array) => string = toChecksumAddress): { from: string; to: string } {
  return to === undefined ? { from: hexSender(sender), to: "" } : { from: oneAddress(sender), to: oneAddress(to) };
}
