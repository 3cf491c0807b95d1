/**
 * The 2048-bit logs bloom of Ethereum (Yellow Paper §4.3.1): for each of the address and topics of a
 * log, three bits chosen by the first three 11-bit words of its keccak256 hash.
 */
import { keccak256 } from "./_codec.ts";
import type { Log } from "./log.ts";

/** Bytes in a bloom. */
export const BLOOM_BYTES = 256;

/** An all-zero bloom. */
export function createBloom(): Uint8Array {
  return new Uint8Array(BLOOM_BYTES);
}

/** Set the three bits of `value` in `bloom` (in place). */
export function bloomAdd(bloom: Uint8Array, value: Uint8Array): void {
  const h = keccak256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047;
    const idx = BLOOM_BYTES - 1 - (bit >> 3);
    bloom[idx] = (bloom[idx] as number) | (1 << (bit & 7));
  }
}

/** True when all three bits of `value` are set (a possible member; false = certainly absent). */
export function bloomContains(bloom: Uint8Array, value: Uint8Array): boolean {
  const h = keccak256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047;
    if ((((bloom[BLOOM_BYTES - 1 - (bit >> 3)] as number) >> (bit & 7)) & 1) === 0) return false;
  }
  return true;
}

/** OR `src` into `dst` (in place). */
export function bloomOr(dst: Uint8Array, src: Uint8Array): void {
  for (let i = 0; i < BLOOM_BYTES; i++) dst[i] = (dst[i] as number) | (src[i] as number);
}

/** The bloom of a list of logs (a receipt's or, OR-ed, a block's). */
export function computeLogsBloom(logs: readonly Log[]): Uint8Array {
  const bloom = createBloom();
  for (const log of logs) {
    bloomAdd(bloom, log.address);
    for (const t of log.topics) bloomAdd(bloom, t);
  }
  return bloom;
}
