/**
 * The beacon's state transition: fold one beacon header into an epoch's {@link EpochRandomnessState}.
 * Pure and synchronous (STYLE §1): the input state is never changed.
 */
import type { Header } from "../core/header.ts";
import { createEpochRandomnessState } from "./epochState.ts";
import type { EpochRandomnessState, IncludedVDF } from "./epochState.ts";
import { RandomnessError, RandomnessErrorCode } from "./errors.ts";
import { epochOfBlock, epochOffset, isVRFActive } from "./params.ts";
import type { RandomnessParams } from "./params.ts";
import { computePRnd } from "./pRnd.ts";
import { decodeVDFField, validateVDFField } from "./vdfField.ts";
import { VRF_FIELD_BYTES, vrfOutput } from "./vrf.ts";
import { equalBytes } from "../util/bytes.ts";
import { isBeacon } from "../core/index.ts";

function checkPlace(state: EpochRandomnessState, header: Header, params: RandomnessParams): void {
  const { number } = header;
  if (!isBeacon(header.shardId)) throw new RandomnessError({ code: RandomnessErrorCode.NOT_BEACON, number, shardId: header.shardId }, `block ${number} is from shard ${header.shardId}, not the beacon`);
  if (number !== state.nextNumber) throw new RandomnessError({ code: RandomnessErrorCode.OUT_OF_ORDER, number, expected: state.nextNumber }, `block ${number}: expected block ${state.nextNumber}`);
  const expected = epochOfBlock(params, number);
  if (header.epoch !== expected) throw new RandomnessError({ code: RandomnessErrorCode.EPOCH_MISMATCH, number, epoch: header.epoch, expected }, `block ${number}: epoch ${header.epoch}, expected ${expected}`);
  if (state.parentHash !== null && !equalBytes(header.parentHash, state.parentHash)) {
    throw new RandomnessError({ code: RandomnessErrorCode.PARENT_MISMATCH, number }, `block ${number}: parent hash is not the previous header's hash`);
  }
}

/** Options of {@link processBeaconHeader}. */
export interface ProcessBeaconHeaderOptions {
  /**
   * Refuse a header without a VRF where one is required (default true). The chain passes false: the
   * requirement is checked with the VRF's signature where the proposer's key is known (consensus,
   * `validateVRFField`), and the chain derives the randomness from the VRFs its blocks carry.
   */
  readonly requireVRF?: boolean;
}

// Presence and size of the VRF. Its signature needs the leader's key: the chain checks it with
// validateVRFField before the header reaches the accumulator.
function checkVRFPresence(header: Header, params: RandomnessParams, requireVRF: boolean): void {
  const { number } = header;
  const required = number > 0n && isVRFActive(params, epochOfBlock(params, number));
  if (!requireVRF && required && header.vrf.length === 0) return;
  if (required && header.vrf.length === 0) throw new RandomnessError({ code: RandomnessErrorCode.VRF_MISSING, number }, `block ${number}: VRF missing`);
  if (!required && header.vrf.length !== 0) throw new RandomnessError({ code: RandomnessErrorCode.VRF_UNEXPECTED, number }, `block ${number}: VRF present but not active`);
  if (required && header.vrf.length !== VRF_FIELD_BYTES) throw new RandomnessError({ code: RandomnessErrorCode.VRF_INVALID, number }, `block ${number}: VRF of ${header.vrf.length} bytes`);
}

/**
 * The state after beacon header `header`, which must be `state.nextNumber`. The first block of the
 * next epoch starts a fresh state for that epoch (store the finished epoch's randomness first).
 * Before the cut-off the VRF output is recorded; at offset cutoff − 1 pRnd is fixed; a `vdf` field is
 * fully checked ({@link validateVDFField}, including the proof) and recorded.
 * The VRF *signature* is not checked here (it needs the leader's key): call `validateVRFField` first.
 * With `requireVRF: false` a missing VRF is allowed (it then contributes nothing to pRnd).
 * @throws {RandomnessError} NOT_BEACON, OUT_OF_ORDER, EPOCH_MISMATCH, PARENT_MISMATCH, VRF_MISSING,
 * VRF_UNEXPECTED, VRF_INVALID, or any VDF_* code of validateVDFField.
 */
export function processBeaconHeader(state: EpochRandomnessState, header: Header, params: RandomnessParams, opts: ProcessBeaconHeaderOptions = {}): EpochRandomnessState {
  checkPlace(state, header, params);
  checkVRFPresence(header, params, opts.requireVRF ?? true);
  const { number } = header;
  const epoch = epochOfBlock(params, number);
  const base = epoch === state.epoch ? state : createEpochRandomnessState(params, epoch, state.parentHash ?? undefined);
  const offset = epochOffset(params, number);

  let vrfOutputs = base.vrfOutputs;
  let pRnd = base.pRnd;
  if (offset < params.vrfCutoff) {
    if (header.vrf.length !== 0) vrfOutputs = Object.freeze([...vrfOutputs, vrfOutput(header.vrf)]);
    if (offset === params.vrfCutoff - 1) pRnd = computePRnd(vrfOutputs);
  }
  const atCutoff: EpochRandomnessState = { ...base, vrfOutputs, pRnd };

  let vdf: IncludedVDF | null = base.vdf;
  if (header.vdf.length !== 0) {
    const check = validateVDFField(header, atCutoff, params);
    if (!check.ok) throw check.error;
    const parts = decodeVDFField(header.vdf);
    if (parts === null) throw new Error(`randomness invariant: validated VDF field of block ${number} does not decode`);
    vdf = Object.freeze({ ...parts, blockNumber: number });
  }
  return Object.freeze({ ...atCutoff, vdf, nextNumber: number + 1n, parentHash: header.hash.slice() });
}

/**
 * Replay an epoch's beacon headers from its first block onward (e.g. after a restart).
 * @throws {RandomnessError} as {@link processBeaconHeader}. @throws {RangeError} as createEpochRandomnessState.
 */
export function createEpochRandomnessStateFromHeaders(
  params: RandomnessParams,
  epoch: bigint,
  opts: { headers: readonly Header[]; parentHash?: Uint8Array } & ProcessBeaconHeaderOptions,
): EpochRandomnessState {
  let state = createEpochRandomnessState(params, epoch, opts.parentHash);
  const fold = opts.requireVRF === undefined ? {} : { requireVRF: opts.requireVRF };
  for (const h of opts.headers) state = processBeaconHeader(state, h, params, fold);
  return state;
}
