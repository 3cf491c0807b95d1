// Global and per-sender limits: eviction of the cheapest, spammers trimmed first, and never a
// sender's lower nonce evicted while a higher one stays.
import { describe, expect, test } from "bun:test";
import { TxPoolErrorCode } from "../../../src/txpool/index.ts";
import { GWEI, addr, codeOf, makePool, rawTx } from "./_helpers.ts";

const nonces = (txs: { nonce: bigint }[] | undefined) => (txs ?? []).map((t) => t.nonce);

describe("txpool limits", () => {
  test("queue over globalQueue evicts the cheapest queued tx; a cheaper newcomer gets POOL_FULL", async () => {
    const { pool } = makePool({ globalQueue: 2 });
    await pool.add(rawTx({ from: 1, nonce: 1, price: 5n * GWEI }));
    const cheap = await pool.add(rawTx({ from: 2, nonce: 1, price: 2n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 1, price: 4n * GWEI }));
    expect(pool.has(cheap.hash)).toBe(false);
    expect(pool.status()).toEqual({ pending: 0, queued: 2 });
    const err = await pool.add(rawTx({ from: 4, nonce: 1, price: 3n * GWEI })).catch((e: Error) => e);
    expect((err as { code?: string }).code).toBe(TxPoolErrorCode.POOL_FULL);
    expect((err as Error).message).toBe("txpool is full");
    expect(pool.status()).toEqual({ pending: 0, queued: 2 });
  });

  test("ties go to the transactions already in the pool", async () => {
    const { pool } = makePool({ globalQueue: 1 });
    await pool.add(rawTx({ from: 1, nonce: 1, price: 2n * GWEI }));
    expect(await codeOf(pool.add(rawTx({ from: 2, nonce: 1, price: 2n * GWEI })))).toBe(TxPoolErrorCode.POOL_FULL);
  });

  test("pending over globalSlots evicts the sender whose last pending tx is cheapest", async () => {
    const { pool } = makePool({ globalSlots: 2 });
    await pool.add(rawTx({ from: 1, nonce: 0, price: 5n * GWEI }));
    const cheap = await pool.add(rawTx({ from: 2, nonce: 0, price: 3n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 0, price: 4n * GWEI }));
    expect(pool.has(cheap.hash)).toBe(false);
    expect(await codeOf(pool.add(rawTx({ from: 4, nonce: 0, price: 1n * GWEI })))).toBe(TxPoolErrorCode.POOL_FULL);
    expect(pool.status()).toEqual({ pending: 2, queued: 0 });
  });

  test("senders above accountSlots are trimmed first, from their highest nonce", async () => {
    const { pool } = makePool({ globalSlots: 4, accountSlots: 1 });
    for (let n = 0; n < 3; n++) await pool.add(rawTx({ from: 1, nonce: n, price: 50n * GWEI }));
    await pool.add(rawTx({ from: 2, nonce: 0, price: 2n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 0, price: 2n * GWEI }));
    const c = pool.content();
    expect(nonces(c.pending[addr(1)])).toEqual([0n, 1n]);
    expect(nonces(c.pending[addr(2)])).toEqual([0n]);
    expect(nonces(c.pending[addr(3)])).toEqual([0n]);
  });

  test("a sender filling the pool alone cannot push past globalSlots", async () => {
    const { pool } = makePool({ globalSlots: 3, accountSlots: 1 });
    for (let n = 0; n < 3; n++) await pool.add(rawTx({ from: 1, nonce: n }));
    expect(await codeOf(pool.add(rawTx({ from: 1, nonce: 3 })))).toBe(TxPoolErrorCode.POOL_FULL);
    expect(pool.status()).toEqual({ pending: 3, queued: 0 });
  });

  test("eviction never drops a lower nonce while keeping a higher one of the same sender", async () => {
    const { pool } = makePool({ globalSlots: 3 });
    await pool.add(rawTx({ from: 1, nonce: 0, price: 100n * GWEI }));
    await pool.add(rawTx({ from: 1, nonce: 1, price: 1n * GWEI }));
    await pool.add(rawTx({ from: 1, nonce: 3, price: 100n * GWEI }));
    await pool.add(rawTx({ from: 2, nonce: 0, price: 50n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 0, price: 10n * GWEI }));
    const c = pool.content();
    expect(nonces(c.pending[addr(1)])).toEqual([0n]);
    expect(c.queued[addr(1)]).toBeUndefined();
    expect(pool.status()).toEqual({ pending: 3, queued: 0 });
  });

  test("promotion that overflows pending is trimmed back to the limit", async () => {
    const { pool } = makePool({ globalSlots: 3, accountSlots: 1 });
    await pool.add(rawTx({ from: 2, nonce: 0 }));
    for (const n of [1, 2, 3]) await pool.add(rawTx({ from: 1, nonce: n }));
    expect(pool.status()).toEqual({ pending: 1, queued: 3 });
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    expect(pool.status()).toEqual({ pending: 3, queued: 0 });
    expect(nonces(pool.content().pending[addr(1)])).toEqual([0n, 1n]);
  });
});
