/**
 * The incoming side of cross-shard transfers (DESIGN §Sharding): crediting receipts whose proof was
 * checked ({@link verifyCxProof}), each exactly once. The spent-set lives in the state trie (so the
 * state root covers it) as storage of the 0x…f9 account: slot keccak(txHash ‖ index) = 1, where
 * index is the receipt's position in its source block's outgoing list (one transaction may send
 * several receipts; transaction hashes differ across shards, whose chain ids differ).
 * @module
 */
import { CxError, CxErrorCode, type IndexedCxReceipt, computeCxReceiptsRoot, keccak256 } from "../core/index.ts";
import { EMPTY_ACCOUNT, type WorldState } from "../state/index.ts";
import { CX_ADDRESS_BYTES } from "./cxAbi.ts";

const SPENT = Uint8Array.of(1);

/** The spent-set slot of the receipt at `index` of its source block, emitted by transaction `txHash`. */
export function cxSpentSlot(txHash: Uint8Array, index: number): Uint8Array {
  const key = new Uint8Array(36);
  key.set(txHash, 0);
  new DataView(key.buffer).setUint32(32, index);
  return keccak256(key);
}

/** Whether the receipt was already credited on this shard's state `world`. */
export function isCxReceiptSpent(world: WorldState, txHash: Uint8Array, index: number): boolean {
  return world.getStorage(CX_ADDRESS_BYTES, cxSpentSlot(txHash, index)).length > 0;
}

/** What crediting a block's incoming receipts did. */
export interface IncomingCxResult {
  /** Wei credited (arrived from other shards). */
  readonly cxIn: bigint;
  /** Root over the credited receipts in order: the header's `incomingCxReceiptsRoot`. */
  readonly incomingCxReceiptsRoot: Uint8Array;
}

/** Where incoming receipts are credited. */
export interface IncomingCxOptions {
  /** This shard. */
  readonly shardId: number;
  /** Most receipts one block credits (the chain config's maxIncomingReceiptsPerBlock). */
  readonly maxReceipts: number;
}

/**
 * Credit `receipts` on the state `world` of shard `opts.shardId`, in order, and mark each spent. All
 * or nothing: a refused receipt leaves `world` as it was.
 * @throws {CxError} TOO_MANY, WRONG_SHARD (not bound for this shard, or sent from it) or ALREADY_SPENT
 * (credited before, or twice in `receipts`).
 */
export function applyIncomingReceipts(world: WorldState, receipts: readonly IndexedCxReceipt[], opts: IncomingCxOptions): IncomingCxResult {
  const { shardId, maxReceipts } = opts;
  if (receipts.length > maxReceipts) {
    throw new CxError({ code: CxErrorCode.TOO_MANY, count: receipts.length, max: maxReceipts }, `${receipts.length} incoming cross-shard receipts, at most ${maxReceipts} per block`);
  }
  if (receipts.length === 0) return { cxIn: 0n, incomingCxReceiptsRoot: computeCxReceiptsRoot([]) };
  world.checkpoint();
  try {
    let cxIn = 0n;
    // A nonce keeps the account (and the spent-set in its storage) from ever counting as empty (EIP-161).
    const holder = world.getAccount(CX_ADDRESS_BYTES) ?? EMPTY_ACCOUNT;
    if (holder.nonce === 0n) world.putAccount(CX_ADDRESS_BYTES, { ...holder, nonce: 1n });
    for (const { index, receipt: r } of receipts) {
      if (r.toShard !== shardId || r.fromShard === shardId) {
        const actual = r.toShard !== shardId ? r.toShard : r.fromShard;
        throw new CxError({ code: CxErrorCode.WRONG_SHARD, index, expected: shardId, actual }, `cx receipt ${index}: from shard ${r.fromShard} to shard ${r.toShard}, this is shard ${shardId}`);
      }
      const slot = cxSpentSlot(r.txHash, index);
      if (world.getStorage(CX_ADDRESS_BYTES, slot).length > 0) {
        throw new CxError({ code: CxErrorCode.ALREADY_SPENT, txHash: r.txHash, index }, `cx receipt ${index} of shard ${r.fromShard} already credited`);
      }
      world.putStorage(CX_ADDRESS_BYTES, slot, SPENT);
      const a = world.getAccount(r.to) ?? EMPTY_ACCOUNT;
      world.putAccount(r.to, { ...a, balance: a.balance + r.amount });
      cxIn += r.amount;
    }
    world.commitCheckpoint();
    return { cxIn, incomingCxReceiptsRoot: computeCxReceiptsRoot(receipts.map((x) => x.receipt)) };
  } catch (e) {
    world.revert();
    throw e;
  }
}
