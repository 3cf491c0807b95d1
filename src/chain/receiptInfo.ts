/** Included transactions and their receipts with the fields RPC derives from the block (geth's). */
import { generateAddress } from "@ethereumjs/util";
import { type Receipt, type SignedTransaction, bigintToBytes, effectiveGasPrice } from "../core/index.ts";
import type { ChainDB } from "./chainDB.ts";
import type { LogEntry } from "./logs.ts";

/** A transaction as included in a block. */
export interface IncludedTransaction {
  readonly tx: SignedTransaction;
  readonly sender: Uint8Array;
  readonly blockHash: Uint8Array;
  readonly blockNumber: bigint;
  readonly index: number;
}

/** A receipt with everything RPC derives from the block (geth's receipt fields). */
export interface TransactionReceiptInfo extends IncludedTransaction {
  readonly receipt: Receipt;
  readonly gasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  readonly contractAddress?: Uint8Array;
  readonly logs: readonly LogEntry[];
}

/** The included transaction with this hash, or undefined. */
export function findTransaction(db: ChainDB, txHash: Uint8Array): IncludedTransaction | undefined {
  const loc = db.getTxLocation(txHash);
  if (loc === undefined) return undefined;
  const blockHash = db.getCanonicalHash(loc.blockNumber);
  const tx = blockHash === undefined ? undefined : db.getTransactions(blockHash)?.[loc.index];
  const sender = blockHash === undefined ? undefined : db.getSenders(blockHash)?.[loc.index];
  if (blockHash === undefined || tx === undefined || sender === undefined) return undefined;
  return { tx, sender, blockHash, blockNumber: loc.blockNumber, index: loc.index };
}

/**
 * The receipt of `inc` with gas used (cumulative difference), effective gas price (at the block's
 * base fee), created contract address and log positions.
 */
export function deriveReceiptInfo(db: ChainDB, inc: IncludedTransaction, txHash: Uint8Array): TransactionReceiptInfo | undefined {
  const receipts = db.getReceipts(inc.blockHash);
  const header = db.getHeader(inc.blockHash);
  const receipt = receipts?.[inc.index];
  if (receipts === undefined || header === undefined || receipt === undefined) return undefined;
  const prevCumulative = inc.index === 0 ? 0n : (receipts[inc.index - 1] as Receipt).cumulativeGasUsed;
  let firstLogIndex = 0;
  for (let i = 0; i < inc.index; i++) firstLogIndex += (receipts[i] as Receipt).logs.length;
  const logs = receipt.logs.map((l, k) => ({ ...l, blockNumber: inc.blockNumber, blockHash: inc.blockHash, transactionHash: txHash, transactionIndex: inc.index, logIndex: firstLogIndex + k }));
  const created = inc.tx.to === undefined ? generateAddress(inc.sender, bigintToBytes(inc.tx.nonce)) : undefined;
  return {
    ...inc,
    receipt,
    gasUsed: receipt.cumulativeGasUsed - prevCumulative,
    effectiveGasPrice: effectiveGasPrice(inc.tx, header.baseFeePerGas),
    ...(created !== undefined ? { contractAddress: created } : {}),
    logs,
  };
}
