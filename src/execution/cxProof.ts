/**
 * Proofs of cross-shard receipts (DESIGN §Sharding): the source shard proves the receipts of one of
 * its blocks bound for one destination with the trie nodes on their paths from the header's
 * `outgoingCxReceiptsRoot`; the destination checks them against that header, and only once the
 * beacon chain has crosslinked the header (the caller's predicate: crosslinks are the chain's data).
 * @module
 */
import {
  CxError, CxErrorCode, type CxProof, type CxReceipt, type Header, HashNode, type IndexedCxReceipt, type TrieNode,
  bigintToBytes, bytesToNibbles, computeCxReceiptsRoot, createTrieProof, decodeNode, encodeCxReceipt, hashKey, keccak256, rlpEncode, Trie, trieGet,
} from "../core/index.ts";

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
// The ordered trie's key of item i (as orderedTrieRoot builds it): rlp(i).
const indexKey = (i: number) => rlpEncode(bigintToBytes(BigInt(i)));

/** A source block as crosslinks name it. */
export interface CxSourceBlock {
  readonly shardId: number;
  readonly number: bigint;
  readonly hash: Uint8Array;
}

/** What {@link verifyCxProof} checks a proof against. */
export interface VerifyCxProofOptions {
  /** The destination: this shard. */
  readonly shardId: number;
  /** True when the beacon chain has crosslinked this block of a shard. */
  readonly isCrosslinked: (source: CxSourceBlock) => boolean;
}

/**
 * The proof of the receipts of `header`'s block bound for `toShard`, or undefined when it sent none
 * there. `outgoing` is the block's whole outgoing list, in order.
 * @throws {RangeError} when `outgoing` is not the list `header` commits to.
 */
export function createCxProof(header: Header, outgoing: readonly CxReceipt[], toShard: number): CxProof | undefined {
  if (!sameBytes(computeCxReceiptsRoot(outgoing), header.outgoingCxReceiptsRoot)) throw new RangeError(`outgoing receipts do not match block ${header.number}'s outgoingCxReceiptsRoot`);
  const receipts: IndexedCxReceipt[] = [];
  outgoing.forEach((receipt, index) => {
    if (receipt.toShard === toShard) receipts.push({ index, receipt });
  });
  if (receipts.length === 0) return undefined;
  const trie = new Trie();
  outgoing.forEach((r, i) => trie.put(indexKey(i), encodeCxReceipt(r)));
  const nodes = new Map<string, Uint8Array>();
  for (const { index } of receipts) {
    for (const n of createTrieProof(trie.root, indexKey(index), null)) nodes.set(hashKey(keccak256(n)), n);
  }
  return Object.freeze({ header, receipts: Object.freeze(receipts), nodes: Object.freeze([...nodes.values()]) });
}

/**
 * Check that every receipt of `proof` was sent by its source block to shard `opts.shardId`, that the
 * block is crosslinked, and that each receipt sits at its index under the header's
 * `outgoingCxReceiptsRoot`. Whether a receipt was already credited is the state's question
 * ({@link applyIncomingReceipts}).
 * @throws {CxError} WRONG_SHARD, NOT_CROSSLINKED or PROOF_INVALID.
 */
export function verifyCxProof(proof: CxProof, opts: VerifyCxProofOptions): void {
  const h = proof.header;
  if (proof.receipts.length === 0) throw new CxError({ code: CxErrorCode.PROOF_INVALID, index: -1, reason: "no receipts" }, "cx proof without receipts");
  for (const { index, receipt: r } of proof.receipts) {
    if (r.toShard !== opts.shardId || r.fromShard !== h.shardId) {
      const [expected, actual] = r.toShard !== opts.shardId ? [opts.shardId, r.toShard] : [h.shardId, r.fromShard];
      throw new CxError({ code: CxErrorCode.WRONG_SHARD, index, expected, actual }, `cx receipt ${index}: from shard ${r.fromShard} to ${r.toShard}, proof of shard ${h.shardId} for shard ${opts.shardId}`);
    }
  }
  if (!opts.isCrosslinked({ shardId: h.shardId, number: h.number, hash: h.hash })) {
    throw new CxError({ code: CxErrorCode.NOT_CROSSLINKED, shardId: h.shardId, number: h.number, hash: h.hash }, `block ${h.number} of shard ${h.shardId} is not crosslinked`);
  }
  checkPaths(proof, proof.receipts);
}

// Check that each of `receipts` sits at its index under the header's outgoing root, walking only the
// proof's nodes; returns the hashes of the nodes the walks used.
function checkPaths(proof: CxProof, receipts: readonly IndexedCxReceipt[]): Set<string> {
  // Nodes by hash: a forged node cannot take the place of a real one without a keccak collision.
  const byHash = new Map<string, Uint8Array>();
  for (const n of proof.nodes) byHash.set(hashKey(keccak256(n)), n);
  const used = new Set<string>();
  const source = {
    loadNode: (ref: HashNode): TrieNode | undefined => {
      const k = hashKey(ref.hash);
      const enc = byHash.get(k);
      if (enc === undefined) return undefined;
      used.add(k);
      return decodeNode(enc, ref.hash);
    },
  };
  const root = new HashNode(proof.header.outgoingCxReceiptsRoot);
  for (const { index, receipt } of receipts) {
    let value: Uint8Array | undefined;
    try {
      value = trieGet(root, bytesToNibbles(indexKey(index)), source);
    } catch (e) {
      // A missing node (TrieError) or a node that does not decode (SyntaxError): the path is not proven.
      throw new CxError({ code: CxErrorCode.PROOF_INVALID, index, reason: e instanceof Error ? e.message : String(e) }, `cx receipt ${index}: proof incomplete`, { cause: e });
    }
    if (value === undefined || !sameBytes(value, encodeCxReceipt(receipt))) {
      throw new CxError({ code: CxErrorCode.PROOF_INVALID, index, reason: value === undefined ? "no receipt at this index" : "receipt differs from the committed one" }, `cx receipt ${index}: not the receipt the source block committed to`);
    }
  }
  return used;
}

/**
 * The proof of a subset of `proof`'s receipts (`keep`, in the proof's order): same header, only the
 * nodes on the kept receipts' paths, so that it stays within a decoder's node bound. How a block
 * credits part of a proof and leaves the rest for later blocks.
 * @throws {CxError} PROOF_INVALID when a kept receipt is not proven by `proof`; {RangeError} when
 * `keep` is empty or not a subset of the proof's receipts in order.
 */
export function narrowCxProof(proof: CxProof, keep: readonly IndexedCxReceipt[]): CxProof {
  if (keep.length === 0) throw new RangeError("narrowCxProof: no receipts to keep");
  let at = 0;
  for (const k of keep) {
    while (at < proof.receipts.length && proof.receipts[at]?.index !== k.index) at++;
    if (at === proof.receipts.length) throw new RangeError(`narrowCxProof: receipt ${k.index} is not in the proof (or out of order)`);
    at++;
  }
  const used = checkPaths(proof, keep);
  const nodes = proof.nodes.filter((n) => used.has(hashKey(keccak256(n))));
  return Object.freeze({ header: proof.header, receipts: Object.freeze([...keep]), nodes: Object.freeze(nodes) });
}
