// Randomized (seeded) sequences of admissions, blocks and balance changes; after every step the
// pool's invariants must hold: pending runs contiguous from the state nonce, nothing executable
// left queued, counts consistent, limits respected.
import { describe, expect, test } from "bun:test";
import type { TxPool } from "../../../src/txpool/index.ts";
import { GWEI, addr, makePool, rawTx, type MemState } from "./_helpers.ts";

const SENDERS = 6;
const LIMITS = { globalSlots: 12, globalQueue: 6, accountSlots: 2, accountQueue: 5 };

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function checkInvariants(pool: TxPool, state: MemState): void {
  const { pending, queued } = pool.content();
  let p = 0;
  let q = 0;
  for (let i = 1; i <= SENDERS; i++) {
    const a = addr(i);
    const stateNonce = state.accounts.get(a)?.nonce ?? 0n;
    const run = (pending[a] ?? []).map((t) => t.nonce);
    const later = (queued[a] ?? []).map((t) => t.nonce);
    run.forEach((n, k) => expect(n).toBe(stateNonce + BigInt(k)));
    const next = stateNonce + BigInt(run.length);
    for (const n of later) expect(n > next).toBe(true); // a tx at `next` would have been promoted
    expect(pool.getPendingNonce(a)).toBe(run.length + later.length > 0 ? next : undefined);
    p += run.length;
    q += later.length;
  }
  expect(pool.status()).toEqual({ pending: p, queued: q });
  expect(p).toBeLessThanOrEqual(LIMITS.globalSlots);
  expect(q).toBeLessThanOrEqual(LIMITS.globalQueue);
  expect(pool.pending().length).toBe(p);
  for (const txs of [...Object.values(pending), ...Object.values(queued)]) for (const t of txs) expect(pool.has(t.hash)).toBe(true);
}

describe("txpool invariants under random operations", () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}`, async () => {
      const rnd = prng(seed);
      const { pool, state } = makePool(LIMITS);
      for (let step = 0; step < 200; step++) {
        const r = rnd();
        const from = 1 + Math.floor(rnd() * SENDERS);
        const cur = state.accounts.get(addr(from))?.nonce ?? 0n;
        if (r < 0.75) {
          const nonce = cur + BigInt(Math.floor(rnd() * 5)) - (rnd() < 0.1 ? 1n : 0n);
          const price = BigInt(1 + Math.floor(rnd() * 20)) * GWEI;
          await pool.add(rawTx({ from, nonce: nonce < 0n ? 0n : nonce, type: 0, price })).catch(() => undefined);
        } else if (r < 0.9) {
          // A block: include this sender's pending run (or part of it).
          const run = pool.content().pending[addr(from)] ?? [];
          const k = Math.floor(rnd() * (run.length + 1));
          state.set(from, { nonce: cur + BigInt(k) });
          await pool.onNewBlock(run.slice(0, k).map((t) => t.hash));
        } else {
          state.set(from, { balance: rnd() < 0.3 ? 0n : 10n ** 21n });
          await pool.resetState();
        }
        checkInvariants(pool, state);
      }
    }, 60_000);
  }
});
