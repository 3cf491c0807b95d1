/**
 * Receipt and log JSON. Consensus receipts hold only status, cumulative gas, bloom and logs; the
 * other fields are derived from the block as geth's `DeriveFields` does.
 * @module
 */
import { RLP } from "@ethereumjs/rlp";
import { keccak256 } from "../crypto/hash.ts";
import type { RpcBlock, RpcLogEntry, RpcReceipt, RpcTransaction } from "./backend.ts";
import { effectiveGasPrice } from "../core/index.ts";
import { bigIntToBytes, toChecksumAddress, toData, toQuantity } from "./hex.ts";

/** JSON of one log with its position (`removed` is always false: blocks here are final). */
export function formatLog(l: RpcLogEntry): Record<string, unknown> {
  return {
    address: toChecksumAddress(l.address),
    topics: l.topics.map(toData),
    data: toData(l.data),
    blockNumber: toQuantity(l.blockNumber),
    transactionHash: toData(l.transactionHash),
    transactionIndex: toQuantity(l.transactionIndex),
    blockHash: toData(l.blockHash),
    logIndex: toQuantity(l.logIndex),
    removed: false,
  };
}

/** Address of a contract created by `sender` with `nonce`: keccak256(rlp([sender, nonce]))[12:]. */
export function createdContractAddress(sender: Uint8Array, nonce: bigint): Uint8Array {
  const n = nonce === 0n ? new Uint8Array(0) : bigIntToBytes(nonce, Math.ceil(nonce.toString(16).length / 2));
  return keccak256(RLP.encode([sender, n])).slice(12);
}

function formatOne(block: RpcBlock, r: RpcReceipt, t: RpcTransaction, index: number, gasUsed: bigint, firstLogIndex: number) {
  const h = block.header;
  const created = t.tx.to === undefined ? toChecksumAddress(createdContractAddress(t.sender, t.tx.nonce)) : null;
  return {
    blockHash: toData(h.hash),
    blockNumber: toQuantity(h.number),
    contractAddress: created,
    cumulativeGasUsed: toQuantity(r.cumulativeGasUsed),
    effectiveGasPrice: toQuantity(effectiveGasPrice(t.tx, h.baseFeePerGas ?? 0n)),
    from: toChecksumAddress(t.sender),
    gasUsed: toQuantity(gasUsed),
    logs: r.logs.map((l, j) =>
      formatLog({
        ...l,
        blockNumber: h.number,
        blockHash: h.hash,
        transactionHash: t.hash,
        transactionIndex: index,
        logIndex: firstLogIndex + j,
      }),
    ),
    logsBloom: toData(r.logsBloom),
    status: toQuantity(r.status),
    to: t.tx.to ? toChecksumAddress(t.tx.to.bytes) : null,
    transactionHash: toData(t.hash),
    transactionIndex: toQuantity(index),
    type: toQuantity(t.tx.type),
  };
}

/**
 * Receipt JSON of every transaction of `block`, or only of the one at `onlyIndex`.
 * @throws {RangeError} when the receipts do not match the block's transactions (a store inconsistency).
 */
export function formatBlockReceipts(block: RpcBlock, receipts: RpcReceipt[], onlyIndex?: number): Record<string, unknown>[] {
  if (receipts.length !== block.transactions.length) {
    throw new RangeError(`block ${block.header.number}: ${receipts.length} receipts for ${block.transactions.length} txs`);
  }
  const out: Record<string, unknown>[] = [];
  let prevCumulative = 0n;
  let logIndex = 0;
  for (let i = 0; i < receipts.length; i++) {
    const r = receipts[i] as RpcReceipt;
    if (onlyIndex === undefined || onlyIndex === i) {
      out.push(formatOne(block, r, block.transactions[i] as RpcTransaction, i, r.cumulativeGasUsed - prevCumulative, logIndex));
    }
    prevCumulative = r.cumulativeGasUsed;
    logIndex += r.logs.length;
  }
  return out;
}
