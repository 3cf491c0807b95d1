// Checks asked in one turn of the event loop reach the verifier as one batch (one aggregate pairing
// when all are valid), and each caller gets its own verdict, also when one of them is bad.
import { describe, expect, test } from "bun:test";
import { preparePayload } from "../../../src/consensus/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { createBLSVerifierPool } from "../../../src/node/blsPool.ts";
import { createSerialVerifier, createVerifyBatcher } from "../../../src/node/_verifyBatcher.ts";
import { memoryLogger } from "./_helpers.ts";

describe("verify batcher", () => {
  test("one verifier call per turn, verdicts per check", async () => {
    const bls = await createBLS("native");
    const sks = [1, 2, 3, 4].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
    const pool = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
    const calls: number[] = [];
    const batch = createVerifyBatcher({ verify: (c) => (calls.push(c.length), pool.verify(c)) });
    const msg = preparePayload(new Uint8Array(32).fill(5));
    const check = (i: number, signer = i) => ({ publicKeys: [bls.secretToPublic(sks[i] as Uint8Array)], message: msg, signature: bls.sign(sks[signer] as Uint8Array, msg) });
    expect(await Promise.all([0, 1, 2, 3].map((i) => batch(check(i))))).toEqual([true, true, true, true]);
    expect(calls).toEqual([4]);
    expect(pool.stats().pairings).toBe(1);
    expect(await Promise.all([batch(check(0)), batch(check(1, 2)), batch(check(3))])).toEqual([true, false, true]);
    expect(calls).toEqual([4, 3]);
  });

  test("serial lane: one check at a time, verdicts in order, overflow dropped unchecked", async () => {
    const bls = await createBLS("native");
    const sk = bls.keygen(new Uint8Array(32).fill(1));
    const msg = preparePayload(new Uint8Array(32).fill(6));
    const good = { publicKeys: [bls.secretToPublic(sk)], message: msg, signature: bls.sign(sk, msg) };
    const bad = { ...good, signature: bls.sign(bls.keygen(new Uint8Array(32).fill(2)), msg) };
    const pool = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
    let inFlight = 0;
    let most = 0;
    const lane = createSerialVerifier({
      verify: async (c) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return pool.verify(c);
      },
    }, { maxQueued: 3 });
    const verdicts = await Promise.all([bad, good, bad, good, good].map((c) => lane(c)));
    // The first starts at once; three wait; the fifth finds the backlog full.
    expect(verdicts).toEqual([false, true, false, true, null]);
    expect(most).toBe(1);
  });
});
