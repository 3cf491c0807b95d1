// DESIGN §Randomness, the epoch schedule: params (cut-off, delay k, window, T) with their bounds,
// pRnd = keccak256 of the VRF outputs before the cut-off in block order, and the fallback rule.
import { describe, expect, test } from "bun:test";
import { DEV_CHAIN_CONFIG, MAINNET_LIKE_CHAIN_CONFIG } from "../../../src/core/chainConfig.ts";
import { keccak256 } from "../../../src/crypto/index.ts";
import { MAX_T } from "../../../src/crypto/vdf/index.ts";
import { concatBytes } from "../../../src/util/bytes.ts";
import {
  computeFallbackRandomness,
  computePRnd,
  createRandomnessParams,
  defaultVDFT,
  epochFirstBlock,
  epochOfBlock,
  epochOffset,
  isVDFActive,
  isVRFActive,
  randomnessFinalBlock,
  vdfWindow,
} from "../../../src/randomness/index.ts";

const out = (i: number) => keccak256(new Uint8Array([i]));

describe("params", () => {
  test("devnet: E = 32, cut-off 16, k = 4, window [20, 30], T = 2^20", () => {
    const p = createRandomnessParams(DEV_CHAIN_CONFIG);
    expect([p.epochBlocks, p.vrfCutoff, p.vdfDelayBlocks, p.vdfT]).toEqual([32, 16, 4, 2 ** 20]);
    expect(vdfWindow(p)).toEqual({ start: 20, end: 30 });
    expect(randomnessFinalBlock(p, 2n)).toBe(64n + 30n);
    expect(isVRFActive(p, 0n) && isVDFActive(p, 0n)).toBe(true);
  });

  test("mainnet-like: window [20480, 32766], T capped at a power of two ≤ 2^40", () => {
    const p = createRandomnessParams(MAINNET_LIKE_CHAIN_CONFIG);
    expect(vdfWindow(p)).toEqual({ start: 16384 + 4096, end: 32766 });
    expect(Number.isInteger(Math.log2(p.vdfT)) && p.vdfT <= MAX_T).toBe(true);
  });

  test("overrides and activation epochs", () => {
    const p = createRandomnessParams({ ...DEV_CHAIN_CONFIG, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, vdf: 3n, vrf: null } }, { vrfCutoff: 10, vdfDelayBlocks: 2, vdfT: 1024 });
    expect([p.vrfCutoff, p.vdfDelayBlocks, p.vdfT]).toEqual([10, 2, 1024]);
    expect([isVDFActive(p, 2n), isVDFActive(p, 3n), isVRFActive(p, 100n)]).toEqual([false, true, false]);
    expect(Object.isFrozen(p)).toBe(true);
  });

  test("rejects an empty window, a zero delay, a bad T or a too short epoch", () => {
    const base = DEV_CHAIN_CONFIG;
    expect(() => createRandomnessParams(base, { vrfCutoff: 0 })).toThrow(RangeError);
    expect(() => createRandomnessParams(base, { vrfCutoff: 31 })).toThrow(RangeError);
    expect(() => createRandomnessParams(base, { vrfCutoff: 28, vdfDelayBlocks: 3 })).toThrow(RangeError);
    expect(() => createRandomnessParams(base, { vdfDelayBlocks: 0 })).toThrow(RangeError);
    expect(() => createRandomnessParams(base, { vdfT: 0 })).toThrow(RangeError);
    expect(() => createRandomnessParams(base, { vdfT: MAX_T + 1 })).toThrow(RangeError);
    expect(() => createRandomnessParams({ ...base, epochBlocks: 3 })).toThrow(RangeError);
    const tiny = createRandomnessParams({ ...base, epochBlocks: 4 });
    expect([tiny.vrfCutoff, tiny.vdfDelayBlocks, vdfWindow(tiny).start, vdfWindow(tiny).end]).toEqual([1, 1, 2, 2]);
  });

  test("default T halves the k-block delay at ~1 µs per squaring", () => {
    expect(defaultVDFT(4, 1000)).toBe(2 ** 20);
    expect(defaultVDFT(1, 1)).toBe(1 << 10);
    expect(defaultVDFT(1e6, 1e6)).toBe(MAX_T);
  });

  test("block positions", () => {
    const p = createRandomnessParams(DEV_CHAIN_CONFIG);
    expect([epochOfBlock(p, 0n), epochOfBlock(p, 31n), epochOfBlock(p, 32n)]).toEqual([0n, 0n, 1n]);
    expect([epochOffset(p, 33n), epochFirstBlock(p, 3n)]).toEqual([1, 96n]);
  });
});

describe("pRnd", () => {
  test("keccak256 of the outputs concatenated in block order; deterministic and order-sensitive", () => {
    const outs = [out(1), out(2), out(3)];
    expect(computePRnd(outs)).toEqual(keccak256(concatBytes(...outs)));
    expect(computePRnd(outs.map((o) => o.slice()))).toEqual(computePRnd(outs));
    expect(computePRnd([out(2), out(1), out(3)])).not.toEqual(computePRnd(outs));
    expect(computePRnd([])).toEqual(keccak256(new Uint8Array(0)));
    expect(() => computePRnd([new Uint8Array(31)])).toThrow(RangeError);
  });
});

describe("fallback", () => {
  test("keccak256(\"harmony-ts/fallback\" ‖ pRnd ‖ epoch u64 BE); depends on pRnd and epoch only", () => {
    const pRnd = out(9);
    const epochBytes = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7]);
    expect(computeFallbackRandomness(pRnd, 7n)).toEqual(keccak256(concatBytes(new TextEncoder().encode("harmony-ts/fallback"), pRnd, epochBytes)));
    expect(computeFallbackRandomness(pRnd, 8n)).not.toEqual(computeFallbackRandomness(pRnd, 7n));
    expect(computeFallbackRandomness(out(10), 7n)).not.toEqual(computeFallbackRandomness(pRnd, 7n));
    expect(computeFallbackRandomness(pRnd, 7n)).not.toEqual(pRnd);
    expect(() => computeFallbackRandomness(new Uint8Array(8), 7n)).toThrow(RangeError);
    expect(() => computeFallbackRandomness(pRnd, -1n)).toThrow(RangeError);
  });
});
