// Shared fixtures of the randomness tests: small-epoch params, BLS leaders, and a synthetic beacon
// chain of real headers (createHeader) whose VRFs are real BLS signatures and whose VDF is real.
import { DEV_CHAIN_CONFIG } from "../../../src/core/chainConfig.ts";
import { createHeader } from "../../../src/core/header.ts";
import type { Header } from "../../../src/core/header.ts";
import type { BLS } from "../../../src/crypto/index.ts";
import { computeVRF, createRandomnessParams, epochOfBlock } from "../../../src/randomness/index.ts";
import type { RandomnessOverrides, RandomnessParams } from "../../../src/randomness/index.ts";

/** T = 2^10: a real VDF that evaluates in milliseconds. */
export const SMALL_T = 1 << 10;

/** E = 8: offsets 0..3 contribute VRFs (cut-off 4), window [5, 6] (k = 1), offset 7 is the last block. */
export function smallParams(overrides: RandomnessOverrides = {}, activation: { vrf?: bigint | null; vdf?: bigint | null } = {}): RandomnessParams {
  return createRandomnessParams(
    {
      epochBlocks: 8,
      blockTimeMs: 1000,
      activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, vrf: activation.vrf === undefined ? 0n : activation.vrf, vdf: activation.vdf === undefined ? 0n : activation.vdf },
    },
    { vdfT: SMALL_T, ...overrides },
  );
}

/** A leader: BLS secret and public key from a fixed seed byte. */
export interface Leader {
  sk: Uint8Array;
  pk: Uint8Array;
}

export function leaders(bls: BLS, n: number): Leader[] {
  return Array.from({ length: n }, (_, i) => {
    const sk = bls.keygen(new Uint8Array(32).fill(i + 1));
    return { sk, pk: bls.secretToPublic(sk) };
  });
}

/** Who leads block `number` (rotates every block) in the synthetic chain. */
export function leaderOf(ls: Leader[], number: bigint): Leader {
  return ls[Number(number % BigInt(ls.length))] as Leader;
}

/**
 * The next beacon header on top of `parent` (or genesis when `parent` is null): epoch from the
 * number, the leader's VRF over the parent hash when active, and `vdf` as given.
 */
export function nextHeader(bls: BLS, params: RandomnessParams, opts: { parent: Header | null; leader: Leader; vdf?: Uint8Array; vrfActive?: boolean }): Header {
  const number = opts.parent === null ? 0n : opts.parent.number + 1n;
  const parentHash = opts.parent === null ? new Uint8Array(32) : opts.parent.hash;
  const withVRF = number > 0n && (opts.vrfActive ?? true);
  return createHeader({
    number,
    parentHash,
    epoch: epochOfBlock(params, number),
    vrf: withVRF ? computeVRF(bls, opts.leader.sk, parentHash) : new Uint8Array(0),
    vdf: opts.vdf ?? new Uint8Array(0),
    timestamp: 1_700_000_000n + number,
  });
}
