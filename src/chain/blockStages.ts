/**
 * Block processing stages the chain times (its `stages` event), for `/metrics`: the node turns them
 * into a histogram; the chain itself imports nothing of metrics.
 */
import type { ExecutionTimings } from "../execution/index.ts";

/** The stages, in pipeline order. */
export const BLOCK_STAGES = ["validate", "senders", "execute", "finalize", "state_root", "receipts_root", "build", "commit", "import"] as const;
/** One of {@link BLOCK_STAGES}. */
export type BlockStage = (typeof BLOCK_STAGES)[number];

/** Milliseconds per stage of one block (the stages one chain call went through). */
export interface BlockStageTimes {
  readonly number: bigint;
  readonly ms: Readonly<Partial<Record<BlockStage, number>>>;
}

/**
 * The stages of validating and executing a block: `checksMs` (all checks, sender recovery included),
 * `sendersMs` (recovery alone), `executeMs` (the whole execution call) and its own timings, which
 * split it into transactions, roots and the rest (incoming receipts, the finalize step).
 */
export function getValidationStages(number: bigint, o: { checksMs: number; sendersMs: number; executeMs: number; timings: ExecutionTimings }): BlockStageTimes {
  const t = o.timings;
  return {
    number,
    ms: {
      validate: Math.max(0, o.checksMs - o.sendersMs), senders: o.sendersMs, execute: t.execution, state_root: t.stateRoot, receipts_root: t.receiptsRoot,
      finalize: Math.max(0, o.executeMs - t.execution - t.stateRoot - t.receiptsRoot),
    },
  };
}
