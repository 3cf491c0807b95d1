/**
 * `eth_call` / `eth_estimateGas` on a block's state (the chain's read side), and the key order of a
 * block's write batch.
 * @module
 */
import type { ChainConfig, Header } from "../core/index.ts";
import {
  type CallPacer, type CallParams, type CallResult, type EstimateResult, type SimulateOptions, blockContextOf, estimateGas, simulateCall,
} from "../execution/index.ts";
import type { StateStore } from "../state/index.ts";
import type { ChainDB } from "./chainDB.ts";
import type { ChainCallOptions } from "./chainTypes.ts";

/** What a call needs of the chain. */
export interface CallContext {
  readonly config: ChainConfig;
  readonly shardId: number;
  readonly store: StateStore;
  readonly db: ChainDB;
  readonly head: Header;
  readonly gasCap: bigint;
  readonly pacer: CallPacer;
}

function simulation(c: CallContext, o: ChainCallOptions) {
  const block = o.block ?? c.head;
  const env = { config: c.config, shardId: c.shardId, store: c.store, getBlockHash: (n: bigint) => c.db.getCanonicalHash(n), stateRootAt: (n: bigint) => c.db.getHeaderByNumber(n)?.stateRoot };
  const opts: SimulateOptions = {
    gasCap: o.gasCap ?? c.gasCap,
    blockContext: blockContextOf(block),
    ...(o.stateOverrides ? { stateOverrides: o.stateOverrides } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    pacer: c.pacer,
  };
  return { block, env, opts };
}

/** The state root and simulation options of a call, without the pacer (for a call worker). */
export function getCallSetup(c: CallContext, o: ChainCallOptions): { stateRoot: Uint8Array; opts: Omit<SimulateOptions, "pacer"> } {
  const { block, opts } = simulation(c, o);
  const { pacer: _, ...rest } = opts;
  return { stateRoot: block.stateRoot, opts: rest };
}

/** `eth_call`. @throws as `simulateCall`. */
export function runChainCall(c: CallContext, params: CallParams, o: ChainCallOptions): Promise<CallResult> {
  const { block, env, opts } = simulation(c, o);
  return simulateCall(env, block.stateRoot, params, opts);
}

/** `eth_estimateGas`. @throws as `estimateGas`. */
export function runChainEstimate(c: CallContext, params: CallParams, o: ChainCallOptions): Promise<EstimateResult> {
  const { block, env, opts } = simulation(c, o);
  return estimateGas(env, block.stateRoot, params, opts);
}

// Key order makes sqlite's B-tree inserts local (≈20% faster for a block's ~10k hashed keys).
export function compareOpKeys(a: { key: Uint8Array }, b: { key: Uint8Array }): number {
  const x = a.key;
  const y = b.key;
  const n = x.length < y.length ? x.length : y.length;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
