/**
 * What a shard chain needs from the beacon chain (DESIGN §Chain and shards: shard epochs follow the
 * beacon): the committees of every epoch, how far the beacon has settled them, and which shard blocks
 * it has crosslinked. The beacon chain answers from its own headers ({@link createBeaconView}); a node
 * of another shard answers from its beacon follower, a full chain of shard 0.
 * @module
 */
import { BlockError, BlockErrorCode, CxErrorCode, type Header, type ShardState, encodeShardState } from "../core/index.ts";
import type { CrossLink } from "../shard/index.ts";
import { isBeacon } from "../core/index.ts";

/** The beacon chain as a shard chain sees it. */
export interface BeaconView {
  /** The shard state (committees of every shard) in force at `epoch`, from the beacon chain's headers. */
  shardStateAt(epoch: bigint): ShardState;
  /** The latest epoch whose shard state is settled on the beacon chain (beacon `config.nextEpoch(head)`). */
  settledEpoch(): bigint;
  /** The beacon head's number. */
  headNumber(): bigint;
  /**
   * True when the beacon chain holds a crosslink for exactly this block (shard, number, hash); for a
   * block of shard 0, when the beacon chain holds that block.
   */
  isCrosslinked(src: { shardId: number; number: bigint; hash: Uint8Array }): boolean;
}

/** The parts of a beacon chain a {@link BeaconView} over it reads. */
export interface BeaconSource {
  shardStateAt(epoch: bigint): ShardState;
  /** The epoch of the block after the beacon head. */
  nextEpochAfterHead(): bigint;
  headNumber(): bigint;
  /** The stored crosslink of a shard block, if any. */
  crossLink(shardId: number, number: bigint): CrossLink | undefined;
  /** The hash of the beacon chain's own block at a height, up to its head. */
  canonicalHash(number: bigint): Uint8Array | undefined;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A {@link BeaconView} over a beacon chain's own data. A beacon block needs no crosslink: it counts as
 * crosslinked once it is in the beacon chain (final), so receipts from shard 0 go through the same check.
 */
export function createBeaconView(src: BeaconSource): BeaconView {
  return {
    shardStateAt: (epoch) => src.shardStateAt(epoch),
    settledEpoch: () => src.nextEpochAfterHead(),
    headNumber: () => src.headNumber(),
    isCrosslinked: ({ shardId, number, hash }) => {
      if (isBeacon(shardId)) {
        const own = src.canonicalHash(number);
        return own !== undefined && sameBytes(own, hash);
      }
      const l = src.crossLink(shardId, number);
      return l !== undefined && sameBytes(l.blockHash, hash);
    },
  };
}

/**
 * The epoch of a shard block after `parent`: one step past the parent's when the parent closed its
 * epoch (its header carries the next epoch's shard state, copied from the beacon chain), else the
 * parent's. Decided by the shard chain alone, so every node runs the round after a block in the same
 * epoch whatever its beacon follower has seen by then (Harmony's shard blocks carry the shard state
 * at an epoch's end the same way).
 */
export function nextShardEpoch(parent: Header): bigint {
  // The genesis' shard state is the first committees, not a marker.
  return parent.number > 0n && parent.shardState.length > 0 ? parent.epoch + 1n : parent.epoch;
}

/**
 * The `shardState` a shard block of `epoch` carries: the beacon chain's shard state of the next
 * epoch once the beacon has settled it and its head is at `minBeaconHead` or later (the block then
 * closes its epoch), else none.
 */
export function shardEpochMarker(beacon: BeaconView, epoch: bigint, minBeaconHead = 0n): Uint8Array | undefined {
  return beacon.settledEpoch() > epoch && beacon.headNumber() >= minBeaconHead ? encodeShardState(beacon.shardStateAt(epoch + 1n)) : undefined;
}

/**
 * Check a shard header's epoch marker: a header that carries a shard state carries the beacon's for
 * its next epoch, byte for byte.
 * @throws {BlockError} EPOCH_AHEAD_OF_BEACON when the beacon has not settled that epoch here (yet);
 * SHARD_STATE_MISMATCH when it differs.
 */
export function checkShardEpochMarker(beacon: BeaconView, header: Header): void {
  if (header.shardState.length === 0) return;
  const settled = beacon.settledEpoch();
  if (settled <= header.epoch) {
    throw new BlockError(
      { code: BlockErrorCode.EPOCH_AHEAD_OF_BEACON, epoch: header.epoch + 1n, settled },
      `block ${header.number} of shard ${header.shardId} closes epoch ${header.epoch}; the beacon chain has settled epoch ${settled}`,
    );
  }
  const expected = encodeShardState(beacon.shardStateAt(header.epoch + 1n));
  if (!sameBytes(expected, header.shardState)) {
    throw new BlockError({ code: BlockErrorCode.SHARD_STATE_MISMATCH, expected, actual: header.shardState }, `shard state mismatch: block ${header.number} of shard ${header.shardId} does not carry the beacon chain's committees of epoch ${header.epoch + 1n}`);
  }
}

/**
 * Refuse a shard header whose epoch the beacon chain has not settled (yet): the committee that must
 * have signed it is unknown here. Not proof of a bad block: this node's beacon follower may be behind.
 * @throws {BlockError} EPOCH_AHEAD_OF_BEACON.
 */
export function assertEpochSettled(beacon: BeaconView, header: Header): void {
  const settled = beacon.settledEpoch();
  if (header.epoch <= settled) return;
  throw new BlockError(
    { code: BlockErrorCode.EPOCH_AHEAD_OF_BEACON, epoch: header.epoch, settled },
    `block ${header.number} of shard ${header.shardId} is in epoch ${header.epoch}, the beacon chain has settled epoch ${settled}`,
  );
}

/**
 * True for the refusals that depend on how far this node's view of the beacon chain has come: a
 * shard header of an epoch not settled yet (EPOCH_AHEAD_OF_BEACON), an incoming proof of a block not
 * crosslinked yet (CX_RECEIPT_INVALID / NOT_CROSSLINKED). The same block may be valid once the beacon
 * follower catches up, so a driver retries it then instead of counting it as invalid.
 */
export function isBeaconLagError(e: unknown): boolean {
  if (!(e instanceof BlockError)) return false;
  const t = e.type;
  return t.code === BlockErrorCode.EPOCH_AHEAD_OF_BEACON || (t.code === BlockErrorCode.CX_RECEIPT_INVALID && t.cxCode === CxErrorCode.NOT_CROSSLINKED);
}
