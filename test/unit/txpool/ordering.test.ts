// Block-building order: by effective tip across senders, nonce order within a sender
// (go-ethereum miner/ordering.go NewTransactionsByPriceAndNonce).
import { describe, expect, test } from "bun:test";
import { GWEI, addr, makePool, rawTx } from "./_helpers.ts";

describe("txpool pending order", () => {
  test("highest price first, each sender in nonce order even when a later nonce pays more", async () => {
    const { pool } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 5n * GWEI }));
    await pool.add(rawTx({ from: 1, nonce: 1, type: 0, price: 50n * GWEI }));
    await pool.add(rawTx({ from: 2, nonce: 0, type: 0, price: 10n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 0, type: 0, price: 7n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 1, type: 0, price: 1n * GWEI }));
    const order = pool.pending().map((t) => [t.sender, t.nonce]);
    expect(order).toEqual([
      [addr(2), 0n],
      [addr(3), 0n],
      [addr(1), 0n],
      [addr(1), 1n],
      [addr(3), 1n],
    ]);
  });

  test("EIP-1559 txs are ranked by min(tip, feeCap - baseFee); equal tips keep arrival order", async () => {
    const { pool, state } = makePool();
    // baseFee 10 gwei: A tip 3, B min(9, 12-10)=2, C legacy 14-10=4, D legacy 12-10=2 (after B).
    await pool.add(rawTx({ from: 1, nonce: 0, price: 100n * GWEI, tip: 3n * GWEI }));
    await pool.add(rawTx({ from: 2, nonce: 0, price: 12n * GWEI, tip: 9n * GWEI }));
    await pool.add(rawTx({ from: 3, nonce: 0, type: 0, price: 14n * GWEI }));
    await pool.add(rawTx({ from: 4, nonce: 0, type: 0, price: 12n * GWEI }));
    await pool.add(rawTx({ from: 5, nonce: 0, type: 0, price: 9n * GWEI }));
    const order = pool.pending({ baseFee: 10n * GWEI }).map((t) => t.sender);
    expect(order).toEqual([addr(3), addr(1), addr(2), addr(4)]); // sender 5 cannot pay the base fee
    // Default base fee = the next block's, from the state reader (here 1 gwei): C 13, D 11, B min(9, 11)=9, E 8, A 3.
    expect(pool.pending().map((t) => t.sender)).toEqual([addr(3), addr(4), addr(2), addr(5), addr(1)]);
    state.baseFee = 10n * GWEI; // the head moved to a block whose successor carries 10 gwei
    expect(pool.pending().map((t) => t.sender)).toEqual([addr(3), addr(1), addr(2), addr(4)]);
  });

  test("the iterator lets a block builder skip a sender", async () => {
    const { pool } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 9n * GWEI }));
    await pool.add(rawTx({ from: 1, nonce: 1, type: 0, price: 9n * GWEI }));
    await pool.add(rawTx({ from: 2, nonce: 0, type: 0, price: 3n * GWEI }));
    const it = pool.pendingByPriceAndNonce();
    expect(it.peek()?.sender).toBe(addr(1));
    it.pop(); // sender 1's tx failed: none of its later nonces can run
    expect(it.peek()?.sender).toBe(addr(2));
    it.shift();
    expect(it.peek()).toBeUndefined();
  });

  test("queued transactions are not offered", async () => {
    const { pool } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 1 }));
    expect(pool.pending()).toEqual([]);
  });
});
