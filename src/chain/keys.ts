/**
 * Key layout of the chain data in the KV store. Every key of this layer starts with `c` (state keys
 * start with `s`, see src/state/keys.ts); numbers are 8-byte big-endian so keys sort by height.
 *   cH ‖ hash            → header encoding
 *   cB ‖ hash            → body: rlp([tx…])
 *   cR ‖ hash            → receipts: rlp([receipt…]) (consensus encodings)
 *   cS ‖ hash            → senders: 20 bytes per transaction
 *   cX ‖ hash            → rlp([burnt fees of the block, burnt up to it, reward issued by it, issued up to it])
 *   cE ‖ epoch           → number of the beacon block whose header carries that epoch's shard state
 *   cN ‖ number          → canonical hash
 *   cn ‖ hash            → number
 *   cT ‖ txHash          → number ‖ index(4)
 *   cL 0 ‖ address ‖ number → ∅   (block has a log of this address)
 *   cL 1 ‖ topic ‖ number   → ∅   (block has a log with this topic, any position)
 *   cL 2 ‖ number           → ∅   (block has logs)
 *   cM head / cM genesis → hash;  cM genesisSpec ‖ shardId(4) → fingerprint of the genesis spec
 * Elsewhere in this folder: cK/ck crosslinks (crossLinksStore.ts), cC commit proofs (commitStore.ts),
 * cD epoch randomness (epochRandomnesses.ts), cO/cx/cI cross-shard receipts and proofs (cxStore.ts),
 * cA / cMaddressIndex the transaction history by address and its marker (addressIndex.ts).
 */
import { concatBytes } from "../util/bytes.ts";

const enc = (s: string) => new TextEncoder().encode(s);

const cat = concatBytes;

/** 8-byte big-endian height. */
export function encodeNumber(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

/** Inverse of {@link encodeNumber} at `offset`. */
export function decodeNumber(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0);
}

const P = {
  header: enc("cH"),
  body: enc("cB"),
  receipts: enc("cR"),
  senders: enc("cS"),
  fees: enc("cX"),
  epochShardState: enc("cE"),
  canonical: enc("cN"),
  number: enc("cn"),
  tx: enc("cT"),
  logAddress: enc("cL\x00"),
  logTopic: enc("cL\x01"),
  logBlock: enc("cL\x02"),
  head: enc("cMhead"),
  genesis: enc("cMgenesis"),
  genesisSpec: enc("cMgenesisSpec"),
};

export const headerKey = (hash: Uint8Array) => cat(P.header, hash);
export const bodyKey = (hash: Uint8Array) => cat(P.body, hash);
export const receiptsKey = (hash: Uint8Array) => cat(P.receipts, hash);
export const sendersKey = (hash: Uint8Array) => cat(P.senders, hash);
export const feesKey = (hash: Uint8Array) => cat(P.fees, hash);
export const canonicalKey = (n: bigint) => cat(P.canonical, encodeNumber(n));
/** Key of the block number carrying the shard state of `epoch`. */
export const epochShardStateKey = (epoch: bigint) => cat(P.epochShardState, encodeNumber(epoch));
export const numberKey = (hash: Uint8Array) => cat(P.number, hash);
export const txLookupKey = (txHash: Uint8Array) => cat(P.tx, txHash);
export const HEAD_KEY: Uint8Array = P.head;
export const GENESIS_KEY: Uint8Array = P.genesis;
/** Key of the genesis spec fingerprint of a shard. */
export const genesisSpecKey = (shardId: number) => {
  const s = new Uint8Array(4);
  new DataView(s.buffer).setUint32(0, shardId);
  return cat(P.genesisSpec, s);
};

/** Log index key of an address at a height. */
export const logAddressKey = (address: Uint8Array, n: bigint) => cat(P.logAddress, address, encodeNumber(n));
/** Log index key of a topic at a height. */
export const logTopicKey = (topic: Uint8Array, n: bigint) => cat(P.logTopic, topic, encodeNumber(n));
/** Log index key of a height with logs. */
export const logBlockKey = (n: bigint) => cat(P.logBlock, encodeNumber(n));

/** Range [from, to] of one index entry: the prefix before the height, and the bounds. */
export function logIndexRange(kind: "address" | "topic" | "block", value: Uint8Array, from: bigint, to: bigint): { gte: Uint8Array; lt: Uint8Array; prefixLength: number } {
  const prefix = kind === "address" ? cat(P.logAddress, value) : kind === "topic" ? cat(P.logTopic, value) : P.logBlock;
  return { gte: cat(prefix, encodeNumber(from)), lt: cat(prefix, encodeNumber(to + 1n)), prefixLength: prefix.length };
}
