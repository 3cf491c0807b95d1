/**
 * The outgoing side of cross-shard transfers (DESIGN §Sharding): the CX receipts a transaction emitted,
 * read from the `CrossShardTransfer` logs the 0x…f9 precompile left in its (successful) result. Only
 * the precompile can log from that address: no code can be deployed there.
 * @module
 */
import { type CxReceipt, type Log, bytesToBigint, createCxReceipt } from "../core/index.ts";
import { CX_ADDRESS_BYTES, CX_TRANSFER_TOPIC } from "./cxAbi.ts";

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** True when `log` is the cross-shard contract's `CrossShardTransfer` event. */
export function isCxTransferLog(log: Log): boolean {
  return sameBytes(log.address, CX_ADDRESS_BYTES) && log.topics.length === 4 && sameBytes(log.topics[0] as Uint8Array, CX_TRANSFER_TOPIC) && log.data.length === 32;
}

/**
 * The CX receipts of one transaction of shard `shardId`, in log order.
 * @throws {RangeError} on a transfer log the precompile cannot have written (a broken invariant).
 */
export function cxReceiptsFromLogs(shardId: number, txHash: Uint8Array, logs: readonly Log[]): CxReceipt[] {
  const out: CxReceipt[] = [];
  for (const log of logs) {
    if (!isCxTransferLog(log)) continue;
    const [, from, to, toShard] = log.topics as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    out.push(createCxReceipt({ from: from.subarray(12), to: to.subarray(12), fromShard: shardId, toShard: Number(bytesToBigint(toShard)), amount: bytesToBigint(log.data), txHash }));
  }
  return out;
}
