/**
 * The origin time a gossiped proposal carries: its block header's timestamp (seconds). Only the
 * header is decoded — the transactions of a large block are the validator's business, not the
 * metrics'.
 */
import { RLP } from "@ethereumjs/rlp";
import { headerFromRLP } from "../core/index.ts";

// Offset and length of the payload of the RLP item at `at` (a list or a string).
function item(b: Uint8Array, at: number): { start: number; end: number } {
  const p = b[at];
  if (p === undefined) throw new RangeError("rlp: truncated");
  let start: number;
  let len: number;
  if (p < 0x80) return { start: at, end: at + 1 };
  if (p <= 0xb7 || (p >= 0xc0 && p <= 0xf7)) {
    start = at + 1;
    len = p - (p >= 0xc0 ? 0xc0 : 0x80);
  } else {
    const ll = p - (p >= 0xf8 ? 0xf7 : 0xb7);
    if (ll > 4) throw new RangeError("rlp: length too long");
    len = 0;
    for (let i = 0; i < ll; i++) len = len * 256 + (b[at + 1 + i] ?? 0);
    start = at + 1 + ll;
  }
  if (start + len > b.length) throw new RangeError("rlp: truncated");
  return { start, end: start + len };
}

/**
 * The header timestamp (ms) of an encoded block `rlp([header, txs, …])`, or undefined when the bytes
 * are not one.
 */
export function getProposalTimeMs(block: Uint8Array): number | undefined {
  try {
    const outer = item(block, 0);
    if ((block[0] ?? 0) < 0xc0) return undefined;
    const h = item(block, outer.start);
    const header = headerFromRLP(RLP.decode(block.subarray(outer.start, h.end)));
    return Number(header.timestamp) * 1000;
  } catch {
    return undefined;
  }
}
