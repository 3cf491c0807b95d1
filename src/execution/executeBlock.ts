/**
 * Applying a block's transactions to the parent state (deterministic: same parent state + block ⇒
 * same roots on any node). Returns the receipts, gas, bloom, roots and the state commit to persist;
 * nothing is written here.
 */
import {
  type Block,
  BlockError,
  BlockErrorCode,
  CxError,
  type CxReceipt,
  type IndexedCxReceipt,
  type Receipt,
  type SignedTransaction,
  TransactionError,
  bloomOr,
  computeCxReceiptsRoot,
  createBloom,
  encodeReceipt,
  orderedTrieRoot,
} from "../core/index.ts";
import type { StateCommit, WorldState } from "../state/index.ts";
import { type BlockContext, type EVMBlock, type ShardEVM, toEVMBlock } from "./evmEnv.ts";
import { type MessageResult, applyMessage, receiptOf } from "./message.ts";
import { checkTransaction, messageFromTransaction } from "./transaction.ts";
import { type FinalizeInput, finalizeBlock } from "./finalize.ts";
import { type IncomingCxOptions, applyIncomingReceipts } from "./cxIncoming.ts";
import { cxReceiptsFromLogs, isCxTransferLog } from "./cxOutgoing.ts";
import { type SupplyTotals, processSupplyTotals } from "./supplyAccount.ts";

/** Where the time of a block went, in ms. */
export interface ExecutionTimings {
  /** Running transactions (transfers and EVM). */
  execution: number;
  /** Of which in the EVM interpreter. */
  evm: number;
  /** Folding changes into tries and hashing (state root). */
  stateRoot: number;
  /** Receipts trie. */
  receiptsRoot: number;
}

/** Result of executing a block. */
export interface BlockExecutionResult {
  readonly receipts: Receipt[];
  readonly gasUsed: bigint;
  readonly logsBloom: Uint8Array;
  readonly receiptsRoot: Uint8Array;
  /** Consensus encodings of the receipts (the receipts trie values). */
  readonly encodedReceipts: Uint8Array[];
  readonly stateRoot: Uint8Array;
  /** Ops and cache entries of the new state; land them with the block in one batch. */
  readonly stateCommit: StateCommit;
  /** Wei burnt as fees. */
  readonly burnt: bigint;
  /** Wei issued as block reward by the finalize step. */
  readonly issued: bigint;
  /** The next epoch's shard state when the finalize step ran an epoch end, else empty. */
  readonly shardState: Uint8Array;
  /** The double-sign records the finalize step applied (encoded as the header's `slashes`), else empty. */
  readonly slashes: Uint8Array;
  /** Wei burnt by those slashes. */
  readonly burntSlashes: bigint;
  /** Per-transaction results (return data, created address, EVM error). */
  readonly results: MessageResult[];
  /** Cross-shard receipts the transactions emitted, in order (their positions are their indexes). */
  readonly outgoingCxReceipts: CxReceipt[];
  /** Root over {@link outgoingCxReceipts}: the header's `outgoingCxReceiptsRoot`. */
  readonly outgoingCxReceiptsRoot: Uint8Array;
  /** Wei that left this shard in those receipts (in flight, not burnt). */
  readonly cxOut: bigint;
  /** Root over the incoming receipts credited: the header's `incomingCxReceiptsRoot`. */
  readonly incomingCxReceiptsRoot: Uint8Array;
  /** Wei credited by those receipts. */
  readonly cxIn: bigint;
  /** The shard's running totals after this block, as written into the supply account. */
  readonly supply: SupplyTotals;
  readonly timings: ExecutionTimings;
}

/** An in-progress block: the running totals of {@link applyTransaction}. */
export interface BlockInProgress {
  readonly ctx: BlockContext;
  readonly evmBlock: EVMBlock;
  gasUsed: bigint;
  burnt: bigint;
  readonly receipts: Receipt[];
  readonly results: MessageResult[];
  readonly logsBloom: Uint8Array;
  /** Cross-shard receipts emitted so far. */
  readonly cxReceipts: CxReceipt[];
  cxOut: bigint;
  evmMs: number;
}

/** Start a block on a context. */
export function startBlock(ctx: BlockContext): BlockInProgress {
  return { ctx, evmBlock: toEVMBlock(ctx), gasUsed: 0n, burnt: 0n, receipts: [], results: [], logsBloom: createBloom(), cxReceipts: [], cxOut: 0n, evmMs: 0 };
}

/**
 * Check and run one transaction on `shard.stateManager.world`, appending its receipt.
 * @throws {TransactionError} when the transaction is invalid here (nothing changed then).
 */
export async function applyTransaction(shard: ShardEVM, b: BlockInProgress, tx: SignedTransaction, sender: Uint8Array): Promise<MessageResult> {
  const world = shard.stateManager.world;
  const m = messageFromTransaction(tx, sender, b.ctx.baseFee);
  checkTransaction(world, tx, m, { gasAvailable: b.ctx.gasLimit - b.gasUsed, baseFee: b.ctx.baseFee });
  const t0 = performance.now();
  const r = await applyMessage(shard, b.evmBlock, m);
  if (!r.fastPath) b.evmMs += performance.now() - t0;
  b.gasUsed += r.gasUsed;
  b.burnt += r.burnt;
  const receipt = receiptOf(m, r, b.gasUsed);
  if (receipt.logs.length > 0) bloomOr(b.logsBloom, receipt.logsBloom);
  if (r.success && r.logs.some(isCxTransferLog)) {
    for (const cx of cxReceiptsFromLogs(shard.shardId, tx.hash(), r.logs)) {
      b.cxReceipts.push(cx);
      b.cxOut += cx.amount;
    }
  }
  b.receipts.push(receipt);
  b.results.push(r);
  return r;
}

/**
 * Credit the incoming cross-shard receipts (when given; their proofs checked by the caller), run the
 * finalize step (when given), add the block's figures to the supply account's totals, fold the world state and compute the roots of a finished block.
 * @throws {BlockError} CX_RECEIPT_INVALID when an incoming receipt cannot be credited here.
 */
export function finishBlock(world: WorldState, b: BlockInProgress, executionMs: number, finalize?: FinalizeInput, incoming?: IncomingCxInput): BlockExecutionResult {
  const cx = incomingOf(world, incoming);
  const fin = finalize === undefined ? { issued: 0n, slashes: new Uint8Array(0), burntSlashes: 0n } : finalizeBlock(world, finalize);
  // Last of the block's changes: the running totals into the supply account, so the state root commits to them.
  const supply = processSupplyTotals(world, { issued: fin.issued, burnt: b.burnt + fin.burntSlashes, cxOut: b.cxOut, cxIn: cx.cxIn });
  const t1 = performance.now();
  const stateCommit = world.commit();
  const t2 = performance.now();
  const encodedReceipts = b.receipts.map(encodeReceipt);
  const receiptsRoot = orderedTrieRoot(encodedReceipts);
  const t3 = performance.now();
  return {
    receipts: b.receipts,
    gasUsed: b.gasUsed,
    logsBloom: b.logsBloom,
    receiptsRoot,
    encodedReceipts,
    stateRoot: stateCommit.root,
    stateCommit,
    burnt: b.burnt,
    issued: fin.issued,
    shardState: fin.shardState ?? new Uint8Array(0),
    slashes: fin.slashes,
    burntSlashes: fin.burntSlashes,
    results: b.results,
    outgoingCxReceipts: b.cxReceipts,
    outgoingCxReceiptsRoot: computeCxReceiptsRoot(b.cxReceipts),
    cxOut: b.cxOut,
    incomingCxReceiptsRoot: cx.incomingCxReceiptsRoot,
    cxIn: cx.cxIn,
    supply,
    timings: { execution: executionMs, evm: b.evmMs, stateRoot: t2 - t1, receiptsRoot: t3 - t2 },
  };
}

/** The incoming cross-shard receipts a block credits (proofs checked by the caller), and where. */
export interface IncomingCxInput extends IncomingCxOptions {
  readonly receipts: readonly IndexedCxReceipt[];
}

function incomingOf(world: WorldState, incoming: IncomingCxInput | undefined) {
  if (incoming === undefined) return applyIncomingReceipts(world, [], { shardId: 0, maxReceipts: 0 });
  try {
    return applyIncomingReceipts(world, incoming.receipts, incoming);
  } catch (e) {
    if (!(e instanceof CxError)) throw e;
    const index = "index" in e.type ? e.type.index : -1;
    throw new BlockError({ code: BlockErrorCode.CX_RECEIPT_INVALID, index, cxCode: e.code, reason: e.message }, `invalid incoming cross-shard receipt: ${e.message}`, { cause: e });
  }
}

/**
 * Execute every transaction of `block` on `world` (the parent state) with their senders, then credit
 * its incoming cross-shard receipts (when given).
 * @throws {BlockError} INVALID_TRANSACTION when a transaction cannot be applied; CX_RECEIPT_INVALID.
 */
export async function executeBlock(shard: ShardEVM, world: WorldState, block: Block, senders: readonly Uint8Array[], ctx: BlockContext, finalize?: FinalizeInput, incoming?: IncomingCxInput): Promise<BlockExecutionResult> {
  shard.stateManager.world = world;
  const b = startBlock(ctx);
  const t0 = performance.now();
  const txs = block.transactions;
  for (let i = 0; i < txs.length; i++) {
    try {
      await applyTransaction(shard, b, txs[i] as SignedTransaction, senders[i] as Uint8Array);
    } catch (e) {
      if (!(e instanceof TransactionError)) throw e;
      throw new BlockError({ code: BlockErrorCode.INVALID_TRANSACTION, index: i, txCode: e.code, reason: e.message }, `invalid transaction ${i}: ${e.message}`, { cause: e });
    }
  }
  return finishBlock(world, b, performance.now() - t0, finalize, incoming);
}
