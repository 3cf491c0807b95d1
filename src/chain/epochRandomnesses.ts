/**
 * The beacon chain's epoch randomness, derived by the chain itself (DESIGN §Randomness, issue 9):
 * every beacon block is folded into the epoch's accumulator (`processBeaconHeader`), a block that
 * breaks the beacon's rules (place, epoch, VRF size, VDF window/duplicate/proof) is invalid, and the
 * epoch's final randomness (VDF output or fallback) is written under `cD ‖ epoch u64 BE` in the batch
 * of the block that makes it final (offset E − 2). The accumulator of the head is rebuilt from the
 * stored headers of the head's epoch when the chain opens. The epoch's last block deals the next
 * committees with it (epochShardStates.ts), so a shard state is checked from the chain alone.
 * @module
 */
import { BlockError, BlockErrorCode, type ChainConfig, type Header } from "../core/index.ts";
import {
  type EpochRandomness, type EpochRandomnessJSON, type EpochRandomnessState, type RandomnessParams, RandomnessError, createEpochRandomnessState, createEpochRandomnessStateFromHeaders, createRandomnessParams,
  epochFirstBlock, epochOfBlock, epochRandomnessToJSON, getEpochRandomness, isEpochRandomnessFinal, processBeaconHeader,
} from "../randomness/index.ts";
import type { BatchOp, KVStore } from "../store/index.ts";
import { concatBytes, hexToBytes } from "../util/bytes.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { encodeNumber } from "./keys.ts";
import { isBeacon } from "../core/index.ts";

const PREFIX = new TextEncoder().encode("cD");
// The chain derives; VRF presence is checked with its signature by consensus (see processBeaconHeader).
const FOLD = { requireVRF: false } as const;

/** Store key of an epoch's final randomness. */
export function epochRandomnessKey(epoch: bigint): Uint8Array {
  return concatBytes(PREFIX, encodeNumber(epoch));
}

/** The headers the accumulator is rebuilt from. */
export interface RandomnessHeaders {
  getHeaderByNumber(n: bigint): Header | undefined;
}

/** A block folded into the accumulator, not yet committed: its state and the writes of its batch. */
export interface RandomnessStep {
  readonly parentHash: Uint8Array;
  readonly state: EpochRandomnessState;
  readonly ops: BatchOp[];
}

/** The epoch randomness of a beacon chain (shard 0): the head's accumulator and the final values. */
export class EpochRandomnesses {
  readonly params: RandomnessParams;
  readonly #kv: KVStore;
  #state: EpochRandomnessState;

  /**
   * Rebuild the head's accumulator from the stored headers of its epoch, and write the final
   * randomness of earlier epochs that a store lacks (one written before the chain derived it).
   * @throws {ChainError} CORRUPT when a stored header is missing or breaks the beacon's rules.
   */
  constructor(params: RandomnessParams, kv: KVStore, opts: { head: Header; headers: RandomnessHeaders }) {
    this.params = params;
    this.#kv = kv;
    const headEpoch = epochOfBlock(params, opts.head.number);
    const ops: BatchOp[] = [];
    for (let e = 0n; e < headEpoch; e++) {
      if (kv.get(epochRandomnessKey(e)) === undefined) ops.push(finalOp(replay(params, opts.headers, e, epochFirstBlock(params, e + 1n) - 1n), params));
    }
    this.#state = replay(params, opts.headers, headEpoch, opts.head.number);
    if (isEpochRandomnessFinal(this.#state, params) && kv.get(epochRandomnessKey(headEpoch)) === undefined) ops.push(finalOp(this.#state, params));
    if (ops.length > 0) kv.batch(ops);
  }

  /** The accumulator after the head. */
  get state(): EpochRandomnessState {
    return this.#state;
  }

  /**
   * Fold `header` (the head's child) into the head's accumulator without changing anything; `ops`
   * write the epoch's randomness when this block makes it final.
   * @throws {BlockError} INVALID_HEADER when the header breaks the beacon's rules.
   */
  step(header: Header): RandomnessStep {
    let state: EpochRandomnessState;
    try {
      state = processBeaconHeader(this.#state, header, this.params, FOLD);
    } catch (e) {
      if (!(e instanceof RandomnessError)) throw e;
      throw new BlockError({ code: BlockErrorCode.INVALID_HEADER, field: header.vdf.length > 0 ? "vdf" : "vrf", reason: e.message }, `invalid beacon header: ${e.message}`);
    }
    const becameFinal = isEpochRandomnessFinal(state, this.params) && (state.epoch !== this.#state.epoch || !isEpochRandomnessFinal(this.#state, this.params));
    return { parentHash: header.parentHash, state, ops: becameFinal ? [finalOp(state, this.params)] : [] };
  }

  /** Adopt a step once its block is committed (its ops were in the block's batch). */
  advance(step: RandomnessStep): void {
    this.#state = step.state;
  }

  /**
   * The final randomness of `epoch`, undefined while it is not final (or the epoch is unknown).
   * @throws {ChainError} CORRUPT when the stored record does not decode.
   */
  get(epoch: bigint): EpochRandomness | undefined {
    const v = this.#kv.get(epochRandomnessKey(epoch));
    return v === undefined ? undefined : decodeRecord(v);
  }
}

/**
 * The epoch randomness of a chain: on the beacon shard only; none when the config's epochs are
 * shorter than the beacon's schedule (E < 4), whose epoch ends then deal slots in election order.
 * @throws {ChainError} CORRUPT as the constructor.
 */
export function openEpochRandomnesses(
  kv: KVStore,
  opts: { config: ChainConfig; shardId: number; head: Header; headers: RandomnessHeaders; params?: RandomnessParams },
): EpochRandomnesses | undefined {
  if (!isBeacon(opts.shardId)) return undefined;
  let params: RandomnessParams;
  try {
    params = opts.params ?? createRandomnessParams(opts.config);
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  return new EpochRandomnesses(params, kv, { head: opts.head, headers: opts.headers });
}

function finalOp(state: EpochRandomnessState, params: RandomnessParams): BatchOp {
  const json = epochRandomnessToJSON(getEpochRandomness(state, params));
  return { type: "put", key: epochRandomnessKey(state.epoch), value: new TextEncoder().encode(JSON.stringify(json)) };
}

function replay(params: RandomnessParams, src: RandomnessHeaders, epoch: bigint, through: bigint): EpochRandomnessState {
  const first = epochFirstBlock(params, epoch);
  const headers: Header[] = [];
  for (let n = first; n <= through; n++) {
    const h = src.getHeaderByNumber(n);
    if (h === undefined) throw corrupt(`header ${n} of epoch ${epoch} missing`);
    headers.push(h);
  }
  const parent = first === 0n ? undefined : src.getHeaderByNumber(first - 1n);
  if (first > 0n && parent === undefined) throw corrupt(`header ${first - 1n} missing`);
  try {
    return headers.length === 0
      ? createEpochRandomnessState(params, epoch, parent?.hash)
      : createEpochRandomnessStateFromHeaders(params, epoch, { headers, ...(parent ? { parentHash: parent.hash } : {}), ...FOLD });
  } catch (e) {
    if (e instanceof RandomnessError) throw corrupt(`stored beacon header breaks the beacon's rules: ${e.message}`);
    throw e;
  }
}

function decodeRecord(v: Uint8Array): EpochRandomness {
  try {
    const j = JSON.parse(new TextDecoder().decode(v)) as EpochRandomnessJSON;
    return {
      epoch: BigInt(j.epoch),
      randomness: hexToBytes(j.randomness),
      pRnd: hexToBytes(j.pRnd),
      vdfProof: j.vdfProof === null ? null : hexToBytes(j.vdfProof),
      vdfBlock: j.vdfBlock === null ? null : BigInt(j.vdfBlock),
      source: j.source,
    };
  } catch (e) {
    throw corrupt(`epoch randomness record: ${(e as Error).message}`);
  }
}

function corrupt(reason: string): ChainError {
  return new ChainError({ code: ChainErrorCode.CORRUPT, reason }, `store is corrupt: ${reason}`);
}
