// DESIGN §Randomness, the epoch accumulator over a synthetic beacon chain of real headers (E = 8:
// VRFs at offsets 0..3, window [5, 6], last block 7; three rotating leaders with real BLS VRFs and a
// real T = 2^10 VDF): pRnd at the cut-off, VDF inclusion, the fallback when every window leader
// withholds, outcomes independent of which leader withholds, ordering and epoch rules, purity.
import { beforeAll, describe, expect, test } from "bun:test";
import { Header } from "../../../src/core/header.ts";
import type { HeaderData } from "../../../src/core/header.ts";
import { createBLS, keccak256 } from "../../../src/crypto/index.ts";
import type { BLS } from "../../../src/crypto/index.ts";
import { vdfEvaluate } from "../../../src/crypto/vdf/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";
import {
  RandomnessError,
  RandomnessErrorCode,
  computeFallbackRandomness,
  computePRnd,
  createEpochRandomnessState,
  createEpochRandomnessStateFromHeaders,
  encodeVDFField,
  epochOffset,
  epochRandomnessToJSON,
  getEpochRandomness,
  isEpochRandomnessFinal,
  processBeaconHeader,
  validateVRFField,
  vrfOutput,
} from "../../../src/randomness/index.ts";
import type { EpochRandomnessState } from "../../../src/randomness/index.ts";
import { SMALL_T, leaderOf, leaders, nextHeader, smallParams } from "./_fixtures.ts";
import type { Leader } from "./_fixtures.ts";

const params = smallParams();
let bls: BLS;
let ls: Leader[];
const vdfCache = new Map<string, Uint8Array>();

async function vdfFieldFor(pRnd: Uint8Array): Promise<Uint8Array> {
  const key = bytesToHex(pRnd);
  let f = vdfCache.get(key);
  if (!f) {
    f = encodeVDFField(await vdfEvaluate(pRnd, SMALL_T));
    vdfCache.set(key, f);
  }
  return f;
}

interface Run {
  headers: Header[];
  state: EpochRandomnessState;
}

/**
 * Produce one epoch on top of `from`: the leader of offset `includeAt` (if any) includes the VDF of
 * the state's pRnd; `leaderShift` rotates which leader leads the blocks after the cut-off. Every
 * header's VRF is checked against its leader before it is processed, as the chain will.
 */
async function produceEpoch(from: { parent: Header | null; state: EpochRandomnessState }, opts: { includeAt?: number; leaderShift?: number } = {}): Promise<Run> {
  let { parent, state } = from;
  const headers: Header[] = [];
  const start = parent === null ? 0n : parent.number + 1n;
  for (let n = start; n < start + BigInt(params.epochBlocks); n++) {
    const offset = epochOffset(params, n);
    const shift = offset >= params.vrfCutoff ? BigInt(opts.leaderShift ?? 0) : 0n;
    const leader = leaderOf(ls, n + shift);
    const vdf = offset === opts.includeAt && state.pRnd ? await vdfFieldFor(state.pRnd) : undefined;
    const h = nextHeader(bls, params, { parent, leader, ...(vdf ? { vdf } : {}) });
    expect(validateVRFField(bls, h, { leaderPublicKey: leader.pk, params })).toEqual({ ok: true });
    state = processBeaconHeader(state, h, params);
    headers.push(h);
    parent = h;
  }
  return { headers, state };
}

const genesis = () => ({ parent: null, state: createEpochRandomnessState(params, 0n) });

beforeAll(async () => {
  bls = await createBLS();
  ls = leaders(bls, 3);
});

describe("processBeaconHeader", () => {
  test("records VRF outputs before the cut-off and fixes pRnd at offset cut-off − 1", async () => {
    const { headers, state } = await produceEpoch(genesis(), { includeAt: 5 });
    // Genesis (offset 0) has no VRF; offsets 1..3 contribute.
    const outs = headers.slice(1, 4).map((h) => vrfOutput(h.vrf));
    expect(state.vrfOutputs).toEqual(outs);
    expect(state.pRnd).toEqual(computePRnd(outs));
    let s = createEpochRandomnessState(params, 0n);
    for (const h of headers.slice(0, 3)) s = processBeaconHeader(s, h, params);
    expect(s.pRnd).toBeNull();
    s = processBeaconHeader(s, headers[3] as Header, params);
    expect(s.pRnd).toEqual(computePRnd(outs));
  });

  test("a VDF included in the window is the epoch's randomness", async () => {
    const { state } = await produceEpoch(genesis(), { includeAt: 5 });
    const r = getEpochRandomness(state, params);
    const field = await vdfFieldFor(state.pRnd as Uint8Array);
    expect(r.source).toBe("vdf");
    expect(r.randomness).toEqual(field.subarray(0, 32));
    expect(r.randomness).toEqual(keccak256(field.subarray(32, 288)));
    expect(r.vdfProof).toEqual(field.subarray(32));
    expect(r.vdfBlock).toBe(5n);
    expect(epochRandomnessToJSON(r)).toMatchObject({ epoch: 0, source: "vdf", vdfBlock: 5, randomness: bytesToHex(r.randomness), pRnd: bytesToHex(r.pRnd) });
  });

  test("withheld by every window leader: the fallback, without stalling", async () => {
    const { state } = await produceEpoch(genesis());
    expect(isEpochRandomnessFinal(state, params)).toBe(true);
    const r = getEpochRandomness(state, params);
    expect(r.source).toBe("fallback");
    expect(r.randomness).toEqual(computeFallbackRandomness(state.pRnd as Uint8Array, 0n));
    expect([r.vdfProof, r.vdfBlock]).toEqual([null, null]);
    expect(epochRandomnessToJSON(r).vdfProof).toBeNull();
  });

  test("the outcome does not depend on which leader withholds", async () => {
    const first = await produceEpoch(genesis(), { includeAt: 5 });
    const second = await produceEpoch(genesis(), { includeAt: 6 }); // the offset-5 leader withheld
    const otherLeaders = await produceEpoch(genesis(), { includeAt: 6, leaderShift: 1 });
    const rs = [first, second, otherLeaders].map((x) => getEpochRandomness(x.state, params));
    expect(rs.map((r) => r.source)).toEqual(["vdf", "vdf", "vdf"]);
    expect(rs[1]?.randomness).toEqual(rs[0]?.randomness as Uint8Array);
    expect(rs[2]?.randomness).toEqual(rs[0]?.randomness as Uint8Array);
    // Everyone withholds, under two different leader orders after the cut-off: the same fallback.
    const f1 = getEpochRandomness((await produceEpoch(genesis())).state, params);
    const f2 = getEpochRandomness((await produceEpoch(genesis(), { leaderShift: 2 })).state, params);
    expect(f1.randomness).toEqual(f2.randomness);
    expect(f1.pRnd).toEqual(rs[0]?.pRnd as Uint8Array);
  });

  test("three epochs in a row roll over and each has its own randomness", async () => {
    let from: { parent: Header | null; state: EpochRandomnessState } = genesis();
    const all: Header[] = [];
    const seen: string[] = [];
    for (const [i, includeAt] of [5, 6, undefined].entries()) {
      const run = await produceEpoch(from, includeAt === undefined ? {} : { includeAt });
      const r = getEpochRandomness(run.state, params);
      expect([r.epoch, r.source]).toEqual([BigInt(i), includeAt === undefined ? "fallback" : "vdf"]);
      seen.push(bytesToHex(r.randomness));
      all.push(...run.headers);
      from = { parent: run.headers.at(-1) as Header, state: run.state };
    }
    expect(new Set(seen).size).toBe(3);
    // Replaying an epoch's headers after a restart gives the same state.
    const replay = createEpochRandomnessStateFromHeaders(params, 1n, { headers: all.slice(8, 16), parentHash: (all[7] as Header).hash });
    expect(bytesToHex(getEpochRandomness(replay, params).randomness)).toBe(seen[1] as string);
  });

  test("randomness is not final before the window closes", async () => {
    const { headers } = await produceEpoch(genesis(), { includeAt: 5 });
    const s = createEpochRandomnessStateFromHeaders(params, 0n, { headers: headers.slice(0, 6) });
    expect(isEpochRandomnessFinal(s, params)).toBe(false);
    expect(() => getEpochRandomness(s, params)).toThrow(RandomnessError);
    expect(() => getEpochRandomness(s, params)).toThrow(
      expect.objectContaining({ type: expect.objectContaining({ code: RandomnessErrorCode.NOT_FINAL, epoch: 0n, processedThrough: 5n, finalAt: 6n }) }),
    );
    expect(isEpochRandomnessFinal(processBeaconHeader(s, headers[6] as Header, params), params)).toBe(true);
  });

  test("pure: the input state is unchanged and the output frozen", async () => {
    const { headers } = await produceEpoch(genesis(), { includeAt: 5 });
    let s = createEpochRandomnessState(params, 0n);
    for (const h of headers.slice(0, 5)) s = processBeaconHeader(s, h, params);
    const before = structuredClone(s);
    const after = processBeaconHeader(s, headers[5] as Header, params);
    expect(s).toEqual(before);
    expect(s.vdf).toBeNull();
    expect(after.vdf?.blockNumber).toBe(5n);
    expect(Object.isFrozen(after) && Object.isFrozen(after.vrfOutputs)).toBe(true);
  });

  test("rejects headers out of order, off the beacon, with a wrong epoch, parent, or VRF presence", async () => {
    const { headers } = await produceEpoch(genesis());
    const s0 = createEpochRandomnessState(params, 0n);
    const s1 = processBeaconHeader(s0, headers[0] as Header, params);
    const h2 = headers[2] as Header;
    const h1 = headers[1] as Header;
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof RandomnessError ? e.code : String(e);
      }
      return null;
    };
    const remake = (changes: Partial<HeaderData>) => new Header({ ...h1.toData(), ...changes });
    expect(codeOf(() => processBeaconHeader(s1, h2, params))).toBe(RandomnessErrorCode.OUT_OF_ORDER);
    expect(codeOf(() => processBeaconHeader(s1, remake({ shardId: 1 }), params))).toBe(RandomnessErrorCode.NOT_BEACON);
    expect(codeOf(() => processBeaconHeader(s1, remake({ epoch: 1n }), params))).toBe(RandomnessErrorCode.EPOCH_MISMATCH);
    expect(codeOf(() => processBeaconHeader(s1, remake({ parentHash: new Uint8Array(32) }), params))).toBe(RandomnessErrorCode.PARENT_MISMATCH);
    expect(codeOf(() => processBeaconHeader(s1, remake({ vrf: new Uint8Array(0) }), params))).toBe(RandomnessErrorCode.VRF_MISSING);
    expect(codeOf(() => processBeaconHeader(s1, h1, smallParams({}, { vrf: null })))).toBe(RandomnessErrorCode.VRF_UNEXPECTED);
    // A VDF outside the window is rejected by the accumulator itself.
    const early = remake({ vdf: await vdfFieldFor(keccak256(new Uint8Array(1))) });
    expect(codeOf(() => processBeaconHeader(s1, early, params))).toBe(RandomnessErrorCode.VDF_OUTSIDE_WINDOW);
  });

  test("requireVRF: false (the chain's fold) lets a missing VRF through, contributing nothing; the other rules stay", async () => {
    const { headers } = await produceEpoch(genesis());
    const lax = { requireVRF: false } as const;
    // Block 2 without its VRF: pRnd is over the outputs of blocks 1 and 3 only.
    const stripped: Header[] = [];
    for (let i = 0; i < params.vrfCutoff; i++) stripped.push(nextHeader(bls, params, { parent: stripped[i - 1] ?? null, leader: leaderOf(ls, BigInt(i)), vrfActive: i !== 2 }));
    expect((stripped[2] as Header).vrf.length).toBe(0);
    const s = createEpochRandomnessStateFromHeaders(params, 0n, { headers: stripped, ...lax });
    expect(s.pRnd).toEqual(computePRnd([vrfOutput((stripped[1] as Header).vrf), vrfOutput((stripped[3] as Header).vrf)]));
    expect(() => createEpochRandomnessStateFromHeaders(params, 0n, { headers: stripped })).toThrow("VRF missing");
    const s1 = processBeaconHeader(createEpochRandomnessState(params, 0n), headers[0] as Header, params, lax);
    const h1 = headers[1] as Header;
    expect(() => processBeaconHeader(s1, new Header({ ...h1.toData(), epoch: 1n }), params, lax)).toThrow(RandomnessError);
    expect(() => processBeaconHeader(s1, h1, smallParams({}, { vrf: null }), lax)).toThrow("VRF present but not active");
  });

  test("before the VRF activates, pRnd is over no outputs and the fallback applies", async () => {
    const noVRF = smallParams({}, { vrf: null, vdf: null });
    let s = createEpochRandomnessState(noVRF, 0n);
    let parent: Header | null = null;
    for (let i = 0; i < 8; i++) {
      const h = nextHeader(bls, noVRF, { parent, leader: ls[0] as Leader, vrfActive: false });
      s = processBeaconHeader(s, h, noVRF);
      parent = h;
    }
    const r = getEpochRandomness(s, noVRF);
    expect(r.pRnd).toEqual(computePRnd([]));
    expect(r.source).toBe("fallback");
  });
});
