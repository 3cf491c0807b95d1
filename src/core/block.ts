/**
 * A block: header + transactions. Encoding `rlp([header, [tx…]])` with each transaction as the byte
 * string of its canonical encoding; the body alone is `rlp([tx…])`. The block hash is the header hash.
 */
import type { Common } from "@ethereumjs/common";
import { asList, keccak256, rlpDecode, rlpEncode } from "./_codec.ts";
import { BlockError, BlockErrorCode, TransactionError } from "./errors.ts";
import { type Header, headerFromRLP, headerToRLP } from "./header.ts";
import { type SignedTransaction, decodeTransaction, encodeTransaction } from "./transaction.ts";
import { orderedTrieRoot } from "./trie/orderedRoot.ts";

/** An immutable block. */
export class Block {
  readonly header: Header;
  readonly transactions: readonly SignedTransaction[];

  constructor(header: Header, transactions: readonly SignedTransaction[]) {
    this.header = header;
    this.transactions = Object.freeze([...transactions]);
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

  /** `rlp([header, [tx…]])`. */
  encode(): Uint8Array {
    return rlpEncode([headerToRLP(this.header), this.transactions.map(encodeTransaction)]);
  }
}

/** A block from a header and its transactions. */
export function createBlock(header: Header, transactions: readonly SignedTransaction[] = []): Block {
  return new Block(header, transactions);
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
 * Decode a block encoding, taking transactions `opts.knownTransaction` already holds as they are.
 * @throws {BlockError} MALFORMED or INVALID_TRANSACTION.
 */
export function decodeBlock(bytes: Uint8Array, common: Common, opts: DecodeBlockOptions = {}): Block {
  try {
    const [header, txs] = asList(rlpDecode(bytes, "block"), "block", 2);
    return new Block(headerFromRLP(header), txsFromRLP(txs, common, opts));
  } catch (e) {
    throw e instanceof BlockError ? e : malformed(e);
  }
}
