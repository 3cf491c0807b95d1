/**
 * Cross-shard receipt look-ups with Harmony's names and JSON shapes (harmony-one/harmony rpc
 * `CxReceipt`: blockHash, blockNumber, hash, from, to, shardID, toShardID, value):
 *   hmy_getCXReceiptByHash(txHash) → the receipt the transaction sent from this shard (asked of a
 *     node of the source shard), or null when it sent none here
 *   hmy_getPendingCXReceipts → the receipt proofs this node holds for its shard, not yet credited
 * @module
 */
import type { Chain } from "../chain/index.ts";
import type { CxProof, CxReceipt } from "../core/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { bytesToHex, hexToBytes } from "../util/bytes.ts";
import { address, num } from "./_stakingJSON.ts";

/** What the methods read. */
export interface CxMethodsSource {
  readonly chain: Pick<Chain, "getCxReceipt">;
  /** The pending incoming proofs of this node (cxRelay.ts). */
  pending(): readonly CxProof[];
}

const hex = (b: Uint8Array) => bytesToHex(b);

/** Harmony's JSON of a CX receipt (value as a JSON number when exact, as Harmony's big.Int). */
export function cxReceiptToJSON(r: CxReceipt, where?: { blockHash: Uint8Array; blockNumber: bigint }): Record<string, unknown> {
  return {
    ...(where ? { blockHash: hex(where.blockHash), blockNumber: num(where.blockNumber) } : {}),
    hash: hex(r.txHash), from: address(r.from), to: address(r.to), shardID: r.fromShard, toShardID: r.toShard, value: num(r.amount),
  };
}

function txHashParam(v: unknown): Uint8Array {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw rpcError(RpcErrorCode.INVALID_PARAMS, `invalid argument 0: expected a 0x-prefixed 32-byte transaction hash, got ${JSON.stringify(v)}`);
  return hexToBytes(v);
}

/** The methods, for `createRPCServer({ extraMethods })`. */
export function createCxMethods(src: CxMethodsSource): Record<string, MethodHandler> {
  return {
    hmy_getCXReceiptByHash: (params) => {
      const found = src.chain.getCxReceipt(txHashParam(params[0]));
      return found === undefined ? null : cxReceiptToJSON(found.receipt, found);
    },
    hmy_getPendingCXReceipts: () =>
      src.pending().map((p) => ({
        receipts: p.receipts.map((r) => cxReceiptToJSON(r.receipt)),
        merkleProof: { blockNum: num(p.header.number), blockHash: hex(p.header.hash), shardID: p.header.shardId, receiptHash: hex(p.header.outgoingCxReceiptsRoot) },
        header: { number: num(p.header.number), hash: hex(p.header.hash), shardID: p.header.shardId, epoch: num(p.header.epoch), viewID: num(p.header.viewId) },
      })),
  };
}
