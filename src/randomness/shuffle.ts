/**
 * The committee shuffle that resharding consumes (DESIGN §Sharding): the elected slots, permuted by a
 * seed derived from the epoch randomness, are then dealt round-robin over the shards.
 */
import { keccak256 } from "../crypto/index.ts";
import { concatBytes } from "../util/bytes.ts";
import { tag, u64BE } from "./_bytes.ts";
import { createKeccakStream } from "./_keccakStream.ts";

const SHUFFLE_DOMAIN = tag("harmony-ts/shuffle");
const MAX_SLOTS = 2 ** 32;

/**
 * The shuffle seed: keccak256("harmony-ts/shuffle" ‖ randomness ‖ epoch as u64 BE), where `epoch` is
 * the epoch whose committees are being built (the one after the randomness's epoch).
 * @throws {RangeError} when randomness is not 32 bytes or epoch ∉ [0, 2^64).
 */
export function shuffleSeed(randomness: Uint8Array, epoch: bigint): Uint8Array {
  if (randomness.length !== 32) throw new RangeError(`randomness must be 32 bytes, got ${randomness.length}`);
  return keccak256(concatBytes(SHUFFLE_DOMAIN, randomness, u64BE(epoch)));
}

/**
 * A new array with `slots` permuted by Fisher–Yates: for i = n−1 … 1 swap i with j uniform in
 * [0, i], j drawn by rejection from the keccak counter stream of `seed`. Same slots and seed ⇒ same
 * order, on every node. The input is not changed.
 * @throws {RangeError} when there are more than 2^32 slots.
 */
export function shuffleCommittee<T>(slots: readonly T[], seed: Uint8Array): T[] {
  if (slots.length > MAX_SLOTS) throw new RangeError(`at most 2^32 slots, got ${slots.length}`);
  const out = slots.slice();
  const stream = createKeccakStream(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = stream.nextBelow(i + 1);
    const t = out[i] as T;
    out[i] = out[j] as T;
    out[j] = t;
  }
  return out;
}
