/**
 * The consensus layer treats blocks as opaque bytes and reads the few header fields it needs
 * through a {@link BlockCodec}, a pure function the driver injects: the node passes
 * {@link coreBlockCodec} (Harmony blocks of `src/core`), the simulator its own small blocks.
 */
import { headerFromRLP } from "../core/index.ts";
import { ConsensusError, ConsensusErrorCode } from "./errors.ts";
import { decodeItem } from "./_rlp.ts";

/** Header fields of a block that consensus reads. */
export interface BlockInfo {
  readonly number: bigint;
  readonly hash: Uint8Array;
  readonly parentHash: Uint8Array;
  /** The view the block was proposed in (header `viewId`). */
  readonly viewId: bigint;
  /** Commit signature of the parent carried by this header (empty or 96 zero bytes when none). */
  readonly lastCommitSig: Uint8Array;
  readonly lastCommitBitmap: Uint8Array;
}

/** Reads {@link BlockInfo} from block bytes. Must be deterministic and side-effect free. */
export interface BlockCodec {
  /** @throws {ConsensusError} BLOCK_MALFORMED (or any error) when the bytes are not a block. */
  decodeBlockInfo(block: Uint8Array): BlockInfo;
}

/**
 * Block codec of Harmony blocks (`rlp([header, txs(, incoming)])`, src/core): only the header is decoded; the
 * transactions are the driver's to validate.
 */
export const coreBlockCodec: BlockCodec = {
  decodeBlockInfo(block: Uint8Array): BlockInfo {
    try {
      const top = decodeItem(block, "block");
      // A third element holds incoming cross-shard proofs (src/core/block.ts).
      if (!Array.isArray(top) || (top.length !== 2 && top.length !== 3)) throw new SyntaxError("block: expected [header, txs] or [header, txs, incoming]");
      const h = headerFromRLP(top[0]);
      return { number: h.number, hash: h.hash, parentHash: h.parentHash, viewId: h.viewId, lastCommitSig: h.lastCommitSig, lastCommitBitmap: h.lastCommitBitmap };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ConsensusError({ code: ConsensusErrorCode.BLOCK_MALFORMED, reason }, `malformed block: ${reason}`);
    }
  },
};
