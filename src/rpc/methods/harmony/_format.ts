/**
 * Harmony's JSON of transactions, receipts and blocks (harmony-one/harmony rpc/v1 and rpc/v2
 * `Transaction`, `TxReceipt`, `BlockWithTxHash`/`BlockWithFullTx`), built from the same backend
 * records as eth_'s and differing per namespace only through {@link numberOf}.
 * @module
 */
import { effectiveGasPrice, isFeeMarketTx } from "../../../core/index.ts";
import type { RpcBlock, RpcReceipt, RpcTransaction } from "../../backend.ts";
import { formatBlockReceipts } from "../../formatReceipt.ts";
import { toChecksumAddress, toData, toQuantity } from "../../hex.ts";
import { type HarmonyVersion, fromTo, jsonNumber, numberOf, oneAddress } from "./_shape.ts";

const ZERO_HASH = toData(new Uint8Array(32));
const ZERO_ADDRESS = toChecksumAddress(new Uint8Array(20));

/** Where an included transaction sits; absent on a pending one. */
export interface HmyTxPlace {
  block: RpcBlock;
  index: number;
}

/** The block's shard (headers here always carry it; 0 on a chain without shards). */
export const shardOf = (block: RpcBlock): number => block.header.shardId ?? 0;

/**
 * Harmony's transaction JSON. A plain transaction never leaves its shard here (cross-shard transfers
 * are calls to the 0x…f9 contract), so `toShardID` = `shardID`. `ethHash` = `hash`: transactions here
 * are Ethereum's encoding, so the two hashes Harmony distinguishes are one.
 */
export function formatHmyTransaction(version: HarmonyVersion, t: RpcTransaction, shardId: number, place?: HmyTxPlace): Record<string, unknown> {
  const { tx } = t;
  const h = place?.block.header;
  const gasPrice = !isFeeMarketTx(tx) ? tx.gasPrice : h ? effectiveGasPrice(tx, h.baseFeePerGas ?? 0n) : tx.maxFeePerGas;
  const n = (v: bigint | number) => numberOf(version, v);
  const { from, to } = fromTo(t.sender, tx.to?.bytes, (a) => toData(a));
  return {
    blockHash: h ? toData(h.hash) : ZERO_HASH,
    blockNumber: h ? n(h.number) : null,
    from,
    timestamp: n(h ? h.timestamp : 0n),
    gas: n(tx.gasLimit),
    gasPrice: n(gasPrice),
    hash: toData(t.hash),
    ethHash: toData(t.hash),
    input: toData(tx.data),
    nonce: n(tx.nonce),
    to,
    transactionIndex: n(place?.index ?? 0),
    value: n(tx.value),
    shardID: shardId,
    toShardID: shardId,
    v: toQuantity(tx.v ?? 0n),
    r: toQuantity(tx.r ?? 0n),
    s: toQuantity(tx.s ?? 0n),
  };
}

/**
 * Harmony's receipt JSON of the transaction at `index` (logs as eth_ writes them, in both namespaces);
 * `contractAddress` is the zero address (v1) or null (v2) when nothing was created.
 * @throws {RangeError} when the receipts do not match the block (a store inconsistency).
 */
export function formatHmyReceipt(version: HarmonyVersion, block: RpcBlock, receipts: RpcReceipt[], index: number): Record<string, unknown> | null {
  const eth = formatBlockReceipts(block, receipts, index)[0];
  const t = block.transactions[index];
  if (!eth || !t) return null;
  const r = receipts[index] as RpcReceipt;
  const h = block.header;
  const n = (v: bigint | number) => numberOf(version, v);
  const { from, to } = fromTo(t.sender, t.tx.to?.bytes);
  const created = eth.contractAddress as string | null;
  return {
    blockHash: toData(h.hash),
    transactionHash: toData(t.hash),
    blockNumber: n(h.number),
    transactionIndex: n(index),
    gasUsed: n(BigInt(eth.gasUsed as string)),
    cumulativeGasUsed: n(r.cumulativeGasUsed),
    contractAddress: created ?? (version === "v1" ? ZERO_ADDRESS : null),
    logs: eth.logs,
    logsBloom: toData(r.logsBloom),
    shardID: shardOf(block),
    from,
    to,
    // Post-Byzantium receipts carry a status, never a state root.
    root: "0x",
    status: n(r.status),
  };
}

/**
 * Harmony's block JSON: full transactions or their hashes, no uncles, no staking-type transactions,
 * and `signers` when given and not empty (Harmony's `signers,omitempty`).
 */
export function formatHmyBlock(version: HarmonyVersion, block: RpcBlock, opts: { fullTx: boolean; signers?: readonly string[] }): Record<string, unknown> {
  const { fullTx } = opts;
  const h = block.header;
  const n = (v: bigint | number) => numberOf(version, v);
  const vrf = h.vrf?.length === 128 ? h.vrf : undefined;
  const out: Record<string, unknown> = {
    number: n(h.number),
    viewID: n(h.viewId ?? 0n),
    epoch: n(h.epoch ?? 0n),
    hash: toData(h.hash),
    parentHash: toData(h.parentHash),
    // Harmony headers have no nonce or difficulty; both namespaces write 0 as a JSON number.
    nonce: jsonNumber(0),
    mixHash: toData(h.mixHash),
    logsBloom: toData(h.logsBloom),
    stateRoot: toData(h.stateRoot),
    miner: oneAddress(h.miner),
    difficulty: jsonNumber(0),
    extraData: toData(h.extraData),
    size: n(block.size),
    gasLimit: n(h.gasLimit),
    gasUsed: n(h.gasUsed),
    vrf: vrf ? toData(vrf.subarray(0, 32)) : ZERO_HASH,
    vrfProof: vrf ? toData(vrf.subarray(32)) : "0x",
    timestamp: n(h.timestamp),
    transactionsRoot: toData(h.transactionsRoot),
    receiptsRoot: toData(h.receiptsRoot),
    uncles: [],
  };
  if (fullTx) {
    out.transactions = block.transactions.map((t, index) => formatHmyTransaction(version, t, shardOf(block), { block, index }));
  } else {
    out.transactions = block.transactions.map((t) => toData(t.hash));
    out.transactionsInEthHash = block.transactions.map((t) => toData(t.hash));
  }
  // Staking here is calls to the 0x…fc contract, listed in `transactions`; no block holds Harmony's
  // separate staking transaction type, so this list is truly empty.
  out.stakingTransactions = [];
  if (opts.signers !== undefined && opts.signers.length > 0) out.signers = opts.signers;
  return out;
}
