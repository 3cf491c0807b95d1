/**
 * What a staking operation knows besides state: who calls, with what value, when, under which
 * parameters, and the BLS checks it needs (key validation and the IETF proof of possession).
 * @module
 */
import type { StakingParams } from "../core/index.ts";
import type { BLS } from "../crypto/index.ts";

/** The environment of one staking call. */
export interface StakingContext {
  /** msg.sender (20 bytes). */
  readonly caller: Uint8Array;
  /** msg.value in wei (already moved to the staking contract's balance by the EVM). */
  readonly value: bigint;
  readonly epoch: bigint;
  readonly blockNumber: bigint;
  readonly params: StakingParams;
  readonly bls: Pick<BLS, "isValidPublicKey" | "popVerify" | "verify">;
}
