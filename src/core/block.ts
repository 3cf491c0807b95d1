/**
 * A block: header + transactions + incoming cross-shard receipts with their proofs. Encoding
 * `rlp([header, [tx…]])`, or `rlp([header, [tx…], [proof…]])` when the block credits incoming receipts
 * (so blocks without them keep their encoding), each transaction and proof as the byte string of its
 * canonical encoding; the body alone is `rlp([tx…])`. The block hash is the header hash; the header
 * commits to the credited receipts (`incomingCxReceiptsRoot`) and, through the state root, to their
 * positions.
 */
import type { Common } from "@ethereumjs/common";
import { asBytes, asList, keccak256, rlpDecode, rlpEncode } from "./_codec.ts";
import { DEV_CHAIN_CONFIG } from "./chainConfig.ts";
import { CxError, type CxProof, decodeCxProof, encodeCxProof } from "./cxReceipt.ts";
import { BlockError, BlockErrorCode, TransactionError } from "./errors.ts";
import { type Header, headerFromRLP, headerToRLP } from "./header.ts";
import { type SignedTransaction, decodeTransaction, encodeTransaction } from "./transaction.ts";
import { orderedTrieRoot } from "./trie/orderedRoot.ts";

/** An immutable block. */
export class Block {
  readonly header: Header;
  readonly transactions: readonly SignedTransaction[];
  /** Incoming cross-shard receipts with their proofs, in the order the block credits them. */
  readonly incoming: readonly CxProof[];

  constructor(header: Header, transactions: readonly SignedTransaction[], incoming: readonly CxProof[] = []) {
    this.header = header;
    this.transactions = Object.freeze([...transactions]);
    this.incoming = Object.freeze([...incoming]);
    Object.freeze(this);
  }

  /** The header hash. */
  get hash(): Uint8Array {
    return this.header.hash;
  }

  /** The block number. */
  get number(): bigint {
    return this.header.number;
  }

  /** `rlp([header, [tx…]])`, with `[proof…]` as a third element when the block credits incoming receipts. */
  encode(): Uint8Array {
    const items = [headerToRLP(this.header), this.transactions.map(encodeTransaction)];
    if (this.incoming.length > 0) items.push(this.incoming.map(encodeCxProof));
    return rlpEncode(items);
  }
}

/** A block from a header, its transactions and its incoming cross-shard proofs. */
export function createBlock(header: Header, transactions: readonly SignedTransaction[] = [], incoming: readonly CxProof[] = []): Block {
  return new Block(header, transactions, incoming);
}

/** The encoding of a block's third element: `rlp([proof…])` (what the chain stores beside the body). */
export function encodeIncoming(incoming: readonly CxProof[]): Uint8Array {
  return rlpEncode(incoming.map(encodeCxProof));
}

// A non-empty list of proofs holding at most `maxReceipts` receipts in all.
function incomingFromRLP(item: unknown, maxReceipts: number): CxProof[] {
  const list = asList(item, "incoming");
  if (list.length === 0) throw new SyntaxError("incoming: an empty list is encoded by leaving it out");
  let left = maxReceipts;
  return list.map((raw, i) => {
    if (left === 0) throw new SyntaxError(`incoming: more than ${maxReceipts} receipts`);
    let p: CxProof;
    try {
      p = decodeCxProof(asBytes(raw, `incoming[${i}]`), left);
    } catch (e) {
      if (!(e instanceof CxError)) throw e;
      throw new SyntaxError(`incoming[${i}]: ${e.message}`);
    }
    left -= p.receipts.length;
    return p;
  });
}

/**
 * Decode {@link encodeIncoming}'s bytes (at most `maxReceipts` receipts in all).
 * @throws {BlockError} MALFORMED.
 */
export function decodeIncoming(bytes: Uint8Array, maxReceipts: number): CxProof[] {
  try {
    return incomingFromRLP(rlpDecode(bytes, "incoming"), maxReceipts);
  } catch (e) {
    throw malformed(e);
  }
}

/** Root of the transactions trie (Ethereum rules) over the canonical encodings. */
export function computeTxRoot(transactions: readonly SignedTransaction[]): Uint8Array {
  return orderedTrieRoot(transactions.map(encodeTransaction));
}

/** The body encoding `rlp([tx…])`. */
export function encodeBody(transactions: readonly SignedTransaction[]): Uint8Array {
  return rlpEncode(transactions.map(encodeTransaction));
}

/** Options of {@link decodeBlock}. */
export interface DecodeBlockOptions {
  /**
   * A transaction already decoded (by the txpool) with this hash, keccak256 of its canonical bytes;
   * the block takes that object instead of decoding the same bytes again (issue 11: decoded once).
   */
  knownTransaction?: (hash: Uint8Array) => SignedTransaction | undefined;
  /**
   * Most incoming cross-shard receipts the block may carry in all (the chain config's
   * maxIncomingReceiptsPerBlock). Default: the dev preset's.
   */
  maxIncomingReceipts?: number;
}

function txsFromRLP(item: unknown, common: Common, opts: DecodeBlockOptions = {}): SignedTransaction[] {
  const list = asList(item, "transactions");
  const known = opts.knownTransaction;
  return list.map((raw, index) => {
    if (!(raw instanceof Uint8Array)) throw new SyntaxError(`transaction ${index}: expected bytes`);
    // Equal hashes mean equal canonical bytes; the pool decoded them against the same chain's Common.
    const reused = known?.(keccak256(raw));
    if (reused !== undefined && reused.common.chainId() === common.chainId()) return reused;
    try {
      return decodeTransaction(raw, common);
    } catch (e) {
      if (!(e instanceof TransactionError)) throw e;
      throw new BlockError({ code: BlockErrorCode.INVALID_TRANSACTION, index, txCode: e.code, reason: e.message }, `invalid transaction ${index}: ${e.message}`, { cause: e });
    }
  });
}

function malformed(e: unknown): BlockError {
  const reason = e instanceof Error ? e.message : String(e);
  return new BlockError({ code: BlockErrorCode.MALFORMED, reason }, `malformed block: ${reason}`, { cause: e });
}

/**
 * Decode a body encoding into transactions.
 * @throws {BlockError} MALFORMED, or INVALID_TRANSACTION for an undecodable transaction.
 */
export function decodeBody(bytes: Uint8Array, common: Common): SignedTransaction[] {
  try {
    return txsFromRLP(rlpDecode(bytes, "body"), common);
  } catch (e) {
    throw e instanceof BlockError ? e : malformed(e);
  }
}

/**
 * Decode a block encoding, taking transactions `opts.knownTransaction` already holds as they are. The
 * incoming proofs are only parsed here (bounded by `opts.maxIncomingReceipts`); whether they prove
 * anything is the chain's question.
 * @throws {BlockError} MALFORMED or INVALID_TRANSACTION.
 */
export function decodeBlock(bytes: Uint8Array, common: Common, opts: DecodeBlockOptions = {}): Block {
  try {
    const top = asList(rlpDecode(bytes, "block"), "block");
    if (top.length !== 2 && top.length !== 3) throw new SyntaxError(`block: expected 2 or 3 items, got ${top.length}`);
    const [header, txs, incoming] = top;
    const proofs = incoming === undefined ? [] : incomingFromRLP(incoming, opts.maxIncomingReceipts ?? DEV_CHAIN_CONFIG.maxIncomingReceiptsPerBlock);
    return new Block(headerFromRLP(header), txsFromRLP(txs, common, opts), proofs);
  } catch (e) {
    throw e instanceof BlockError ? e : malformed(e);
  }
}
