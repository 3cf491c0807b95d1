// DESIGN §Randomness, the leader's side: evaluate the VDF of pRnd once it is fixed, include the
// output only in the window and only once; following these answers always yields a valid header.
import { describe, expect, test } from "bun:test";
import { keccak256 } from "../../../src/crypto/index.ts";
import { canIncludeVDF, getVDFTask } from "../../../src/randomness/index.ts";
import type { EpochRandomnessState } from "../../../src/randomness/index.ts";
import { SMALL_T, smallParams } from "./_fixtures.ts";

const params = smallParams(); // E = 8, cut-off 4, window [5, 6]
const pRnd = keccak256(new Uint8Array([1]));
const state = (nextNumber: bigint, o: Partial<EpochRandomnessState> = {}): EpochRandomnessState => ({
  epoch: 1n, nextNumber, parentHash: null, vrfOutputs: [], pRnd: nextNumber >= 12n ? pRnd : null, vdf: null, ...o,
});

describe("leader duties", () => {
  test("the VDF task appears once pRnd is fixed and disappears once an output is included", () => {
    expect(getVDFTask(state(11n), params)).toBeNull();
    expect(getVDFTask(state(12n), params)).toEqual({ epoch: 1n, seed: pRnd, T: SMALL_T });
    const included = { rnd: pRnd, y: new Uint8Array(256), proof: new Uint8Array(256), blockNumber: 13n };
    expect(getVDFTask(state(14n, { vdf: included }), params)).toBeNull();
    expect(getVDFTask(state(12n), smallParams({}, { vdf: null }))).toBeNull();
  });

  test("inclusion only for the state's next block, inside the window", () => {
    expect([12n, 13n, 14n, 15n].map((n) => canIncludeVDF(state(n), params, n))).toEqual([false, true, true, false]);
    expect(canIncludeVDF(state(13n), params, 14n)).toBe(false);
  });
});
