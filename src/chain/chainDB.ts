/**
 * Chain data on the KV store (DESIGN §2 `chaindb`): headers, bodies, receipts, senders, canonical
 * index, tx lookup, log index, head pointer. Writes are returned as ops so that a block, its state and
 * its indexes land in one atomic batch; reads decode on demand behind small caches of recent entries.
 */
import type { Common } from "@ethereumjs/common";
import { RLP } from "@ethereumjs/rlp";
import {
  type Block,
  type CxReceipt,
  type Header,
  type Receipt,
  type SignedTransaction,
  bigintToBytes,
  bytesToBigint,
  createBlock,
  decodeBody,
  decodeHeader,
  decodeReceipt,
  encodeBody,
  encodeReceipt,
  hashKey,
  transactionHash,
} from "../core/index.ts";
import type { CrossLink } from "../shard/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { crossLinkOps, loadCrossLink, loadLastCrossLink } from "./crossLinksStore.ts";
import { cxBlockOps, loadIncomingCx } from "./cxStore.ts";
import {
  GENESIS_KEY,
  HEAD_KEY,
  bodyKey,
  canonicalKey,
  decodeNumber,
  encodeNumber,
  feesKey,
  headerKey,
  logAddressKey,
  logBlockKey,
  logIndexRange,
  logTopicKey,
  numberKey,
  receiptsKey,
  sendersKey,
  txLookupKey,
  epochShardStateKey,
} from "./keys.ts";

/** What is stored with a block besides header and body. */
export interface BlockExtras {
  readonly receipts: readonly Receipt[];
  /** The receipts' encodings when already computed (for the receipts root). */
  readonly encodedReceipts?: readonly Uint8Array[];
  readonly senders: readonly Uint8Array[];
  /** Fees burnt by this block. */
  readonly burnt: bigint;
  /** Fees burnt from genesis up to and including this block. */
  readonly cumulativeBurnt: bigint;
  /** Block reward issued by this block's finalize step, and from genesis up to and including it. */
  readonly issued: bigint;
  readonly cumulativeIssued: bigint;
  /** Stake burnt by this block's slashes, and from genesis up to and including it (0 when absent). */
  readonly burntSlashes?: bigint;
  readonly cumulativeBurntSlashes?: bigint;
  /**
   * Wei sent to other shards by this block's cross-shard receipts, and from genesis up to and including
   * it (0 when absent); with the `cxIn` pair, network supply = Σ shards + Σ (cumulativeCxOut − cumulativeCxIn).
   */
  readonly cxOut?: bigint;
  readonly cumulativeCxOut?: bigint;
  /** Wei credited by this block's incoming cross-shard receipts, and the running total. */
  readonly cxIn?: bigint;
  readonly cumulativeCxIn?: bigint;
  /** The epoch whose shard state this block's header carries (an epoch end), if any. */
  readonly shardStateEpoch?: bigint;
  /** The cross-shard receipts the block's transactions emitted, in order (none when absent). */
  readonly outgoingCxReceipts?: readonly CxReceipt[];
}

/** Burnt fees and issued rewards of a block, and their running totals. */
export interface BlockSupplyRecord {
  readonly burnt: bigint;
  readonly cumulativeBurnt: bigint;
  readonly issued: bigint;
  readonly cumulativeIssued: bigint;
  /** Stake burnt by slashing (the reporters' halves are not burnt). */
  readonly burntSlashes: bigint;
  readonly cumulativeBurntSlashes: bigint;
  /** Wei this shard sent to other shards (value in flight until credited there), and its running total. */
  readonly cxOut: bigint;
  readonly cumulativeCxOut: bigint;
  /** Wei this shard was credited from other shards, and its running total. */
  readonly cxIn: bigint;
  readonly cumulativeCxIn: bigint;
}

/**
 * The supply record of a block: its own figures, and the running totals the supply account holds in its
 * state (what the header commits to; execution/supplyAccount.ts), so the two never count apart. Only
 * the slashed part of the burnt total is kept apart, carried from the parent's record.
 */
export function blockSupplyRecord(
  parent: BlockSupplyRecord | undefined,
  b: { burnt: bigint; issued: bigint; burntSlashes: bigint; cxOut: bigint; cxIn: bigint; supply: { issued: bigint; burnt: bigint; cxOut: bigint; cxIn: bigint } },
): BlockSupplyRecord {
  const cumulativeBurntSlashes = (parent?.cumulativeBurntSlashes ?? 0n) + b.burntSlashes;
  return {
    burnt: b.burnt, cumulativeBurnt: b.supply.burnt - cumulativeBurntSlashes, issued: b.issued, cumulativeIssued: b.supply.issued, burntSlashes: b.burntSlashes,
    cumulativeBurntSlashes, cxOut: b.cxOut, cumulativeCxOut: b.supply.cxOut, cxIn: b.cxIn, cumulativeCxIn: b.supply.cxIn,
  };
}

/** Where a transaction is. */
export interface TxLocation {
  readonly blockNumber: bigint;
  readonly index: number;
}

const EMPTY = new Uint8Array(0);

/** The ops that store `block` as the new canonical head (with receipts, senders, indexes). */
export function canonicalBlockOps(block: Block, x: BlockExtras): BatchOp[] {
  const h = block.header;
  const hash = h.hash;
  const n = h.number;
  const put = (key: Uint8Array, value: Uint8Array): BatchOp => ({ type: "put", key, value });
  const senders = new Uint8Array(x.senders.length * 20);
  x.senders.forEach((s, i) => senders.set(s, i * 20));
  const ops: BatchOp[] = [
    put(headerKey(hash), h.encoded),
    put(bodyKey(hash), encodeBody(block.transactions)),
    put(receiptsKey(hash), RLP.encode([...(x.encodedReceipts ?? x.receipts.map(encodeReceipt))])),
    put(sendersKey(hash), senders),
    put(feesKey(hash), RLP.encode([x.burnt, x.cumulativeBurnt, x.issued, x.cumulativeIssued, x.burntSlashes ?? 0n, x.cumulativeBurntSlashes ?? 0n, x.cxOut ?? 0n, x.cumulativeCxOut ?? 0n, x.cxIn ?? 0n, x.cumulativeCxIn ?? 0n].map(bigintToBytes))),
    put(canonicalKey(n), hash),
    put(numberKey(hash), encodeNumber(n)),
  ];
  if (x.shardStateEpoch !== undefined) ops.push(put(epochShardStateKey(x.shardStateEpoch), encodeNumber(n)));
  ops.push(...crossLinkOps(h), ...cxBlockOps(block, x.outgoingCxReceipts ?? []));
  block.transactions.forEach((tx, i) => {
    const loc = new Uint8Array(12);
    loc.set(encodeNumber(n), 0);
    new DataView(loc.buffer).setUint32(8, i);
    ops.push(put(txLookupKey(transactionHash(tx)), loc));
  });
  const seen = new Set<string>();
  for (const r of x.receipts) {
    for (const log of r.logs) {
      const a = `a${hashKey(log.address)}`;
      if (!seen.has(a)) {
        seen.add(a);
        ops.push(put(logAddressKey(log.address, n), EMPTY));
      }
      for (const t of log.topics) {
        const k = `t${hashKey(t)}`;
        if (!seen.has(k)) {
          seen.add(k);
          ops.push(put(logTopicKey(t, n), EMPTY));
        }
      }
    }
  }
  if (seen.size > 0) ops.push(put(logBlockKey(n), EMPTY));
  ops.push(put(HEAD_KEY, hash));
  if (n === 0n) ops.push(put(GENESIS_KEY, hash));
  return ops;
}

/** A tiny insertion-ordered cache of the most recent entries. */
class Recent<V> {
  readonly #m = new Map<string, V>();
  constructor(readonly size: number) {}
  get(k: string): V | undefined {
    return this.#m.get(k);
  }
  set(k: string, v: V): void {
    this.#m.delete(k);
    this.#m.set(k, v);
    if (this.#m.size > this.size) this.#m.delete(this.#m.keys().next().value as string);
  }
}

/** Reads of chain data. */
export class ChainDB {
  readonly kv: KVStore;
  readonly common: Common;
  readonly #headers = new Recent<Header>(1024);
  readonly #bodies = new Recent<SignedTransaction[]>(64);
  readonly #receipts = new Recent<Receipt[]>(64);

  constructor(kv: KVStore, common: Common) {
    this.kv = kv;
    this.common = common;
  }

  /** Remember a just-committed block so the first readers need not decode it. */
  remember(block: Block, receipts: readonly Receipt[]): void {
    const k = hashKey(block.hash);
    this.#headers.set(k, block.header);
    this.#bodies.set(k, [...block.transactions]);
    this.#receipts.set(k, [...receipts]);
  }

  getHeader(hash: Uint8Array): Header | undefined {
    const k = hashKey(hash);
    const cached = this.#headers.get(k);
    if (cached !== undefined) return cached;
    const enc = this.kv.get(headerKey(hash));
    if (enc === undefined) return undefined;
    const h = decodeHeader(enc);
    this.#headers.set(k, h);
    return h;
  }

  getCanonicalHash(n: bigint): Uint8Array | undefined {
    if (n < 0n || n >= 1n << 64n) return undefined;
    return this.kv.get(canonicalKey(n));
  }

  getHeaderByNumber(n: bigint): Header | undefined {
    const hash = this.getCanonicalHash(n);
    return hash === undefined ? undefined : this.getHeader(hash);
  }

  getNumber(hash: Uint8Array): bigint | undefined {
    const v = this.kv.get(numberKey(hash));
    return v === undefined ? undefined : decodeNumber(v);
  }

  getTransactions(hash: Uint8Array): SignedTransaction[] | undefined {
    const k = hashKey(hash);
    const cached = this.#bodies.get(k);
    if (cached !== undefined) return cached;
    const enc = this.kv.get(bodyKey(hash));
    if (enc === undefined) return undefined;
    const txs = decodeBody(enc, this.common);
    this.#bodies.set(k, txs);
    return txs;
  }

  getBlock(hash: Uint8Array): Block | undefined {
    const h = this.getHeader(hash);
    const txs = h === undefined ? undefined : this.getTransactions(hash);
    return h === undefined || txs === undefined ? undefined : createBlock(h, txs, loadIncomingCx(this.kv, hash));
  }

  getReceipts(hash: Uint8Array): Receipt[] | undefined {
    const k = hashKey(hash);
    const cached = this.#receipts.get(k);
    if (cached !== undefined) return cached;
    const enc = this.kv.get(receiptsKey(hash));
    if (enc === undefined) return undefined;
    const rs = (RLP.decode(enc) as Uint8Array[]).map(decodeReceipt);
    this.#receipts.set(k, rs);
    return rs;
  }

  getSenders(hash: Uint8Array): Uint8Array[] | undefined {
    const v = this.kv.get(sendersKey(hash));
    if (v === undefined) return undefined;
    const out: Uint8Array[] = [];
    for (let i = 0; i < v.length; i += 20) out.push(v.slice(i, i + 20));
    return out;
  }

  getFees(hash: Uint8Array): BlockSupplyRecord | undefined {
    const v = this.kv.get(feesKey(hash));
    if (v === undefined) return undefined;
    // Records written before a field existed are shorter: a missing field is 0.
    const [b, c, i, ci, s, cs, xo, cxo, xi, cxi] = RLP.decode(v) as Uint8Array[];
    const big = (x: Uint8Array | undefined) => (x === undefined ? 0n : bytesToBigint(x));
    return { burnt: big(b), cumulativeBurnt: big(c), issued: big(i), cumulativeIssued: big(ci), burntSlashes: big(s), cumulativeBurntSlashes: big(cs), cxOut: big(xo), cumulativeCxOut: big(cxo), cxIn: big(xi), cumulativeCxIn: big(cxi) };
  }

  /** Number of the block carrying the shard state of `epoch`, if one did. */
  getEpochShardStateBlock(epoch: bigint): bigint | undefined {
    const v = this.kv.get(epochShardStateKey(epoch));
    return v === undefined ? undefined : decodeNumber(v);
  }

  /** The crosslink of shard `shardId` block `n` (beacon chain), if crosslinked. @throws {ChainError} CORRUPT. */
  getCrossLink(shardId: number, n: bigint): CrossLink | undefined {
    return loadCrossLink(this.kv, shardId, n);
  }

  /** The last crosslink of shard `shardId` (beacon chain), if any. @throws {ChainError} CORRUPT. */
  getLastCrossLink(shardId: number): CrossLink | undefined {
    return loadLastCrossLink(this.kv, shardId);
  }

  getTxLocation(txHash: Uint8Array): TxLocation | undefined {
    const v = this.kv.get(txLookupKey(txHash));
    if (v === undefined) return undefined;
    return { blockNumber: decodeNumber(v), index: new DataView(v.buffer, v.byteOffset).getUint32(8) };
  }

  getHeadHash(): Uint8Array | undefined {
    return this.kv.get(HEAD_KEY);
  }

  getGenesisHash(): Uint8Array | undefined {
    return this.kv.get(GENESIS_KEY);
  }

  /** Heights in [from, to] whose blocks have a log of this address / topic, or any log ("block"). */
  indexedHeights(kind: "address" | "topic" | "block", value: Uint8Array, from: bigint, to: bigint): bigint[] {
    const { gte, lt, prefixLength } = logIndexRange(kind, value, from, to);
    const out: bigint[] = [];
    for (const [k] of this.kv.iterate({ gte, lt })) out.push(decodeNumber(k, prefixLength));
    return out;
  }
}
