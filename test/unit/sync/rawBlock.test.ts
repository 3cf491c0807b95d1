// src/chain/rawBlock.ts: the stored bytes served to syncing peers equal the canonical encodings.
import { describe, expect, test } from "bun:test";
import { getBlockEncodingByNumber, getHeaderEncodingByNumber } from "../../../src/chain/rawBlock.ts";
import { buildSourceChain } from "./_helpers.ts";

describe("raw block bytes", () => {
  test("equal Block.encode() and Header.encoded for every height, undefined above the head", async () => {
    // 0 txs (short list prefix), 1 tx, and enough txs for a long list prefix.
    const s = await buildSourceChain(2, { txsPerBlock: 0 });
    await s.extend(2, 1);
    await s.extend(2, 40);
    const c = s.chain;
    for (let n = 0n; n <= c.head.number; n++) {
      expect(getBlockEncodingByNumber(c, n)).toEqual(c.getBlockByNumber(n)?.encode() as Uint8Array);
      expect(getHeaderEncodingByNumber(c, n)).toEqual(c.getHeaderByNumber(n)?.encoded as Uint8Array);
    }
    expect(getBlockEncodingByNumber(c, c.head.number + 1n)).toBeUndefined();
    expect(getHeaderEncodingByNumber(c, c.head.number + 1n)).toBeUndefined();
    await c.close();
  }, 30_000);
});
