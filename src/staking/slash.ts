/**
 * Slashing for proven double signing (DESIGN §Staking "Slashing"). The amounts come from the staking
 * snapshot of the offence epoch (the state at its start, after the election that made the committee
 * the offender signed in), so moving stake away after the offence does not shrink the debt:
 *
 * - self-stake: `slashSelfBps` of the operator's snapshot self-delegation;
 * - delegators together: `slashDelegatorBps` of that amount, split pro rata over their snapshot
 *   delegations (splitProportional: exact, no wei lost).
 *
 * Each debt is paid from the delegation as it is now, then from its undelegations made in or after
 * the offence epoch and still locked (stake that was at risk when the offence happened, as Harmony
 * does); a debt larger than that is capped. Half of what was taken goes to the reporter's balance,
 * the rest is burnt (returned so the chain counts it). The validator is banned for good: never
 * elected again, and editValidator refuses it.
 *
 * The key must have been the offender's at the offence epoch (a key removed since still counts, a
 * key added after the snapshot does not: it was in no committee of that epoch).
 * @module
 */
import type { StakingParams } from "../core/index.ts";
import { credit } from "./_balances.ts";
import type { BLS } from "../crypto/index.ts";
import { type DoubleSignRecord, checkDoubleSignRecord, decodeDoubleSignRecord } from "./doubleSignRecord.ts";
import { StakingErrorCode, refuse } from "./errors.ts";
import { type DelegationRecord, ValidatorStatus } from "./records.ts";
import { processSettleRewards } from "./settle.ts";
import { splitProportional } from "./splitProportional.ts";
import type { StakingState } from "./stakingState.ts";
import { isBeacon } from "../core/index.ts";

/** What a slash needs besides the current state. */
export interface SlashContext {
  /** Who proved it (msg.sender of reportDoubleSign, or the block's coinbase for header slashes). */
  readonly reporter: Uint8Array;
  readonly params: StakingParams;
  /** Beacon blocks per epoch (a beacon offence's epoch follows from its height). */
  readonly epochBlocks: number;
  /** The epoch applying the slash: evidence from a later epoch is refused. */
  readonly epoch: bigint;
  /** The staking state at the start of the offence epoch ({@link offenceSnapshotBlock}). */
  readonly snapshot: StakingState;
}

/** What a slash took and where it went (wei). */
export interface SlashResult {
  /** The offender's validator address. */
  readonly validator: Uint8Array;
  readonly selfSlashed: bigint;
  readonly delegatorsSlashed: bigint;
  readonly reward: bigint;
  readonly burnt: bigint;
}

/** The block whose post-state is the staking snapshot of `epoch`: the last block of the epoch before (genesis for epoch 0). */
export function offenceSnapshotBlock(epochBlocks: number, epoch: bigint): bigint {
  return epoch === 0n ? 0n : epoch * BigInt(epochBlocks) - 1n;
}

const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const bps = (amount: bigint, rate: number) => (amount * BigInt(rate)) / 10_000n;

/** Take up to `debt` from `d` (amount first, then undelegations of epoch ≥ `since`); returns what was taken. */
function takeFrom(d: DelegationRecord, debt: bigint, since: bigint): { fromAmount: bigint; total: bigint } {
  const fromAmount = debt < d.amount ? debt : d.amount;
  d.amount -= fromAmount;
  let left = debt - fromAmount;
  for (const u of d.undelegations) {
    if (left === 0n) break;
    if (u.epoch < since) continue;
    const t = left < u.amount ? left : u.amount;
    u.amount -= t;
    left -= t;
  }
  d.undelegations = d.undelegations.filter((u) => u.amount > 0n);
  return { fromAmount, total: debt - left };
}

/**
 * Check a double-sign record against the staking state and apply its slash. The record's signatures
 * must have been checked already (`checkDoubleSignRecord`).
 * @throws {StakingError} BAD_EVIDENCE (epoch in the future or not the height's), UNKNOWN_VALIDATOR
 *   (the key was no validator's at the offence epoch) or ALREADY_SLASHED; nothing is written then.
 */
export function applySlash(state: StakingState, r: DoubleSignRecord, ctx: SlashContext): SlashResult {
  if (!isBeacon(r.shardId)) refuse(StakingErrorCode.BAD_EVIDENCE, `evidence of shard ${r.shardId}: only beacon-shard offences are provable (shard chains are not crosslinked yet)`);
  if (r.epoch !== r.height / BigInt(ctx.epochBlocks)) refuse(StakingErrorCode.BAD_EVIDENCE, `evidence epoch ${r.epoch} is not the epoch of height ${r.height}`);
  if (r.epoch > ctx.epoch) refuse(StakingErrorCode.BAD_EVIDENCE, `evidence epoch ${r.epoch} is in the future (now ${ctx.epoch})`);
  const owner = ctx.snapshot.keyOwner(r.offender);
  const then = owner === undefined ? undefined : ctx.snapshot.getValidator(owner);
  if (owner === undefined || then === undefined || !then.blsKeys.some((k) => sameBytes(k, r.offender))) {
    refuse(StakingErrorCode.UNKNOWN_VALIDATOR, `BLS key ${hex(r.offender)} was no validator's at epoch ${r.epoch}`);
  }
  const v = state.getValidator(owner);
  if (v === undefined) throw new Error("staking state: a validator of the snapshot has no record"); // broken invariant
  if (v.status === ValidatorStatus.BANNED) refuse(StakingErrorCode.ALREADY_SLASHED, `validator ${hex(owner)} is already slashed and banned`);

  const snap = ctx.snapshot.delegationsOf(owner);
  const selfDebt = bps(snap.find((d) => sameBytes(d.delegator, owner))?.amount ?? 0n, ctx.params.slashSelfBps);
  const others = snap.filter((d) => !sameBytes(d.delegator, owner));
  const weights = others.map((d) => d.amount);
  const othersDebt = weights.some((w) => w > 0n) ? bps(selfDebt, ctx.params.slashDelegatorBps) : 0n;
  const shares = othersDebt === 0n ? weights.map(() => 0n) : splitProportional(othersDebt, weights);
  const debts = [{ delegator: owner, debt: selfDebt }, ...others.map((d, i) => ({ delegator: d.delegator, debt: shares[i] as bigint }))];

  // Rewards earned before the slash are the delegators' own; they are settled at their old stakes.
  processSettleRewards(state, v);
  let selfSlashed = 0n;
  let delegatorsSlashed = 0n;
  for (const { delegator, debt } of debts) {
    if (debt === 0n) continue;
    const d = state.getDelegation(owner, delegator);
    if (d === undefined) continue; // removed since (nothing left at stake)
    const taken = takeFrom(d, debt, r.epoch);
    v.totalDelegation -= taken.fromAmount;
    if (sameBytes(delegator, owner)) selfSlashed += taken.total;
    else delegatorsSlashed += taken.total;
    state.putDelegation(owner, d);
  }
  v.status = ValidatorStatus.BANNED;
  state.putValidator(v);
  const total = selfSlashed + delegatorsSlashed;
  const reward = total / 2n;
  credit(state.world, ctx.reporter, reward);
  return { validator: owner, selfSlashed, delegatorsSlashed, reward, burnt: total - reward };
}

/**
 * The staking contract's `reportDoubleSign(bytes evidence)`: decode the record, check its signatures,
 * then slash with msg.sender as the reporter. `snapshotAt` gives the staking state at the start of an
 * epoch (undefined when that state is not available here).
 * @throws {StakingError} BAD_EVIDENCE, UNKNOWN_VALIDATOR or ALREADY_SLASHED with the revert reason.
 */
export function processReportDoubleSign(
  state: StakingState,
  evidence: Uint8Array,
  ctx: Omit<SlashContext, "snapshot"> & { bls: Pick<BLS, "verify">; snapshotAt: (epoch: bigint) => StakingState | undefined },
): SlashResult {
  let r: DoubleSignRecord;
  try {
    r = decodeDoubleSignRecord(evidence);
  } catch (e) {
    refuse(StakingErrorCode.BAD_EVIDENCE, `malformed evidence: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = checkDoubleSignRecord(r, ctx.bls);
  if (bad !== null) refuse(StakingErrorCode.BAD_EVIDENCE, `evidence proves no double signing: ${bad}`);
  if (r.epoch > ctx.epoch) refuse(StakingErrorCode.BAD_EVIDENCE, `evidence epoch ${r.epoch} is in the future (now ${ctx.epoch})`);
  const snapshot = ctx.snapshotAt(r.epoch);
  if (snapshot === undefined) refuse(StakingErrorCode.BAD_EVIDENCE, `the staking snapshot of epoch ${r.epoch} is not available`);
  return applySlash(state, r, { ...ctx, snapshot });
}
