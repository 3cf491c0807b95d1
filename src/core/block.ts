/**
 * A block: header + transactions. Encoding `rlp([header, [tx…]])` with each transaction as the byte
 * string of its canonical encoding; the body alone is `rlp([tx…])`. The block hash is the header hash.
 */
import type { Common } from "@ethereumjs/common";
import { asList, rlpDecode, rlpEncode } from "./_codec.ts";
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

function txsFromRLP(item: unknown, common: Common): SignedTransaction[] {
  const list = asList(item, "transactions");
  return list.map((raw, index) => {
    if (!(raw instanceof Uint8Array)) throw new SyntaxError(`transaction ${index}: expected bytes`);
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
 * Decode a block encoding.
 * @throws {BlockError} MALFORMED or INVALID_TRANSACTION.
 */
export function decodeBlock(bytes: Uint8Array, common: Common): Block {
  try {
    const [header, txs] = asList(rlpDecode(bytes, "block"), "block", 2);
    return new Block(headerFromRLP(header), txsFromRLP(txs, common));
  } catch (e) {
    throw e instanceof BlockError ? e : malformed(e);
  }
}
