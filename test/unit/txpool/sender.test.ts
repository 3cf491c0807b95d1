// Senders are recovered once at admission and kept by tx hash for block execution to reuse.
import { describe, expect, test } from "bun:test";
import { bytesToHex, publicToAddress } from "@ethereumjs/util";
import { TxPoolErrorCode } from "../../../src/txpool/index.ts";
import { addr, codeOf, makePool, rawTx, signTx } from "./_helpers.ts";

describe("txpool senders", () => {
  test("getSender / getSenderPublicKey by hash, also after the tx left the pool", async () => {
    const { pool, state } = makePool();
    const tx = signTx({ from: 7, nonce: 0 });
    const { hash } = await pool.add(tx.serialize());
    expect(bytesToHex(pool.getSender(hash) as Uint8Array)).toBe(addr(7));
    expect(bytesToHex(pool.getSender(tx.hash()) as Uint8Array)).toBe(addr(7));
    const pk = pool.getSenderPublicKey(hash) as Uint8Array;
    expect(bytesToHex(publicToAddress(pk))).toBe(addr(7));
    // The pooled object carries the key too, so executing it does not recover again.
    expect(pool.get(hash)?.tx.cache.senderPubKey).toEqual(pk);
    state.set(7, { nonce: 1n });
    await pool.onNewBlock([hash]);
    expect(pool.has(hash)).toBe(false);
    expect(bytesToHex(pool.getSender(hash.toUpperCase().replace("0X", "0x")) as Uint8Array)).toBe(addr(7));
    expect(pool.getSender(`0x${"00".repeat(32)}`)).toBeUndefined();
  });

  test("a re-submitted tx reuses the cached sender on its fresh decoded object", async () => {
    const { pool, state } = makePool();
    const raw = rawTx({ from: 3, nonce: 0 });
    const { hash } = await pool.add(raw);
    state.set(3, { balance: 0n });
    await pool.resetState(); // dropped as unaffordable
    expect(pool.has(hash)).toBe(false);
    state.set(3, { balance: 10n ** 20n });
    await pool.add(raw);
    expect(pool.get(hash)?.tx.cache.senderPubKey).toEqual(pool.getSenderPublicKey(hash) as Uint8Array);
  });

  test("concurrent submissions are serialized: duplicates are known, nonce order does not matter", async () => {
    const { pool } = makePool();
    const raws = [4, 2, 0, 3, 1].map((n) => rawTx({ from: 1, nonce: n }));
    const dup = raws[2] as Uint8Array;
    const codes = await Promise.all([...raws, dup].map((r) => codeOf(pool.add(r))));
    expect(codes).toEqual(["accepted", "accepted", "accepted", "accepted", "accepted", TxPoolErrorCode.ALREADY_KNOWN]);
    expect(pool.status()).toEqual({ pending: 5, queued: 0 });
    expect(pool.pending().map((t) => t.nonce)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });
});
