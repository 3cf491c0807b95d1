// The BLS verifier pool (issue 4: verification off the event loop): workers give the same verdicts
// as the inline verifier, bad signatures are found by bisection, verdicts are cached, and a pool
// without workers verifies on the main thread.
import { afterAll, describe, expect, test } from "bun:test";
import { type SignatureCheck, commitPayload } from "../../../src/consensus/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { type AsyncVoteVerifier, createBLSVerifierPool } from "../../../src/node/blsPool.ts";
import { memoryLogger } from "./_helpers.ts";

const pools: AsyncVoteVerifier[] = [];
afterAll(() => {
  for (const p of pools) p.close();
});

async function votes(n: number, bad: number[]): Promise<SignatureCheck[]> {
  const bls = await createBLS("native");
  const msg = commitPayload(5n, new Uint8Array(32).fill(1), 2n);
  return Array.from({ length: n }, (_, i) => {
    const sk = bls.keygen(new Uint8Array(32).fill(i + 1));
    const sig = bls.sign(sk, bad.includes(i) ? Uint8Array.of(9) : msg);
    return { publicKeys: [bls.secretToPublic(sk)], message: msg, signature: sig };
  });
}

describe("BLS verifier pool", () => {
  test("workers verify a batch of votes, find the bad ones, and cache verdicts", async () => {
    const bls = await createBLS("native");
    const pool = createBLSVerifierPool(bls, { size: 2 }, { logger: memoryLogger() });
    pools.push(pool);
    const checks = await votes(16, [3, 11]);
    const r = await pool.verify(checks);
    expect(r).toEqual(checks.map((_, i) => i !== 3 && i !== 11));
    const s1 = pool.stats();
    expect(s1.workers).toBe(2);
    expect(s1.workerBatches).toBe(1);
    // Bisection: far fewer pairings than one per vote would be… but more than one aggregate.
    expect(s1.pairings).toBeGreaterThan(1);
    expect(s1.pairings).toBeLessThan(16);
    const again = await pool.verify(checks.slice(0, 4));
    expect(again).toEqual([true, true, true, false]);
    expect(pool.stats().cacheHits).toBe(4);
    expect(pool.stats().workerBatches).toBe(1);
  });

  test("concurrent batches are spread over the workers; size 0 verifies inline", async () => {
    const bls = await createBLS("native");
    const pool = createBLSVerifierPool(bls, { size: 2 }, { logger: memoryLogger() });
    pools.push(pool);
    const good = await votes(8, []);
    const tampered = (await votes(8, [])).map((c) => ({ ...c, message: Uint8Array.of(7, ...c.message) }));
    const results = await Promise.all([pool.verify(good), pool.verify(tampered)]);
    expect(results[0]?.every(Boolean)).toBe(true);
    expect(results[1]?.every((x) => !x)).toBe(true);
    expect(pool.stats().workerBatches).toBe(2);
    const inline = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
    const ok = await inline.verify(await votes(4, [2]));
    expect(ok).toEqual([true, true, false, true]);
    expect(inline.stats().inlineBatches).toBe(1);
    expect(inline.stats().workers).toBe(0);
    // Malformed checks are false and never make the pool reject.
    const malformed = [{ publicKeys: undefined, message: new Uint8Array(1), signature: new Uint8Array(96) }] as unknown as SignatureCheck[];
    expect(await pool.verify([...malformed, ...good.slice(0, 1)])).toEqual([false, true]);
    expect(await inline.verify(malformed)).toEqual([false]);
  });

  test("workers keep the committee's keys decoded: a second round over the same keys is all cache hits", async () => {
    const bls = await createBLS("native");
    const pool = createBLSVerifierPool(bls, { size: 1 }, { logger: memoryLogger() });
    pools.push(pool);
    const first = await votes(12, []);
    expect((await pool.verify(first)).every(Boolean)).toBe(true);
    const s1 = pool.stats();
    // Another round: the same keys over another message (so no verdict-cache hit).
    const msg = commitPayload(6n, new Uint8Array(32).fill(2), 2n);
    const second = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const sk = bls.keygen(new Uint8Array(32).fill(i + 1));
        return { publicKeys: [bls.secretToPublic(sk)], message: msg, signature: bls.sign(sk, msg) };
      }),
    );
    second[4] = { ...second[4]!, signature: second[5]!.signature };
    expect(await pool.verify(second)).toEqual(second.map((_, i) => i !== 4));
    const s2 = pool.stats();
    expect(s2.cacheHits).toBe(s1.cacheHits);
    expect(s2.workerBatches).toBe(2);
    expect(s2.publicKeyHits - s1.publicKeyHits).toBeGreaterThanOrEqual(12);
    expect(s2.publicKeyMisses).toBe(s1.publicKeyMisses);
    expect(s2.verifyBatches).toBe(2);
    expect(s2.verifyMs).toBeGreaterThan(0);
    // The worker handed over the points of the votes that verified: aggregating them here decompresses none.
    const before = bls.cacheStats();
    const good = second.filter((_, i) => i !== 4).map((c) => c.signature);
    expect(bls.aggregateSignatures(good)).toEqual(bls.aggregateSignatures(good.map((s) => s.slice())));
    const after = bls.cacheStats();
    expect(after.signatureHits - before.signatureHits).toBe(2 * good.length);
    expect(after.signatureMisses).toBe(before.signatureMisses);
  });

  test("calls made in one turn, or while the worker is busy, leave as one batch; verdicts stay per call", async () => {
    const bls = await createBLS("native");
    const pool = createBLSVerifierPool(bls, { size: 1, maxBatch: 64 }, { logger: memoryLogger() });
    pools.push(pool);
    // Commit proofs of a synced range: one check per block, each over its own message.
    const range = Array.from({ length: 40 }, (_, i) => {
      const sk = bls.keygen(new Uint8Array(32).fill(i + 1));
      const msg = commitPayload(BigInt(100 + i), new Uint8Array(32).fill(i), 0n);
      return { publicKeys: [bls.secretToPublic(sk)], message: msg, signature: bls.sign(sk, i === 17 ? Uint8Array.of(1) : msg) };
    });
    const results = await Promise.all(range.map((c) => pool.verify([c])));
    expect(results).toEqual(range.map((_, i) => [i !== 17]));
    const s1 = pool.stats();
    expect(s1.workerBatches).toBe(1);
    // One batch of distinct messages: one multi-pairing, a few more to bisect out the bad one — far below 40.
    expect(s1.pairings).toBeLessThan(20);
    // A call while the worker is busy waits; the calls behind it gather into one batch, capped at maxBatch checks.
    const more = await votes(100, [60]);
    const first = pool.verify(more.slice(0, 10));
    await Promise.resolve();
    const rest = Array.from({ length: 9 }, (_, k) => pool.verify(more.slice(10 + k * 10, 20 + k * 10)));
    const all = [await first, ...(await Promise.all(rest))].flat();
    expect(all).toEqual(more.map((_, i) => i !== 60));
    // 10 checks alone, then 90 behind them: two batches of at most 64.
    expect(pool.stats().workerBatches - s1.workerBatches).toBe(3);
  });
});
