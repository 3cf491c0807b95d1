// One fixed beacon epoch computed end to end (VRFs, pRnd, a T = 2^10 VDF included in the window,
// the randomness, the shuffle), as plain JSON: run by Bun in-process and by Deno as a script, so
// the test can check that both runtimes derive identical randomness from the same source.
import { createBLS } from "../../../src/crypto/index.ts";
import type { BLSBackendName } from "../../../src/crypto/index.ts";
import { vdfEvaluate } from "../../../src/crypto/vdf/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";
import {
  createEpochRandomnessState,
  encodeVDFField,
  epochOffset,
  epochRandomnessToJSON,
  getEpochRandomness,
  processBeaconHeader,
  shuffleCommittee,
  shuffleSeed,
  validateVRFField,
} from "../../../src/randomness/index.ts";
import type { EpochRandomnessJSON } from "../../../src/randomness/index.ts";
import type { Header } from "../../../src/core/header.ts";
import { SMALL_T, leaderOf, leaders, nextHeader, smallParams } from "./_fixtures.ts";

/** What {@link runFixedEpoch} reports. */
export interface CrossRuntimeResult {
  randomness: EpochRandomnessJSON;
  vrfAllValid: boolean;
  headHash: string;
  shuffle: number[];
}

/** Produce and fold one E = 8 epoch with three fixed leaders; the VDF is included at offset 5. */
export async function runFixedEpoch(backend: BLSBackendName | "auto" = "auto"): Promise<CrossRuntimeResult> {
  const bls = await createBLS(backend);
  const params = smallParams();
  const ls = leaders(bls, 3);
  let state = createEpochRandomnessState(params, 0n);
  let parent: Header | null = null;
  let vrfAllValid = true;
  for (let n = 0n; n < 8n; n++) {
    const vdf = epochOffset(params, n) === 5 && state.pRnd ? encodeVDFField(await vdfEvaluate(state.pRnd, SMALL_T)) : undefined;
    const leader = leaderOf(ls, n);
    const h = nextHeader(bls, params, { parent, leader, ...(vdf ? { vdf } : {}) });
    vrfAllValid &&= validateVRFField(bls, h, { leaderPublicKey: leader.pk, params }).ok;
    state = processBeaconHeader(state, h, params);
    parent = h;
  }
  const r = getEpochRandomness(state, params);
  return {
    randomness: epochRandomnessToJSON(r),
    vrfAllValid,
    headHash: bytesToHex((parent as Header).hash),
    shuffle: shuffleCommittee([...Array(16).keys()], shuffleSeed(r.randomness, 1n)),
  };
}

// Run as a script (Deno): print the result as one JSON line.
if (import.meta.main) console.log(JSON.stringify(await runFixedEpoch()));
