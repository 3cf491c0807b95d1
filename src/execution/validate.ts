/**
 * Validation of a block in two separate steps (issue 3): `validateBody` before execution (header
 * against parent and config, tx root, transaction types and chain id, signatures) and `validateState`
 * after it (the roots and totals a re-execution produced against the header's claims).
 */
import {
  type Block,
  BlockError,
  BlockErrorCode,
  type ChainConfig,
  type Header,
  computeTxRoot,
  TransactionErrorCode,
} from "../core/index.ts";
import type { BlockExecutionResult } from "./executeBlock.ts";
import { type SenderRecoveryPool, type SenderRecoveryStats, recoverSenders } from "./senders.ts";
import { isBeacon } from "../core/index.ts";

function hex(b: Uint8Array): string {
  let s = "0x";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function mismatch(field: string, expected: string, actual: string): BlockError {
  return new BlockError({ code: BlockErrorCode.PARENT_MISMATCH, field, expected, actual }, `block does not follow its parent: ${field} ${actual}, expected ${expected}`);
}

/**
 * Check a header against its parent and the chain config (no state needed).
 * @throws {BlockError} INVALID_HEADER, PARENT_MISMATCH, GAS_LIMIT_INVALID or BASE_FEE_INVALID.
 */
export function validateHeader(config: ChainConfig, header: Header, parent: Header): void {
  header.validateBasic();
  if (!equal(header.parentHash, parent.hash)) throw mismatch("parentHash", hex(parent.hash), hex(header.parentHash));
  if (header.number !== parent.number + 1n) throw mismatch("number", String(parent.number + 1n), String(header.number));
  if (header.shardId !== parent.shardId) throw mismatch("shardId", String(parent.shardId), String(header.shardId));
  if (header.timestamp < parent.timestamp) throw mismatch("timestamp", `≥ ${parent.timestamp}`, String(header.timestamp));
  // Beacon epochs are block-number based; a shard's next epoch starts after the block that carries
  // its shard state (the block closing an epoch copies the beacon chain's next committees).
  const epoch = isBeacon(header.shardId) ? config.epochOf(header.number) : parent.number > 0n && parent.shardState.length > 0 ? parent.epoch + 1n : parent.epoch;
  if (header.epoch !== epoch) throw mismatch("epoch", String(epoch), String(header.epoch));
  if (header.gasLimit !== config.blockGasLimit) {
    throw new BlockError({ code: BlockErrorCode.GAS_LIMIT_INVALID, expected: config.blockGasLimit, actual: header.gasLimit }, `invalid gas limit ${header.gasLimit}, expected ${config.blockGasLimit}`);
  }
  const baseFee = config.baseFee(header.epoch);
  if (header.baseFeePerGas !== baseFee) {
    throw new BlockError({ code: BlockErrorCode.BASE_FEE_INVALID, expected: baseFee, actual: header.baseFeePerGas }, `invalid base fee ${header.baseFeePerGas}, expected ${baseFee}`);
  }
}

/** Options of {@link validateBody}. */
export interface ValidateBodyOptions {
  /** Known senders aligned with the transactions (from the txpool's cache). */
  senders?: readonly (Uint8Array | undefined)[];
  pool?: SenderRecoveryPool;
  /** Sender recovery counters to add this block to. */
  stats?: SenderRecoveryStats;
}

/**
 * Everything about a block that needs no state: header vs parent and config, tx root, transaction
 * types and chain id, and a recoverable sender for every transaction. Returns the senders.
 * @throws {BlockError} on the first problem found.
 */
export async function validateBody(config: ChainConfig, block: Block, parent: Header, opts: ValidateBodyOptions = {}): Promise<Uint8Array[]> {
  validateHeader(config, block.header, parent);
  const chainId = config.chainId(block.header.shardId);
  block.transactions.forEach((tx, index) => {
    if (tx.type > 2) {
      throw new BlockError({ code: BlockErrorCode.INVALID_TRANSACTION, index, txCode: TransactionErrorCode.UNSUPPORTED_TYPE, reason: `type ${tx.type}` }, `invalid transaction ${index}: type ${tx.type} not supported`);
    }
    if (tx.common.chainId() !== chainId) {
      const reason = `chain id ${tx.common.chainId()}, want ${chainId}`;
      throw new BlockError({ code: BlockErrorCode.INVALID_TRANSACTION, index, txCode: TransactionErrorCode.WRONG_CHAIN_ID, reason }, `invalid transaction ${index}: ${reason}`);
    }
  });
  const txRoot = computeTxRoot(block.transactions);
  if (!equal(txRoot, block.header.txRoot)) {
    throw new BlockError({ code: BlockErrorCode.TX_ROOT_MISMATCH, expected: block.header.txRoot, actual: txRoot }, `tx root mismatch: header ${hex(block.header.txRoot)}, body ${hex(txRoot)}`);
  }
  return recoverSenders(block.transactions, { ...(opts.senders ? { known: opts.senders } : {}), ...(opts.pool ? { pool: opts.pool } : {}), ...(opts.stats ? { stats: opts.stats } : {}) });
}

/**
 * Compare what re-execution produced with what the header claims.
 * @throws {BlockError} GAS_USED_MISMATCH, RECEIPTS_ROOT_MISMATCH, OUTGOING_CX_ROOT_MISMATCH,
 * INCOMING_CX_ROOT_MISMATCH, BLOOM_MISMATCH or STATE_ROOT_MISMATCH.
 */
export function validateState(block: Block, result: BlockExecutionResult): void {
  const h = block.header;
  if (h.gasUsed !== result.gasUsed) {
    throw new BlockError({ code: BlockErrorCode.GAS_USED_MISMATCH, expected: h.gasUsed, actual: result.gasUsed }, `gas used mismatch: header ${h.gasUsed}, execution ${result.gasUsed}`);
  }
  if (!equal(h.receiptsRoot, result.receiptsRoot)) {
    throw new BlockError({ code: BlockErrorCode.RECEIPTS_ROOT_MISMATCH, expected: h.receiptsRoot, actual: result.receiptsRoot }, `receipts root mismatch: header ${hex(h.receiptsRoot)}, execution ${hex(result.receiptsRoot)}`);
  }
  if (!equal(h.outgoingCxReceiptsRoot, result.outgoingCxReceiptsRoot)) {
    throw new BlockError({ code: BlockErrorCode.OUTGOING_CX_ROOT_MISMATCH, expected: h.outgoingCxReceiptsRoot, actual: result.outgoingCxReceiptsRoot }, `outgoing cross-shard receipts root mismatch: header ${hex(h.outgoingCxReceiptsRoot)}, execution ${hex(result.outgoingCxReceiptsRoot)}`);
  }
  if (!equal(h.incomingCxReceiptsRoot, result.incomingCxReceiptsRoot)) {
    throw new BlockError({ code: BlockErrorCode.INCOMING_CX_ROOT_MISMATCH, expected: h.incomingCxReceiptsRoot, actual: result.incomingCxReceiptsRoot }, `incoming cross-shard receipts root mismatch: header ${hex(h.incomingCxReceiptsRoot)}, credited ${hex(result.incomingCxReceiptsRoot)}`);
  }
  if (!equal(h.logsBloom, result.logsBloom)) throw new BlockError({ code: BlockErrorCode.BLOOM_MISMATCH }, "logs bloom mismatch");
  if (!equal(h.shardState, result.shardState)) {
    throw new BlockError({ code: BlockErrorCode.SHARD_STATE_MISMATCH, expected: result.shardState, actual: h.shardState }, "shard state mismatch: the header's committees are not the ones the epoch end elected");
  }
  if (!equal(h.slashes, result.slashes)) {
    throw new BlockError({ code: BlockErrorCode.SLASHES_INVALID, index: -1, reason: "not the records applied" }, "slashes mismatch: the header's slashes are not the records the finalize step applied");
  }
  if (!equal(h.stateRoot, result.stateRoot)) {
    throw new BlockError({ code: BlockErrorCode.STATE_ROOT_MISMATCH, expected: h.stateRoot, actual: result.stateRoot }, `state root mismatch: header ${hex(h.stateRoot)}, execution ${hex(result.stateRoot)}`);
  }
}
