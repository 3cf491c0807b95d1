/**
 * Cross-shard receipts (DESIGN §Sharding): what a source shard emits when value leaves it, the
 * proof a destination shard checks before crediting it, and their strict RLP codecs. A receipt's
 * `index` is its position in the source block's outgoing list, the key of the ordered trie whose
 * root the source header commits to (`outgoingCxReceiptsRoot`).
 * @module
 */
import { NodeError } from "../util/errors.ts";
import { asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode, type RLPInput } from "./_codec.ts";
import { type Header, headerFromRLP, headerToRLP } from "./header.ts";
import { orderedTrieRoot } from "./trie/orderedRoot.ts";

// A proof's trie nodes are bounded by the paths to its receipts. A block's gas lets it send far fewer
// than 65,536 receipts, so keys rlp(i) are ≤ 3 bytes = 6 nibbles: at most 6 branches and a leaf.
const NODES_PER_RECEIPT = 7;

/** Value sent from one shard to an account on another. */
export interface CxReceipt {
  readonly from: Uint8Array;
  readonly to: Uint8Array;
  readonly fromShard: number;
  readonly toShard: number;
  /** Wei. */
  readonly amount: bigint;
  /** Hash of the source transaction that emitted it. */
  readonly txHash: Uint8Array;
}

/** A receipt with its position in the source block's outgoing list. */
export interface IndexedCxReceipt {
  readonly index: number;
  readonly receipt: CxReceipt;
}

/**
 * The receipts of one source block bound for one shard, with what proves them: the source header
 * (its hash is what a crosslink names) and the trie nodes on the paths from its
 * `outgoingCxReceiptsRoot` to each receipt.
 */
export interface CxProof {
  readonly header: Header;
  readonly receipts: readonly IndexedCxReceipt[];
  readonly nodes: readonly Uint8Array[];
}

/** Codes of {@link CxError}. */
export const CxErrorCode = {
  /** Not a well-formed receipt or proof encoding. */
  MALFORMED: "CX_ERROR_MALFORMED",
  /** The receipt is not bound for this shard, or not from the proof's source shard. */
  WRONG_SHARD: "CX_ERROR_WRONG_SHARD",
  /** More incoming receipts than a block may credit (the config's maxIncomingReceiptsPerBlock). */
  TOO_MANY: "CX_ERROR_TOO_MANY",
  /** The receipt was already credited (it is in the spent-set). */
  ALREADY_SPENT: "CX_ERROR_ALREADY_SPENT",
  /** The receipt is not under the source header's outgoing root (forged or altered). */
  PROOF_INVALID: "CX_ERROR_PROOF_INVALID",
  /** The source block is not crosslinked on the beacon chain (yet). */
  NOT_CROSSLINKED: "CX_ERROR_NOT_CROSSLINKED",
} as const;

/** Metadata of a {@link CxError}. */
export type CxErrorType =
  | { code: typeof CxErrorCode.MALFORMED; reason: string }
  | { code: typeof CxErrorCode.WRONG_SHARD; index: number; expected: number; actual: number }
  | { code: typeof CxErrorCode.TOO_MANY; count: number; max: number }
  | { code: typeof CxErrorCode.ALREADY_SPENT; txHash: Uint8Array; index: number }
  | { code: typeof CxErrorCode.PROOF_INVALID; index: number; reason: string }
  | { code: typeof CxErrorCode.NOT_CROSSLINKED; shardId: number; number: bigint; hash: Uint8Array };

/** An invalid cross-shard receipt or proof: whoever offered it is at fault. */
export class CxError extends NodeError<CxErrorType> {}

const malformed = (reason: string, cause?: unknown) => new CxError({ code: CxErrorCode.MALFORMED, reason }, `malformed cross-shard data: ${reason}`, cause === undefined ? undefined : { cause });

function shardOf(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${field}: not a uint32`);
  return v;
}

/**
 * A frozen receipt from its fields (copied).
 * @throws {RangeError} on a wrong address/hash length, a shard out of uint32 or a non-positive amount.
 */
export function createCxReceipt(r: CxReceipt): CxReceipt {
  if (r.from.length !== 20 || r.to.length !== 20) throw new RangeError("cx receipt: addresses are 20 bytes");
  if (r.txHash.length !== 32) throw new RangeError("cx receipt: txHash is 32 bytes");
  if (r.amount <= 0n || r.amount >= 1n << 256n) throw new RangeError("cx receipt: amount must be in (0, 2^256)");
  return Object.freeze({
    from: r.from.slice(), to: r.to.slice(), fromShard: shardOf(r.fromShard, "fromShard"), toShard: shardOf(r.toShard, "toShard"), amount: r.amount, txHash: r.txHash.slice(),
  });
}

function receiptToRLP(r: CxReceipt): Uint8Array[] {
  return [r.from, r.to, bigintToBytes(BigInt(r.fromShard)), bigintToBytes(BigInt(r.toShard)), bigintToBytes(r.amount), r.txHash];
}

function receiptFromRLP(item: unknown, field: string): CxReceipt {
  const [from, to, fromShard, toShard, amount, txHash] = asList(item, field, 6);
  try {
    return createCxReceipt({
      from: asBytes(from, `${field}.from`, 20),
      to: asBytes(to, `${field}.to`, 20),
      fromShard: Number(decodeInt(fromShard, `${field}.fromShard`, 4)),
      toShard: Number(decodeInt(toShard, `${field}.toShard`, 4)),
      amount: decodeInt(amount, `${field}.amount`, 32),
      txHash: asBytes(txHash, `${field}.txHash`, 32),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new SyntaxError(`${field}: ${e.message}`);
    throw e;
  }
}

// Decoders below turn every parse failure (SyntaxError from the field readers) into MALFORMED.
function decoding<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CxError) throw e;
    throw malformed(`${what}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** Encoding of a receipt: `rlp([from, to, fromShard, toShard, amount, txHash])` (the outgoing trie's values). */
export function encodeCxReceipt(r: CxReceipt): Uint8Array {
  return rlpEncode(receiptToRLP(r));
}

/**
 * Decode a receipt (canonical integers, exact lengths, amount > 0, no trailing bytes).
 * @throws {CxError} MALFORMED.
 */
export function decodeCxReceipt(bytes: Uint8Array): CxReceipt {
  return decoding("cx receipt", () => receiptFromRLP(rlpDecode(bytes, "cx receipt"), "cx receipt"));
}

/** Root of the ordered trie over the encoded receipts (EMPTY_TRIE_ROOT for none): a header's CX roots. */
export function computeCxReceiptsRoot(receipts: readonly CxReceipt[]): Uint8Array {
  return orderedTrieRoot(receipts.map(encodeCxReceipt));
}

/** Encoding of a proof: `rlp([header, [[index, receipt]…], [node…]])`. */
export function encodeCxProof(p: CxProof): Uint8Array {
  const items: RLPInput = p.receipts.map((x) => [bigintToBytes(BigInt(x.index)), receiptToRLP(x.receipt)]);
  return rlpEncode([headerToRLP(p.header), items, [...p.nodes]]);
}

/**
 * Decode a proof: a well-formed header, 1..`maxReceipts` receipts (the chain config's
 * maxIncomingReceiptsPerBlock) at strictly increasing indexes, a bounded list of nodes. Whether it
 * proves anything is `verifyCxProof`'s question (src/execution).
 * @throws {CxError} MALFORMED.
 */
export function decodeCxProof(bytes: Uint8Array, maxReceipts: number): CxProof {
  return decoding("cx proof", () => {
    const [h, items, nodes] = asList(rlpDecode(bytes, "cx proof"), "cx proof", 3);
    const header = headerFromRLP(h);
    const list = asList(items, "cx proof.receipts");
    if (list.length === 0 || list.length > maxReceipts) throw new SyntaxError(`${list.length} receipts, expected 1..${maxReceipts}`);
    let last = -1;
    const receipts = list.map((item, i) => {
      const [index, r] = asList(item, `cx proof.receipts[${i}]`, 2);
      const n = Number(decodeInt(index, `cx proof.receipts[${i}].index`, 4));
      if (n <= last) throw new SyntaxError(`receipt indexes must increase (${n} after ${last})`);
      last = n;
      return Object.freeze({ index: n, receipt: receiptFromRLP(r, `cx proof.receipts[${i}]`) });
    });
    const nodeList = asList(nodes, "cx proof.nodes");
    if (nodeList.length > NODES_PER_RECEIPT * list.length) throw new SyntaxError(`${nodeList.length} nodes for ${list.length} receipts`);
    return Object.freeze({ header, receipts: Object.freeze(receipts), nodes: Object.freeze(nodeList.map((n, i) => asBytes(n, `cx proof.nodes[${i}]`))) });
  });
}
