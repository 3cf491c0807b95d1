/**
 * `eth_call` / `eth_estimateGas`: run a message on the state at a root with optional state overrides,
 * a gas cap and a time budget, and never commit. Each call gets its own EVM (≈1 ms to create), so
 * concurrent calls do not share interpreter state.
 */
import { type ChainConfig, TransactionError, TransactionErrorCode, computeIntrinsicGas } from "../core/index.ts";
import { EMPTY_ACCOUNT, type StateStore, WorldState } from "../state/index.ts";
import { CallError, CallErrorCode } from "./errors.ts";
import { type BlockContext, type BlockHashLookup, DeadlineExceeded, type EVMBlock, type ShardEVM, createShardEVM, toEVMBlock } from "./evmEnv.ts";
import type { CallPacer } from "./callPacer.ts";
import { type Message, applyMessage } from "./message.ts";

/** The message of a call; absent fields take defaults (zero sender, no value, gas = cap, price 0). */
export interface CallParams {
  from?: Uint8Array;
  /** Absent or null = contract creation. */
  to?: Uint8Array | null;
  value?: bigint;
  data?: Uint8Array;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList?: { address: Uint8Array; storageKeys: Uint8Array[] }[];
}

/** A temporary change of one account for a single call (geth's state override set). */
export interface StateOverride {
  address: Uint8Array;
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** Replace the whole storage with these 32-byte slot/value pairs. */
  state?: [Uint8Array, Uint8Array][];
  /** Change only these slots. */
  stateDiff?: [Uint8Array, Uint8Array][];
}

/** Where and how a call runs. */
export interface SimulateOptions {
  /** Most gas a call may use. */
  gasCap: bigint;
  blockContext: BlockContext;
  stateOverrides?: readonly StateOverride[];
  /** Time budget; default 5000 ms. */
  timeoutMs?: number;
  /** Share the thread with other work while the call runs (see callPacer.ts). */
  pacer?: CallPacer;
}

/** What a call returned. */
export interface CallResult {
  success: boolean;
  returnData: Uint8Array;
  gasUsed: bigint;
  /** ABI revert data when the call reverted. */
  revertData?: Uint8Array;
  /** EVM halt reason ("revert", "out of gas", "invalid opcode", …) when not successful. */
  error?: string;
}

function hexNoPrefix(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function applyOverrides(world: WorldState, overrides: readonly StateOverride[]): void {
  for (const o of overrides) {
    const cur = world.getAccount(o.address) ?? EMPTY_ACCOUNT;
    world.putAccount(o.address, { ...cur, balance: o.balance ?? cur.balance, nonce: o.nonce ?? cur.nonce });
    if (o.code !== undefined) world.putCode(o.address, o.code);
    if (o.state !== undefined) world.wipeStorage(o.address);
    for (const [k, v] of [...(o.state ?? []), ...(o.stateDiff ?? [])]) world.putStorage(o.address, k, v);
  }
}

/** Everything a {@link simulateCall} needs from the chain. */
export interface CallEnvironment {
  config: ChainConfig;
  shardId: number;
  store: StateStore;
  getBlockHash: BlockHashLookup;
  /** State root of canonical block `n` (reportDoubleSign's snapshot); without it reports revert. */
  stateRootAt?: (n: bigint) => Uint8Array | undefined;
}

/**
 * Run `params` on the state at `stateRoot`; nothing is committed.
 * @throws {TransactionError} INTRINSIC_GAS_TOO_LOW or INSUFFICIENT_FUNDS (as geth's eth_call);
 *   {CallError} TIMEOUT; {StateError} UNKNOWN_ROOT / {TrieError} for unavailable state.
 */
export async function simulateCall(env: CallEnvironment, stateRoot: Uint8Array, params: CallParams, opts: SimulateOptions): Promise<CallResult> {
  const { shard, m, block, timeoutMs } = await prepareCall(env, stateRoot, params, opts);
  try {
    const r = await applyMessage(shard, block, m);
    return {
      success: r.success,
      returnData: r.returnData,
      gasUsed: r.gasUsed,
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.error === "revert" ? { revertData: r.returnData } : {}),
    };
  } catch (e) {
    if (e instanceof DeadlineExceeded) throw new CallError({ code: CallErrorCode.TIMEOUT, timeoutMs }, `execution aborted (timeout = ${timeoutMs / 1000}s)`);
    throw e;
  }
}

/** A call ready to run: its EVM (world state set, overrides applied, deadline armed), message and block. */
export interface PreparedCall {
  shard: ShardEVM;
  m: Message;
  block: EVMBlock;
  timeoutMs: number;
}

/**
 * The checks and set-up of {@link simulateCall} without running the message (tracers run it themselves).
 * @throws {TransactionError} INTRINSIC_GAS_TOO_LOW, GAS_PRICE_TOO_LOW or INSUFFICIENT_FUNDS.
 */
export async function prepareCall(env: CallEnvironment, stateRoot: Uint8Array, params: CallParams, opts: SimulateOptions): Promise<PreparedCall> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  const shard = await createShardEVM(env.config, env.shardId, env.store, env.getBlockHash, {
    deadline: () => deadline,
    ...(opts.pacer ? { pacer: opts.pacer } : {}),
    ...(env.stateRootAt ? { stateRootAt: env.stateRootAt } : {}),
  });
  const world = new WorldState(env.store, stateRoot);
  applyOverrides(world, opts.stateOverrides ?? []);
  const from = params.from ?? new Uint8Array(20);
  const to = params.to ?? undefined;
  const data = params.data ?? new Uint8Array(0);
  const value = params.value ?? 0n;
  const gasLimit = params.gas === undefined || params.gas > opts.gasCap ? opts.gasCap : params.gas;
  const baseFee = opts.blockContext.baseFee;
  // As a block would (and geth's eth_call): a price that is set must cover the header's base fee;
  // an unpriced call (no fee fields, or zero) runs at price 0.
  const feeCap = params.gasPrice ?? params.maxFeePerGas ?? 0n;
  if (feeCap !== 0n && feeCap < baseFee) {
    throw new TransactionError({ code: TransactionErrorCode.GAS_PRICE_TOO_LOW, minimum: baseFee, actual: feeCap }, `max fee per gas less than block base fee: have ${feeCap}, want ${baseFee}`);
  }
  const gasPrice =
    params.gasPrice ??
    (params.maxFeePerGas === undefined ? 0n : minBig(params.maxFeePerGas, baseFee + (params.maxPriorityFeePerGas ?? 0n)));
  const accessList = (params.accessList ?? []).map((i) => ({ address: hexNoPrefix(i.address), storageKeys: i.storageKeys.map(hexNoPrefix) }));
  const intrinsicGas = computeIntrinsicGas({
    data,
    isCreate: to === undefined,
    accessListAddresses: accessList.length,
    accessListSlots: accessList.reduce((n, i) => n + i.storageKeys.length, 0),
  });
  if (gasLimit < intrinsicGas) {
    throw new TransactionError({ code: TransactionErrorCode.INTRINSIC_GAS_TOO_LOW, intrinsic: intrinsicGas, gasLimit }, `intrinsic gas too low: have ${gasLimit}, want ${intrinsicGas}`);
  }
  const balance = world.getAccount(from)?.balance ?? 0n;
  const cost = value + gasLimit * gasPrice;
  if (balance < cost) {
    throw new TransactionError({ code: TransactionErrorCode.INSUFFICIENT_FUNDS, balance, cost }, `insufficient funds for gas * price + value: address has ${balance} want ${cost}`);
  }
  const m: Message = { from, to, value, data, gasLimit, gasPrice, intrinsicGas, accessList, type: 2 };
  shard.stateManager.world = world;
  return { shard, m, block: toEVMBlock(opts.blockContext), timeoutMs };
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Result of {@link estimateGas}: the gas, or the failing result at the most gas allowed (e.g. a revert). */
export type EstimateResult = { ok: true; gas: bigint } | { ok: false; result: CallResult };

/**
 * Smallest gas limit with which the call succeeds, by binary search (a plain transfer is exactly
 * 21000). A call that reverts at the upper bound returns `{ok: false, result}` carrying the revert data.
 * @throws as {@link simulateCall}; {CallError} GAS_REQUIRED_EXCEEDS_ALLOWANCE when it fails for lack of gas.
 */
export async function estimateGas(env: CallEnvironment, stateRoot: Uint8Array, params: CallParams, opts: SimulateOptions): Promise<EstimateResult> {
  let hi = params.gas !== undefined && params.gas < opts.gasCap ? params.gas : opts.gasCap;
  if (opts.blockContext.gasLimit < hi) hi = opts.blockContext.gasLimit;
  const run = (gas: bigint) => simulateCall(env, stateRoot, { ...params, gas }, opts);
  const top = await run(hi);
  if (!top.success) {
    if (top.error === "revert") return { ok: false, result: top };
    throw new CallError({ code: CallErrorCode.GAS_REQUIRED_EXCEEDS_ALLOWANCE, allowance: hi, error: top.error ?? "" }, `gas required exceeds allowance (${hi})`);
  }
  // Usually the gas used is enough; otherwise (refunds, the 63/64 rule) search between it and hi.
  const succeeds = async (gas: bigint) => {
    try {
      return (await run(gas)).success;
    } catch (e) {
      if (e instanceof TransactionError && e.code === TransactionErrorCode.INTRINSIC_GAS_TOO_LOW) return false;
      throw e;
    }
  };
  if (await succeeds(top.gasUsed)) return { ok: true, gas: top.gasUsed };
  let lo = top.gasUsed; // fails; nothing below the gas used (after refunds) can succeed either
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (await succeeds(mid)) hi = mid;
    else lo = mid;
  }
  return { ok: true, gas: hi };
}
