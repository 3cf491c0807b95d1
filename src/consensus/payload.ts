/**
 * What the votes sign (DESIGN §Consensus). PREPARE signs the block hash. COMMIT signs
 * `blockNumber (8 bytes LE) ‖ blockHash (32) ‖ viewId (8 bytes LE)`, 48 bytes as in Harmony, where
 * viewId is the block header's view (the view it was first proposed in), so a syncing node checks a
 * header's `lastCommitSig` against the parent header alone, also for a block re-proposed in a later
 * view. VIEWCHANGE signs its claim: height, new view and the hash of the block its sender is locked on.
 */
import { RLP } from "@ethereumjs/rlp";
import { HASH_LENGTH, bigintToBytes } from "../core/index.ts";

// One definition of the commit payload, in core (staking proves double signing with it too).
export { COMMIT_PAYLOAD_LENGTH, HASH_LENGTH, commitPayload } from "../core/index.ts";

function assertHash(hash: Uint8Array): void {
  if (hash.length !== HASH_LENGTH) throw new RangeError(`block hash of ${hash.length} bytes, expected ${HASH_LENGTH}`);
}

/**
 * The bytes a PREPARE vote signs: the block hash.
 * @throws {RangeError} when the hash is not 32 bytes.
 */
export function preparePayload(blockHash: Uint8Array): Uint8Array {
  assertHash(blockHash);
  return blockHash.slice();
}

// Domain tag of the view-change claim, so it can never collide with a vote payload or a message.
const VIEWCHANGE_TAG = new TextEncoder().encode("harmony-ts/fbft/viewchange/v1");

/**
 * The bytes a VIEWCHANGE claim signs: `rlp([tag, height, newView, lockHash])`, lockHash empty when
 * the sender has committed to no block at this height. These signatures aggregate into the M3
 * groups of a NEWVIEW.
 * @throws {RangeError} when lockHash is neither empty nor 32 bytes.
 */
export function viewChangePayload(height: bigint, view: bigint, lockHash: Uint8Array): Uint8Array {
  if (lockHash.length !== 0) assertHash(lockHash);
  return RLP.encode([VIEWCHANGE_TAG, bigintToBytes(height), bigintToBytes(view), lockHash]);
}
