/**
 * Whether a crosslink proves its block final (DESIGN §Sharding, §Consensus step 5): the bitmap is a
 * bitmap over the shard's committee of the link's epoch (ceil(n/8) bytes, no slot past the last),
 * the signers hold strictly more than 2/3 of its voting power, and the signature is their aggregate
 * over `commitPayload(blockNumber, blockHash, viewId)`. And whether it may be the next crosslink of
 * its shard: the block after the last crosslinked one, in the same epoch or the next. Pure; the
 * committee comes from {@link getCommitteeSpec} over the beacon chain's own shard state.
 * @module
 */
import { COMMIT_SIG_BYTES, commitPayload } from "../core/index.ts";
import type { AggregateCheck, BLS } from "../crypto/index.ts";
import type { CommitteeSpec } from "./committeeSpec.ts";
import type { CrossLink } from "./crossLink.ts";
import { CrossLinkErrorCode, type CrossLinkFailure, type CrossLinkVerdict, refuse } from "./errors.ts";
import { isBeacon } from "../core/index.ts";

/** The structural checks failed, or the aggregate-signature check that decides the rest. */
export type CrossLinkCheck = CrossLinkFailure | { readonly ok: true; readonly check: AggregateCheck };

const bitSet = (bitmap: Uint8Array, i: number) => (((bitmap[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;

/**
 * Everything about `link` but the signature, against `committee` (the link's shard at its epoch;
 * undefined when the shard state has none), and the signature check left to make (STYLE §3: a
 * caller batches the checks of many links on its verifier).
 */
export function getCrossLinkCheck(link: CrossLink, committee: CommitteeSpec | undefined): CrossLinkCheck {
  const where = `shard ${link.shardId} block ${link.blockNumber} (epoch ${link.epoch})`;
  if (isBeacon(link.shardId)) return refuse(CrossLinkErrorCode.NOT_A_SHARD, "the beacon shard's blocks are not crosslinked");
  if (committee === undefined || committee.keys.length === 0) return refuse(CrossLinkErrorCode.NO_COMMITTEE, `no committee for ${where}`);
  if (link.signature.length !== COMMIT_SIG_BYTES) return refuse(CrossLinkErrorCode.BAD_SIGNATURE, `signature of ${link.signature.length} bytes`);
  const n = committee.keys.length;
  const bytes = (n + 7) >> 3;
  if (link.bitmap.length !== bytes) return refuse(CrossLinkErrorCode.BITMAP_SHAPE, `bitmap of ${link.bitmap.length} bytes for a committee of ${n} (${bytes} bytes) at ${where}`);
  for (let i = n; i < bytes * 8; i++) {
    if (bitSet(link.bitmap, i)) return refuse(CrossLinkErrorCode.BITMAP_SHAPE, `bitmap sets slot ${i} of a committee of ${n} at ${where}`);
  }
  const publicKeys: Uint8Array[] = [];
  let signed = 0n;
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const power = committee.power[i] ?? 0n;
    total += power;
    if (!bitSet(link.bitmap, i)) continue;
    signed += power;
    publicKeys.push(committee.keys[i] as Uint8Array);
  }
  // A quorum is strictly more than 2/3 of the power (DESIGN §Consensus).
  if (signed * 3n <= total * 2n) return refuse(CrossLinkErrorCode.NO_QUORUM, `signers hold ${signed} of ${total} voting power at ${where}, not more than 2/3`);
  return { ok: true, check: { publicKeys, message: commitPayload(link.blockNumber, link.blockHash, link.viewId), signature: link.signature } };
}

/**
 * Verify `link` against `committee` (the shard's committee of `link.epoch` from the beacon chain's
 * shard state), the signature included. Never throws: a bad link is a refused verdict with its code.
 */
export function verifyCrossLink(link: CrossLink, committee: CommitteeSpec | undefined, bls: Pick<BLS, "verifyChecks">): CrossLinkVerdict {
  const c = getCrossLinkCheck(link, committee);
  if (!c.ok) return c;
  if (bls.verifyChecks([c.check])[0] !== true) return refuse(CrossLinkErrorCode.BAD_SIGNATURE, `the signature is not the signers' commit over shard ${link.shardId} block ${link.blockNumber}`);
  return { ok: true };
}

/** Where a shard's crosslinks stand: its last crosslinked block (genesis, number 0 at epoch 0, before any). */
export interface CrossLinkTip {
  readonly blockNumber: bigint;
  readonly epoch: bigint;
}

/** The tip of a shard with no crosslink yet: its genesis block. */
export const GENESIS_CROSSLINK_TIP: CrossLinkTip = Object.freeze({ blockNumber: 0n, epoch: 0n });

/**
 * Whether `link` may follow `tip` (its shard's last crosslinked block): the next block number (a
 * number at or below the tip is a DUPLICATE, one past the next is OUT_OF_ORDER), in the tip's epoch
 * or the next one (shard epochs follow the beacon chain one step at a time) and not past `maxEpoch`
 * (the including beacon block's epoch: no later committee is settled).
 */
export function checkCrossLinkSequence(link: CrossLink, tip: CrossLinkTip, maxEpoch: bigint): CrossLinkVerdict {
  const where = `shard ${link.shardId} block ${link.blockNumber}`;
  if (link.blockNumber <= tip.blockNumber) return refuse(CrossLinkErrorCode.DUPLICATE, `${where} is already crosslinked (last ${tip.blockNumber})`);
  if (link.blockNumber !== tip.blockNumber + 1n) return refuse(CrossLinkErrorCode.OUT_OF_ORDER, `${where} does not follow the last crosslinked block ${tip.blockNumber}`);
  if (link.epoch > maxEpoch) return refuse(CrossLinkErrorCode.WRONG_EPOCH, `${where} claims epoch ${link.epoch}, past the beacon block's epoch ${maxEpoch}`);
  if (link.epoch !== tip.epoch && link.epoch !== tip.epoch + 1n) return refuse(CrossLinkErrorCode.WRONG_EPOCH, `${where} claims epoch ${link.epoch} after a block of epoch ${tip.epoch}`);
  return { ok: true };
}
