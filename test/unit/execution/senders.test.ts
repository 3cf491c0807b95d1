// Sender recovery: inline and over worker threads give the same senders; known senders are trusted;
// a bad signature names the transaction.
import { afterAll, describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { BlockError, decodeTransaction } from "../../../src/core/index.ts";
import { SenderRecoveryPool, createSenderRecoveryStats, recoverSenders } from "../../../src/execution/index.ts";
import { addrs, common, legacyTx, tx } from "../chain/_helpers.ts";

const pool = new SenderRecoveryPool(2);
afterAll(() => pool.close());

describe("sender recovery", () => {
  const txs = Array.from({ length: 40 }, (_, i) => (i % 2 ? tx(i % 10, BigInt(i)) : legacyTx(i % 10, BigInt(i))));

  test("workers and inline agree with the signers", async () => {
    const inline = await recoverSenders(txs);
    const parallel = await recoverSenders(txs, { pool, minParallel: 1 });
    expect(parallel).toEqual(inline);
    inline.forEach((s, i) => expect(s).toEqual(addrs[i % 10]!));
  });

  test("known senders are used as given", async () => {
    const known = txs.map((_, i) => (i < 5 ? new Uint8Array(20).fill(i + 1) : undefined));
    const out = await recoverSenders(txs, { known, pool });
    expect(out[0]).toEqual(new Uint8Array(20).fill(1));
    expect(out[6]).toEqual(addrs[6]!);
  });

  test("stats count each call as a block: time, recovered and reused senders (the /metrics source)", async () => {
    const stats = createSenderRecoveryStats();
    const known = txs.map((_, i) => (i < 5 ? addrs[i % 10] : undefined));
    await recoverSenders(txs, { known, stats });
    await recoverSenders(txs.slice(0, 3), { stats });
    expect({ blocks: stats.blocks, recovered: stats.recovered, reused: stats.reused }).toEqual({ blocks: 2, recovered: 35 + 3, reused: 5 });
    expect(stats.totalMs).toBeGreaterThan(0);
    expect(stats.totalMs).toBeGreaterThanOrEqual(stats.lastMs);
  });

  test("an unrecoverable signature is a BlockError naming the transaction", async () => {
    const fields = RLP.decode(tx(0, 0n).serialize().subarray(1)) as Uint8Array[];
    // r = 5 is in range but not the x-coordinate of any secp256k1 point (5³ + 7 is a non-residue mod p).
    fields[10] = Uint8Array.of(5);
    const badRaw = Uint8Array.of(2, ...RLP.encode(fields));
    const bad = decodeTransaction(badRaw, common); // decodes: only recovery can tell
    const err = await recoverSenders([txs[0]!, bad], { pool, minParallel: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(BlockError);
    expect((err as BlockError).type).toMatchObject({ index: 1, txCode: "TX_ERROR_INVALID_SIGNATURE" });
  });
});
