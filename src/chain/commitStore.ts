/**
 * Commit proofs of committed blocks (DESIGN §Consensus): the aggregate BLS commit signature and the
 * committee bitmap of its signers. The proof of a block is carried by the next header
 * (`lastCommitSig`, `lastCommitBitmap`), so only the head's proof exists nowhere else; it is written
 * in the same batch as the block (`Chain.commitBlock`) and so survives a restart.
 *   cC ‖ hash → rlp([sig, bitmap])
 */
import { RLP } from "@ethereumjs/rlp";
import { COMMIT_SIG_BYTES, type Header } from "../core/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";

/** An aggregate commit signature (96 bytes) and the bitmap of the committee slots that signed. */
export interface CommitProof {
  readonly sig: Uint8Array;
  readonly bitmap: Uint8Array;
}

/** Largest bitmap stored (8192 slots), as the header's bound. */
const MAX_BITMAP_BYTES = 1024;
const PREFIX = new TextEncoder().encode("cC");

/** Key of the commit proof of a block. */
export function commitProofKey(hash: Uint8Array): Uint8Array {
  const k = new Uint8Array(PREFIX.length + hash.length);
  k.set(PREFIX, 0);
  k.set(hash, PREFIX.length);
  return k;
}

/**
 * The batch op that stores `proof` for the block `hash`.
 * @throws {RangeError} when the signature is not 96 bytes or the bitmap is empty or too long.
 */
export function commitProofOp(hash: Uint8Array, proof: CommitProof): BatchOp {
  if (proof.sig.length !== COMMIT_SIG_BYTES) throw new RangeError(`commit signature of ${proof.sig.length} bytes, expected ${COMMIT_SIG_BYTES}`);
  if (proof.bitmap.length === 0 || proof.bitmap.length > MAX_BITMAP_BYTES) throw new RangeError(`commit bitmap of ${proof.bitmap.length} bytes`);
  return { type: "put", key: commitProofKey(hash), value: RLP.encode([proof.sig, proof.bitmap]) };
}

/**
 * The stored commit proof of block `hash`, if any.
 * @throws {ChainError} CORRUPT when the stored value does not decode.
 */
export function loadCommitProof(kv: Pick<KVStore, "get">, hash: Uint8Array): CommitProof | undefined {
  const v = kv.get(commitProofKey(hash));
  if (v === undefined) return undefined;
  let item: unknown;
  try {
    item = RLP.decode(v);
  } catch {
    item = undefined;
  }
  if (!Array.isArray(item) || item.length !== 2 || !(item[0] instanceof Uint8Array) || !(item[1] instanceof Uint8Array) || item[0].length !== COMMIT_SIG_BYTES) {
    throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "commit proof unreadable" }, "store is corrupt: a commit proof does not decode");
  }
  return { sig: item[0], bitmap: item[1] };
}

/**
 * The commit proof of a committed block: the stored one (the head's), else the one the next header
 * carries; undefined for genesis or an unknown block.
 * @throws {ChainError} CORRUPT as {@link loadCommitProof}.
 */
export function findCommitProof(
  kv: Pick<KVStore, "get">,
  hash: Uint8Array,
  chain: { getNumber(hash: Uint8Array): bigint | undefined; getHeaderByNumber(n: bigint): Header | undefined },
): CommitProof | undefined {
  const stored = loadCommitProof(kv, hash);
  if (stored !== undefined) return stored;
  const n = chain.getNumber(hash);
  const next = n === undefined || n === 0n ? undefined : chain.getHeaderByNumber(n + 1n);
  return next === undefined ? undefined : { sig: next.lastCommitSig, bitmap: next.lastCommitBitmap };
}
