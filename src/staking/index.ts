/**
 * Effective Proof-of-Stake (DESIGN §Staking): the pure math of elections, effective stake and payouts.
 * @module
 */
export { BPS_ONE, DEC_ONE, mulBps, mulDec } from "./decimal.ts";
export { splitProportional } from "./splitProportional.ts";
export { computeEffectiveStake, computeMedianStake } from "./effectiveStake.ts";
export { computeElection } from "./election.ts";
export type { ElectedSlot, ElectionCandidate, ElectionResult } from "./election.ts";
export { computeValidatorPayout, computeValidatorRewards } from "./rewards.ts";
export type { DelegationShare, SigningSlot, ValidatorPayout } from "./rewards.ts";
