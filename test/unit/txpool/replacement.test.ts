// Replacement of a sender's transaction at the same nonce: both fee caps must rise by priceBumpPercent.
import { describe, expect, test } from "bun:test";
import { TxPoolErrorCode } from "../../../src/txpool/index.ts";
import { GWEI, codeOf, makePool, rawTx, signTx } from "./_helpers.ts";

describe("txpool replacement", () => {
  test("a pending legacy tx is replaced at +10% gas price, not below", async () => {
    const { pool } = makePool();
    const first = await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 10n * GWEI }));
    const low = rawTx({ from: 1, nonce: 0, type: 0, price: 10n * GWEI + GWEI - 1n });
    expect(await codeOf(pool.add(low))).toBe(TxPoolErrorCode.REPLACEMENT_UNDERPRICED);
    const second = await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 11n * GWEI }));
    expect(pool.has(first.hash)).toBe(false);
    expect(pool.get(second.hash)?.feeCap).toBe(11n * GWEI);
    expect(pool.status()).toEqual({ pending: 1, queued: 0 });
  });

  test("EIP-1559 needs both the fee cap and the tip raised by the bump", async () => {
    const { pool } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 0, price: 100n * GWEI, tip: 10n * GWEI }));
    const feeOnly = rawTx({ from: 1, nonce: 0, price: 200n * GWEI, tip: 10n * GWEI });
    const tipShort = rawTx({ from: 1, nonce: 0, price: 200n * GWEI, tip: 10n * GWEI + GWEI - 1n });
    const capShort = rawTx({ from: 1, nonce: 0, price: 109n * GWEI, tip: 20n * GWEI });
    for (const raw of [feeOnly, tipShort, capShort]) {
      const err = await pool.add(raw).catch((e: Error) => e);
      expect((err as { code?: string }).code).toBe(TxPoolErrorCode.REPLACEMENT_UNDERPRICED);
      expect((err as Error).message).toBe("replacement transaction underpriced");
    }
    const ok = await pool.add(rawTx({ from: 1, nonce: 0, price: 110n * GWEI, tip: 11n * GWEI }));
    expect(pool.get(ok.hash)?.tipCap).toBe(11n * GWEI);
  });

  test("the bump is configurable and strictly higher caps are always needed", async () => {
    const { pool } = makePool({ priceBumpPercent: 0 });
    await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 10n * GWEI, value: 1n }));
    const same = rawTx({ from: 1, nonce: 0, type: 0, price: 10n * GWEI, value: 2n });
    expect(await codeOf(pool.add(same))).toBe(TxPoolErrorCode.REPLACEMENT_UNDERPRICED);
    expect(await codeOf(pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 10n * GWEI + 1n })))).toBe("accepted");
  });

  test("a queued tx is replaced in place and stays queued; replacing a pending one notifies", async () => {
    const { pool } = makePool();
    const seen: string[] = [];
    pool.onPending((t) => seen.push(t.hash));
    await pool.add(rawTx({ from: 1, nonce: 2, price: 2n * GWEI }));
    const q = await pool.add(rawTx({ from: 1, nonce: 2, price: 3n * GWEI }));
    expect(q.pending).toBe(false);
    expect(pool.status()).toEqual({ pending: 0, queued: 1 });
    expect(seen).toEqual([]);
    const tx0 = signTx({ from: 1, nonce: 0, price: 2n * GWEI });
    await pool.add(tx0.serialize());
    const r = await pool.add(rawTx({ from: 1, nonce: 0, price: 4n * GWEI }));
    expect(seen).toEqual([`0x${Buffer.from(tx0.hash()).toString("hex")}`, r.hash]);
    expect(pool.status()).toEqual({ pending: 1, queued: 1 });
  });
});
