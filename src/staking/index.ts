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
export { AbiDecodeError, decodeAbiParameters, encodeAbiParameters } from "./abiCodec.ts";
export type { AbiType, AbiValue } from "./abiCodec.ts";
export { STAKING_ABI, STAKING_CONTRACT_ADDRESS, STAKING_FUNCTIONS, abiTypeOf, functionSelector, functionSignature } from "./abi.ts";
export type { StakingFunction, StakingFunctionName } from "./abi.ts";
export { DESCRIPTION_LIMITS, ValidatorStatus, decodeDelegation, decodeValidator, encodeDelegation, encodeValidator } from "./records.ts";
export type { DelegationRecord, Description, Undelegation, ValidatorRecord } from "./records.ts";
export { STAKING_ADDRESS_BYTES, StakingState } from "./stakingState.ts";
export { StakingError, StakingErrorCode } from "./errors.ts";
export type { StakingErrorType } from "./errors.ts";
export type { StakingContext } from "./context.ts";
export { UNCHANGED, processCreateValidator, processEditValidator } from "./validatorOps.ts";
export type { CreateValidatorArgs, EditValidatorArgs } from "./validatorOps.ts";
export { processCollectRewards, processDelegate, processSetAutoCompound, processUndelegate } from "./delegationOps.ts";
export { processSettleRewards } from "./settle.ts";
export { processBlockRewards } from "./blockRewards.ts";
export type { BlockRewardsResult, CommitteeSlot } from "./blockRewards.ts";
export { processEpochEnd } from "./epochEnd.ts";
export type { EpochEndOptions, EpochEndResult } from "./epochEnd.ts";
export { computeGenesisShardState, processGenesisValidators } from "./genesis.ts";
export { MAX_SLASHES_PER_HEADER, checkDoubleSignRecord, decodeDoubleSignRecord, decodeSlashes, encodeDoubleSignRecord, encodeSlashes } from "./doubleSignRecord.ts";
export type { DoubleSignRecord, DoubleSignVote } from "./doubleSignRecord.ts";
export { applySlash, offenceSnapshotBlock, processReportDoubleSign } from "./slash.ts";
export type { SlashContext, SlashResult } from "./slash.ts";
