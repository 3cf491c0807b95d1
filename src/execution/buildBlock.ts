/**
 * Building a block for the producer (leader or `--dev`): run candidate transactions in order on the
 * parent state, skip the ones that are invalid now or do not fit the remaining gas, and assemble the
 * header over the result. The result can be committed without re-execution.
 */
import {
  type Block,
  type ChainConfig,
  type CxProof,
  type Header,
  type SignedTransaction,
  TX_GAS,
  TransactionError,
  computeTxRoot,
  createBlock,
  createHeader,
} from "../core/index.ts";
import type { WorldState } from "../state/index.ts";
import type { DoubleSignRecord } from "../staking/index.ts";
import type { BlockContext, ShardEVM } from "./evmEnv.ts";
import { type BlockExecutionResult, type IncomingCxInput, applyTransaction, finishBlock, startBlock } from "./executeBlock.ts";
import type { FinalizeInput } from "./finalize.ts";

/** A transaction offered to the builder, with its sender recovered. */
export interface CandidateTx {
  readonly tx: SignedTransaction;
  readonly sender: Uint8Array;
}

/** Header fields the producer chooses. */
export interface BuildBlockOptions {
  /** Seconds; must not be below the parent's. */
  timestamp: bigint;
  coinbase?: Uint8Array;
  viewId?: bigint;
  extraData?: Uint8Array;
  mixHash?: Uint8Array;
  lastCommitSig?: Uint8Array;
  lastCommitBitmap?: Uint8Array;
  vrf?: Uint8Array;
  vdf?: Uint8Array;
  /** Stop adding transactions after this many. */
  maxTransactions?: number;
  /** The finalize step's input (beacon blocks with staking active); the chain provides it. */
  finalize?: FinalizeInput;
  /** Double-sign records to include (slashing active; ones that do not apply are left out). */
  slashes?: readonly DoubleSignRecord[];
  /** The header's encoded crosslinks (beacon), chosen and verified by the chain. */
  crossLinks?: Uint8Array;
  /** Incoming cross-shard receipts to credit (proofs checked by the caller); they set `incomingCxReceiptsRoot`. */
  incoming?: IncomingCxInput;
  /** The proofs of those receipts, carried in the block body (the receipts of `incoming`, in order). */
  incomingProofs?: readonly CxProof[];
  /**
   * The block's epoch. Default `config.nextEpoch(parent)`; a shard chain passes its own, which follows
   * the beacon chain.
   */
  epoch?: bigint;
  /**
   * A shard block's `shardState` (its chain's epoch marker: the beacon's next committees when the block
   * closes its epoch). Beacon blocks take theirs from the finalize step.
   */
  shardState?: Uint8Array;
}

/** A built block with its senders and execution result. */
export interface BuiltBlock {
  readonly block: Block;
  readonly senders: Uint8Array[];
  readonly result: BlockExecutionResult;
  /** Candidates left out, with why. */
  readonly skipped: { tx: SignedTransaction; error: TransactionError }[];
}

/**
 * Build the next block on `parent` from `candidates` using `world` (a change set at the parent's root).
 * @throws only on broken invariants (missing state); invalid candidates are skipped.
 */
export async function buildBlock(config: ChainConfig, shard: ShardEVM, world: WorldState, parent: Header, candidates: Iterable<CandidateTx>, opts: BuildBlockOptions): Promise<BuiltBlock> {
  const number = parent.number + 1n;
  const epoch = opts.epoch ?? config.nextEpoch(parent);
  const ctx: BlockContext = {
    number,
    timestamp: opts.timestamp < parent.timestamp ? parent.timestamp : opts.timestamp,
    coinbase: opts.coinbase ?? new Uint8Array(20),
    gasLimit: config.blockGasLimit,
    mixHash: opts.mixHash ?? new Uint8Array(32),
    // The one place a base fee is chosen: the config rule, written into the header below.
    baseFee: config.baseFee(epoch),
  };
  shard.stateManager.world = world;
  const b = startBlock(ctx);
  const included: SignedTransaction[] = [];
  const senders: Uint8Array[] = [];
  const skipped: { tx: SignedTransaction; error: TransactionError }[] = [];
  const t0 = performance.now();
  for (const c of candidates) {
    if (ctx.gasLimit - b.gasUsed < TX_GAS || included.length >= (opts.maxTransactions ?? Number.POSITIVE_INFINITY)) break;
    world.checkpoint();
    try {
      await applyTransaction(shard, b, c.tx, c.sender);
      world.commitCheckpoint();
      included.push(c.tx);
      senders.push(c.sender);
    } catch (e) {
      world.revert();
      if (!(e instanceof TransactionError)) throw e;
      skipped.push({ tx: c.tx, error: e });
    }
  }
  const result = finishBlock(world, b, performance.now() - t0, opts.finalize, opts.incoming);
  const header = createHeader({
    parentHash: parent.hash,
    number,
    shardId: parent.shardId,
    epoch,
    viewId: opts.viewId ?? parent.viewId + 1n,
    timestamp: ctx.timestamp,
    coinbase: ctx.coinbase,
    stateRoot: result.stateRoot,
    txRoot: computeTxRoot(included),
    receiptsRoot: result.receiptsRoot,
    outgoingCxReceiptsRoot: result.outgoingCxReceiptsRoot,
    incomingCxReceiptsRoot: result.incomingCxReceiptsRoot,
    logsBloom: result.logsBloom,
    gasLimit: ctx.gasLimit,
    gasUsed: result.gasUsed,
    baseFeePerGas: ctx.baseFee,
    mixHash: ctx.mixHash,
    ...(opts.extraData ? { extraData: opts.extraData } : {}),
    ...(opts.lastCommitSig ? { lastCommitSig: opts.lastCommitSig } : {}),
    ...(opts.lastCommitBitmap ? { lastCommitBitmap: opts.lastCommitBitmap } : {}),
    ...(opts.vrf ? { vrf: opts.vrf } : {}),
    ...(opts.vdf ? { vdf: opts.vdf } : {}),
    ...(result.shardState.length > 0 ? { shardState: result.shardState } : opts.shardState ? { shardState: opts.shardState } : {}),
    ...(result.slashes.length > 0 ? { slashes: result.slashes } : {}),
    ...(opts.crossLinks ? { crossLinks: opts.crossLinks } : {}),
  });
  return { block: createBlock(header, included, opts.incomingProofs ?? []), senders, result, skipped };
}
