// Shared fixtures of the consensus unit tests: deterministic BLS keys, committees, step contexts.
import { type Committee, type StepContext, createCommittee, createStepContext, createVoteVerifier } from "../../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { SIM_GENESIS, encodeSimBlock, simBlockCodec } from "../../sim/_sim/simBlock.ts";

export const bls: BLS = await createBLS("native");

/** n secret keys from fixed input keying material. */
export function secretKeys(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 1)));
}

/** A committee over `sks` (equal power, one validator per key unless given). */
export function committeeOf(sks: Uint8Array[], validators?: number[]): Committee {
  return createCommittee({ keys: sks.map((sk) => bls.secretToPublic(sk)), ...(validators ? { validators } : {}) });
}

/** Step capabilities of a node holding `slots` of `sks`. */
export function contextFor(sks: Uint8Array[], slots: number[]): StepContext {
  return createStepContext(bls, new Map(slots.map((s) => [s, sks[s] as Uint8Array])), simBlockCodec);
}

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * A 4-key committee at genesis of the simulated chain, with block 1 on it: what the leader-side vote
 * tests start from.
 */
export function leaderFixture() {
  const sks = secretKeys(4);
  const genesis = simBlockCodec.decodeBlockInfo(SIM_GENESIS);
  const block1 = encodeSimBlock(1n, genesis.hash, 0n, null, bytes(32, 1));
  return {
    sks,
    committee: committeeOf(sks),
    head: { number: 0n, hash: genesis.hash, viewId: 0n, commit: null },
    verifier: createVoteVerifier(bls),
    block1,
    hash1: simBlockCodec.decodeBlockInfo(block1).hash,
  };
}
