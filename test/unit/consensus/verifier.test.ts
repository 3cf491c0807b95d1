// DESIGN §2 / issue 4: verify the aggregate of collected votes, bisect only on failure.
import { describe, expect, test } from "bun:test";
import { type SignatureCheck, createVoteVerifier } from "../../../src/consensus/index.ts";
import { bls, bytes, secretKeys } from "./_fixtures.ts";

const sks = secretKeys(64);
const pks = sks.map((sk) => bls.secretToPublic(sk));
const msg = bytes(32, 42);

function votes(n: number, message = msg): SignatureCheck[] {
  return sks.slice(0, n).map((sk, i) => ({ publicKeys: [pks[i] as Uint8Array], message, signature: bls.sign(sk, message) }));
}

describe("vote verifier", () => {
  test("all valid: one aggregate check", () => {
    const v = createVoteVerifier(bls);
    expect(v.verify(votes(64))).toEqual(Array(64).fill(true));
    expect(v.stats.checks).toBe(1);
  });

  test("one bad vote among 64 costs about 2·log2(64) extra checks", () => {
    const v = createVoteVerifier(bls);
    const checks = votes(64);
    checks[37] = { ...(checks[37] as SignatureCheck), signature: bls.sign(sks[0] as Uint8Array, msg) };
    const out = v.verify(checks);
    expect(out.filter((x) => !x)).toHaveLength(1);
    expect(out[37]).toBe(false);
    expect(v.stats.checks).toBeLessThanOrEqual(1 + 2 * 6);
  });

  test("undecodable signatures and keys are false, never thrown", () => {
    const v = createVoteVerifier(bls);
    const checks = votes(4);
    checks[1] = { ...(checks[1] as SignatureCheck), signature: new Uint8Array(96).fill(0xff) };
    checks[2] = { ...(checks[2] as SignatureCheck), publicKeys: [new Uint8Array(48)] };
    checks[3] = { ...(checks[3] as SignatureCheck), publicKeys: [] };
    expect(v.verify(checks)).toEqual([true, false, false, false]);
  });

  test("multi-key votes: aggregate over several keys", () => {
    const v = createVoteVerifier(bls);
    const sig = bls.aggregateSignatures(sks.slice(0, 5).map((sk) => bls.sign(sk, msg)));
    expect(v.verify([{ publicKeys: pks.slice(0, 5), message: msg, signature: sig }])).toEqual([true]);
    expect(v.verify([{ publicKeys: pks.slice(0, 4), message: msg, signature: sig }])).toEqual([false]);
    expect(v.verify([{ publicKeys: pks.slice(0, 5), message: msg, signature: sig }])).toEqual([true]);
    expect(v.stats.cacheHits).toBeGreaterThan(0);
  });

  test("distinct messages are batched and bisected too", () => {
    const v = createVoteVerifier(bls);
    const checks: SignatureCheck[] = sks.slice(0, 8).map((sk, i) => {
      const m = bytes(40, i);
      return { publicKeys: [pks[i] as Uint8Array], message: m, signature: bls.sign(sk, m) };
    });
    expect(v.verify(checks)).toEqual(Array(8).fill(true));
    checks[5] = { ...(checks[5] as SignatureCheck), message: bytes(40, 99) };
    expect(v.verify(checks)).toEqual([true, true, true, true, true, false, true, true]);
  });
});
