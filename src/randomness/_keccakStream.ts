/**
 * A deterministic stream of 32-bit words: block i = keccak256(seed ‖ i as u64 BE), read as eight
 * big-endian words. Also unbiased integers below a bound by rejection sampling.
 */
import { keccak256 } from "../crypto/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { u64BE } from "./_bytes.ts";

const WORDS_PER_BLOCK = 8;
const TWO_32 = 2 ** 32;

/** A keccak counter stream; stateful, local to one computation. */
export interface KeccakStream {
  /** The next 32-bit word. */
  nextUint32(): number;
  /** A uniform integer in [0, bound), bound ∈ [1, 2^32], by rejection (no modulo bias). */
  nextBelow(bound: number): number;
}

/** A stream over `seed` starting at block 0. */
export function createKeccakStream(seed: Uint8Array): KeccakStream {
  const s = seed.slice();
  let counter = 0n;
  let block: DataView = new DataView(new ArrayBuffer(0));
  let word = WORDS_PER_BLOCK;
  const nextUint32 = (): number => {
    if (word === WORDS_PER_BLOCK) {
      const b = keccak256(concatBytes(s, u64BE(counter++)));
      block = new DataView(b.buffer, b.byteOffset, b.byteLength);
      word = 0;
    }
    return block.getUint32(4 * word++, false);
  };
  return {
    nextUint32,
    nextBelow(bound: number): number {
      if (!Number.isInteger(bound) || bound < 1 || bound > TWO_32) throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
      // Accept x only below the largest multiple of bound ≤ 2^32, so x mod bound is uniform.
      const limit = TWO_32 - (TWO_32 % bound);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % bound;
      }
    },
  };
}
