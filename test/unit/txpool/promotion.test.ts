// Pending vs queued: gaps, promotion when they fill or the state nonce advances, demotion when a
// sender can no longer pay, and removal of included transactions after a block.
import { describe, expect, test } from "bun:test";
import { hexToBytes } from "@ethereumjs/util";
import { TxPoolErrorCode } from "../../../src/txpool/index.ts";
import { ETHER, GWEI, addr, codeOf, makePool, rawTx, signTx } from "./_helpers.ts";

const nonces = (txs: { nonce: bigint }[] | undefined) => (txs ?? []).map((t) => t.nonce);

describe("txpool promotion and demotion", () => {
  test("a gap keeps later nonces queued; filling it promotes them and notifies once each", async () => {
    const { pool } = makePool();
    const seen: bigint[] = [];
    pool.onPending((t) => seen.push(t.nonce));
    expect((await pool.add(rawTx({ from: 1, nonce: 2 }))).pending).toBe(false);
    expect((await pool.add(rawTx({ from: 1, nonce: 1 }))).pending).toBe(false);
    expect(pool.status()).toEqual({ pending: 0, queued: 2 });
    expect(seen).toEqual([]);
    expect((await pool.add(rawTx({ from: 1, nonce: 0 }))).pending).toBe(true);
    expect(pool.status()).toEqual({ pending: 3, queued: 0 });
    expect(seen).toEqual([0n, 1n, 2n]);
    expect(pool.getPendingNonce(addr(1))).toBe(3n);
    expect(pool.getPendingNonce(hexToBytes(addr(1)))).toBe(3n);
  });

  test("content() lists pending and queued by sender in nonce order", async () => {
    const { pool } = makePool();
    for (const n of [5, 0, 1, 3]) await pool.add(rawTx({ from: 1, nonce: n }));
    await pool.add(rawTx({ from: 2, nonce: 0 }));
    const c = pool.content();
    expect(nonces(c.pending[addr(1)])).toEqual([0n, 1n]);
    expect(nonces(c.queued[addr(1)])).toEqual([3n, 5n]);
    expect(nonces(c.pending[addr(2)])).toEqual([0n]);
    expect(c.queued[addr(2)]).toBeUndefined();
  });

  test("onNewBlock drops included txs and promotes queued ones the new state nonce reaches", async () => {
    const { pool, state } = makePool();
    const seen: bigint[] = [];
    const included = [signTx({ from: 1, nonce: 0 }), signTx({ from: 1, nonce: 1 })];
    for (const tx of included) await pool.add(tx.serialize());
    await pool.add(rawTx({ from: 1, nonce: 3 }));
    pool.onPending((t) => seen.push(t.nonce));
    // The block included nonces 0, 1 and a nonce-2 tx the pool never saw.
    state.set(1, { nonce: 3n });
    await pool.onNewBlock(included.map((t) => t.hash()));
    for (const tx of included) expect(pool.has(tx.hash())).toBe(false);
    expect(pool.status()).toEqual({ pending: 1, queued: 0 });
    expect(seen).toEqual([3n]);
  });

  test("resetState drops txs the sender can no longer afford and demotes the nonces after them", async () => {
    const { pool, state } = makePool();
    for (let n = 0; n < 4; n++) await pool.add(rawTx({ from: 1, nonce: n, value: n === 1 ? 5n * ETHER : 1n }));
    expect(pool.status()).toEqual({ pending: 4, queued: 0 });
    state.set(1, { balance: 1n * ETHER });
    await pool.resetState();
    const c = pool.content();
    expect(nonces(c.pending[addr(1)])).toEqual([0n]);
    expect(nonces(c.queued[addr(1)])).toEqual([2n, 3n]);
    expect(pool.status()).toEqual({ pending: 1, queued: 2 });
  });

  test("a state nonce that advances past a gap promotes what follows it", async () => {
    const { pool, state } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    await pool.add(rawTx({ from: 1, nonce: 2 }));
    await pool.add(rawTx({ from: 1, nonce: 3 }));
    state.set(1, { nonce: 2n }); // nonce 1 arrived in a block from elsewhere
    await pool.resetState();
    expect(nonces(pool.content().pending[addr(1)])).toEqual([2n, 3n]);
  });

  test("admission notices a state nonce that moved before the reset ran", async () => {
    const { pool, state } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    await pool.add(rawTx({ from: 1, nonce: 2 }));
    state.set(1, { nonce: 2n });
    const res = await pool.add(rawTx({ from: 1, nonce: 3 }));
    expect(res.pending).toBe(true);
    expect(pool.status()).toEqual({ pending: 2, queued: 0 });
  });

  test("promotions caused by a moved state nonce are announced even when the new tx is refused", async () => {
    const { pool, state } = makePool();
    await pool.add(rawTx({ from: 1, nonce: 2 }));
    await pool.add(rawTx({ from: 1, nonce: 3 }));
    const seen: bigint[] = [];
    pool.onPending((t) => seen.push(t.nonce));
    state.set(1, { nonce: 2n });
    expect(await codeOf(pool.add(rawTx({ from: 1, nonce: 1 })))).toBe(TxPoolErrorCode.NONCE_TOO_LOW);
    expect(seen).toEqual([2n, 3n]);
    expect(pool.status()).toEqual({ pending: 2, queued: 0 });
  });

  test("queued txs of a sender silent for longer than queueLifetimeMs expire at reset", async () => {
    const { pool, clock } = makePool({ queueLifetimeMs: 60_000 });
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    await pool.add(rawTx({ from: 1, nonce: 2 }));
    clock.t += 60_001;
    await pool.resetState();
    expect(pool.status()).toEqual({ pending: 1, queued: 0 });
  });

  test("a throwing listener does not break admission; unsubscribe stops notifications", async () => {
    const { pool } = makePool();
    let calls = 0;
    const off = pool.onPending(() => {
      calls++;
      throw new Error("listener bug");
    });
    await pool.add(rawTx({ from: 1, nonce: 0, price: 3n * GWEI }));
    off();
    await pool.add(rawTx({ from: 1, nonce: 1, price: 3n * GWEI }));
    expect(calls).toBe(1);
    expect(pool.status().pending).toBe(2);
  });
});
