// DESIGN §Randomness, the leader's VRF: vrf = output(32) ‖ proof(96), proof = BLS signature over
// keccak256("harmony-ts/vrf" ‖ parentHash), output = keccak256(proof). Round trip, uniqueness, and
// rejection of a wrong key, a wrong parent, and tampered or malformed bytes (never a throw).
import { beforeAll, describe, expect, test } from "bun:test";
import { createBLS, keccak256 } from "../../../src/crypto/index.ts";
import type { BLS } from "../../../src/crypto/index.ts";
import { createHeader } from "../../../src/core/header.ts";
import {
  RandomnessErrorCode,
  VRF_FIELD_BYTES,
  computeVRF,
  validateVRFField,
  verifyVRF,
  vrfMessage,
  vrfOutput,
} from "../../../src/randomness/index.ts";
import { leaders, smallParams } from "./_fixtures.ts";
import type { Leader } from "./_fixtures.ts";

let bls: BLS;
let a: Leader;
let b: Leader;
const parent = keccak256(new TextEncoder().encode("parent block"));
const otherParent = keccak256(new TextEncoder().encode("another parent"));

beforeAll(async () => {
  bls = await createBLS();
  [a, b] = leaders(bls, 2) as [Leader, Leader];
});

describe("VRF", () => {
  test("round trip: output ‖ proof, output = keccak256(proof), verifies with the leader's key", () => {
    const vrf = computeVRF(bls, a.sk, parent);
    expect(vrf.length).toBe(VRF_FIELD_BYTES);
    expect(vrfOutput(vrf)).toEqual(keccak256(vrf.subarray(32)));
    expect(verifyVRF(bls, a.pk, parent, vrf)).toBe(true);
  });

  test("unique: the same key and parent give the same VRF; another parent or key another one", () => {
    const v1 = computeVRF(bls, a.sk, parent);
    expect(computeVRF(bls, a.sk, parent)).toEqual(v1);
    expect(computeVRF(bls, a.sk, otherParent)).not.toEqual(v1);
    expect(computeVRF(bls, b.sk, parent)).not.toEqual(v1);
  });

  test("domain-separated: the proof is not a plain signature of the parent hash (a PREPARE vote)", () => {
    const proof = computeVRF(bls, a.sk, parent).subarray(32);
    expect(proof).not.toEqual(bls.sign(a.sk, parent));
    expect(bls.verify(a.pk, vrfMessage(parent), proof)).toBe(true);
  });

  test("rejects a wrong key, a wrong parent, tampered output or proof", () => {
    const vrf = computeVRF(bls, a.sk, parent);
    expect(verifyVRF(bls, b.pk, parent, vrf)).toBe(false);
    expect(verifyVRF(bls, a.pk, otherParent, vrf)).toBe(false);
    const badOut = vrf.slice();
    badOut[0] = (badOut[0] ?? 0) ^ 1;
    expect(verifyVRF(bls, a.pk, parent, badOut)).toBe(false);
    const badProof = vrf.slice();
    badProof[100] = (badProof[100] ?? 0) ^ 1;
    expect(verifyVRF(bls, a.pk, parent, badProof)).toBe(false);
    // A consistent output over another key's proof: the output check passes, the signature check fails.
    const foreign = computeVRF(bls, b.sk, parent);
    expect(verifyVRF(bls, a.pk, parent, foreign)).toBe(false);
  });

  test("malformed inputs return false, never throw", () => {
    const vrf = computeVRF(bls, a.sk, parent);
    expect(verifyVRF(bls, a.pk, parent, vrf.subarray(0, 127))).toBe(false);
    expect(verifyVRF(bls, a.pk, parent, new Uint8Array(0))).toBe(false);
    expect(verifyVRF(bls, a.pk, parent, new Uint8Array(VRF_FIELD_BYTES))).toBe(false);
    expect(verifyVRF(bls, new Uint8Array(48), parent, vrf)).toBe(false);
    expect(verifyVRF(bls, new Uint8Array(3), parent, vrf)).toBe(false);
    expect(verifyVRF(bls, a.pk, parent.subarray(0, 31), vrf)).toBe(false);
    expect(() => vrfOutput(new Uint8Array(96))).toThrow(RangeError);
    expect(() => computeVRF(bls, a.sk, new Uint8Array(31))).toThrow(TypeError);
  });
});

describe("validateVRFField", () => {
  const params = smallParams();
  test("genesis has none; later blocks need a valid one", () => {
    expect(validateVRFField(bls, createHeader({ number: 0n }), { leaderPublicKey: a.pk, params }).ok).toBe(true);
    const h = createHeader({ number: 1n, parentHash: parent, vrf: computeVRF(bls, a.sk, parent) });
    expect(validateVRFField(bls, h, { leaderPublicKey: a.pk, params })).toEqual({ ok: true });
    const wrongLeader = validateVRFField(bls, h, { leaderPublicKey: b.pk, params });
    expect(wrongLeader.ok ? null : wrongLeader.error.code).toBe(RandomnessErrorCode.VRF_INVALID);
    const missing = validateVRFField(bls, createHeader({ number: 1n, parentHash: parent }), { leaderPublicKey: a.pk, params });
    expect(missing.ok ? null : missing.error.code).toBe(RandomnessErrorCode.VRF_MISSING);
  });

  test("before the VRF activates a VRF is unexpected", () => {
    const inactive = smallParams({}, { vrf: 5n });
    const h = createHeader({ number: 1n, parentHash: parent, vrf: computeVRF(bls, a.sk, parent) });
    const r = validateVRFField(bls, h, { leaderPublicKey: a.pk, params: inactive });
    expect(r.ok ? null : r.error.code).toBe(RandomnessErrorCode.VRF_UNEXPECTED);
    expect(validateVRFField(bls, createHeader({ number: 1n, parentHash: parent }), { leaderPublicKey: a.pk, params: inactive }).ok).toBe(true);
  });
});
