/**
 * The simulator's blocks: `rlp([number, parentHash, viewId, lastCommitSig, lastCommitBitmap,
 * payload])`, hash = keccak256 of the encoding. Real bytes and hashes, no execution: validation
 * checks the hash/parent linkage and the shape of the parent's commit proof.
 */
import { RLP } from "@ethereumjs/rlp";
import { bytesToBigint, bigintToBytes } from "../../../src/core/index.ts";
import { keccak256 } from "../../../src/crypto/index.ts";
import type { AggregateProof, BlockCodec, BlockInfo } from "../../../src/consensus/index.ts";

/** Decode a sim block's header fields. */
export const simBlockCodec: BlockCodec = {
  decodeBlockInfo(block: Uint8Array): BlockInfo {
    const l = RLP.decode(block) as unknown;
    if (!Array.isArray(l) || l.length !== 6 || !l.every((x) => x instanceof Uint8Array)) throw new SyntaxError("sim block: expected 6 byte fields");
    const [number, parentHash, viewId, sig, bitmap] = l as Uint8Array[];
    if ((parentHash as Uint8Array).length !== 32) throw new SyntaxError("sim block: parent hash length");
    return {
      number: bytesToBigint(number as Uint8Array), hash: keccak256(block), parentHash: parentHash as Uint8Array, viewId: bytesToBigint(viewId as Uint8Array),
      lastCommitSig: sig as Uint8Array, lastCommitBitmap: bitmap as Uint8Array,
    };
  },
};

/** Encode a sim block. */
export function encodeSimBlock(number: bigint, parentHash: Uint8Array, viewId: bigint, lastCommit: AggregateProof | null, payload: Uint8Array): Uint8Array {
  return RLP.encode([bigintToBytes(number), parentHash, bigintToBytes(viewId), lastCommit?.signature ?? new Uint8Array(0), lastCommit?.bitmap ?? new Uint8Array(0), payload]);
}

/** The genesis block every simulated node starts from. */
export const SIM_GENESIS: Uint8Array = encodeSimBlock(0n, new Uint8Array(32), 0n, null, new TextEncoder().encode("harmony-ts sim genesis"));
