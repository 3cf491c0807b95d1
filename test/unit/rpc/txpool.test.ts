// geth's txpool_ namespace over a real TxPool (the node's adapter, createTxPoolRpcBackend): counts,
// content by sender and decimal nonce, contentFrom, inspect's one-line summaries, a gap that fills,
// parameter errors, and -32601 on a backend without a pool.
import { afterEach, describe, expect, test } from "bun:test";
import { createTxPoolRpcBackend } from "../../../src/node/rpcBackend.ts";
import type { RpcTxPoolBackend } from "../../../src/rpc/backend.ts";
import { hexToBytesUnchecked, toChecksumAddress } from "../../../src/rpc/hex.ts";
import { GWEI, TO, addr, makePool, rawTx } from "../txpool/_helpers.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { TestChain } from "./_testBackend.ts";

class PoolChain extends TestChain {
  constructor(readonly txpool: RpcTxPoolBackend) {
    super();
  }
}

const checksum = (a: string) => toChecksumAddress(hexToBytesUnchecked(a));
let h: Harness | undefined;
afterEach(async () => {
  await h?.server.stop();
  h = undefined;
});

async function withPool() {
  const { pool, state } = makePool();
  h = await startHarness({}, new PoolChain(createTxPoolRpcBackend(pool)));
  return { pool, state, rpc: h.rpc };
}

describe("txpool_ namespace", () => {
  test("txpool_status counts pending and queued as quantities", async () => {
    const { pool, rpc } = await withPool();
    expect((await rpc("txpool_status")).result).toEqual({ pending: "0x0", queued: "0x0" });
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    await pool.add(rawTx({ from: 1, nonce: 1 }));
    await pool.add(rawTx({ from: 1, nonce: 3 })); // gap at 2
    await pool.add(rawTx({ from: 2, nonce: 5 })); // state nonce 0
    expect((await rpc("txpool_status")).result).toEqual({ pending: "0x2", queued: "0x2" });
  });

  test("txpool_content groups by checksummed sender and decimal nonce, txs in the pending-transaction JSON (block fields null)", async () => {
    const { pool, rpc } = await withPool();
    const a = await pool.add(rawTx({ from: 1, nonce: 0, price: 7n * GWEI, tip: 2n * GWEI }));
    await pool.add(rawTx({ from: 1, nonce: 1 }));
    const q = await pool.add(rawTx({ from: 1, nonce: 3 }));
    const q2 = await pool.add(rawTx({ from: 2, nonce: 12, type: 0 }));
    const c = (await rpc("txpool_content")).result;
    const s1 = checksum(addr(1));
    const s2 = checksum(addr(2));
    expect(s1).not.toBe(addr(1)); // really checksummed (mixed case), not the lowercase key of the pool
    expect(Object.keys(c.pending)).toEqual([s1]);
    expect(Object.keys(c.pending[s1])).toEqual(["0", "1"]);
    expect(Object.keys(c.queued).sort()).toEqual([s1, s2].sort());
    expect(Object.keys(c.queued[s1])).toEqual(["3"]);
    expect(Object.keys(c.queued[s2])).toEqual(["12"]);
    const tx0 = c.pending[s1]["0"];
    expect(tx0.hash).toBe(a.hash);
    expect(tx0.from).toBe(s1);
    expect(tx0.nonce).toBe("0x0");
    expect(tx0.blockHash).toBeNull();
    expect(tx0.blockNumber).toBeNull();
    expect(tx0.transactionIndex).toBeNull();
    expect(tx0.type).toBe("0x2");
    expect(tx0.gasPrice).toBe(`0x${(7n * GWEI).toString(16)}`); // a pending 1559 tx shows its fee cap, as geth
    expect(tx0.maxPriorityFeePerGas).toBe(`0x${(2n * GWEI).toString(16)}`);
    expect(c.queued[s1]["3"].hash).toBe(q.hash);
    expect(c.queued[s2]["12"].hash).toBe(q2.hash);
    expect(c.queued[s2]["12"].type).toBe("0x0");
  });

  test("a filled gap moves the queued txs to pending", async () => {
    const { pool, rpc } = await withPool();
    await pool.add(rawTx({ from: 3, nonce: 0 }));
    await pool.add(rawTx({ from: 3, nonce: 2 }));
    await pool.add(rawTx({ from: 3, nonce: 3 }));
    const s = checksum(addr(3));
    let c = (await rpc("txpool_content")).result;
    expect(Object.keys(c.pending[s])).toEqual(["0"]);
    expect(Object.keys(c.queued[s])).toEqual(["2", "3"]);
    await pool.add(rawTx({ from: 3, nonce: 1 }));
    c = (await rpc("txpool_content")).result;
    expect(Object.keys(c.pending[s])).toEqual(["0", "1", "2", "3"]);
    expect(c.queued).toEqual({});
    expect((await rpc("txpool_status")).result).toEqual({ pending: "0x4", queued: "0x0" });
  });

  test("txpool_contentFrom answers one sender by nonce; the address is checked", async () => {
    const { pool, rpc } = await withPool();
    await pool.add(rawTx({ from: 1, nonce: 0 }));
    await pool.add(rawTx({ from: 1, nonce: 4 }));
    await pool.add(rawTx({ from: 2, nonce: 0 }));
    const r = (await rpc("txpool_contentFrom", [addr(1)])).result;
    expect(Object.keys(r.pending)).toEqual(["0"]);
    expect(Object.keys(r.queued)).toEqual(["4"]);
    expect(r.pending["0"].from).toBe(checksum(addr(1)));
    expect((await rpc("txpool_contentFrom", [checksum(addr(9))])).result).toEqual({ pending: {}, queued: {} });
    expect((await rpc("txpool_contentFrom", ["0x1234"])).error.code).toBe(-32602);
    expect((await rpc("txpool_contentFrom", [])).error.code).toBe(-32602);
  });

  test("txpool_inspect prints geth's summary: TO: VALUE wei + GAS gas × PRICE wei", async () => {
    const { pool, rpc } = await withPool();
    await pool.add(rawTx({ from: 1, nonce: 0, type: 0, price: 3n * GWEI, value: 1234n }));
    await pool.add(rawTx({ from: 1, nonce: 1, price: 9n * GWEI, tip: GWEI, value: 0n, gasLimit: 50_000n }));
    await pool.add(rawTx({ from: 1, nonce: 5, type: 0, to: null, value: 0n, gasLimit: 100_000n, data: new Uint8Array([0x60, 0x00]) }));
    const r = (await rpc("txpool_inspect")).result;
    const s = checksum(addr(1));
    expect(r.pending[s]).toEqual({
      "0": `${checksum(TO)}: 1234 wei + 21000 gas × 3000000000 wei`,
      "1": `${checksum(TO)}: 0 wei + 50000 gas × 9000000000 wei`, // the fee cap of a 1559 tx
    });
    expect(r.queued[s]).toEqual({ "5": "contract creation: 0 wei + 100000 gas × 2000000000 wei" });
  });

  test("extra params are refused; a backend without a pool has no txpool_ methods", async () => {
    const { rpc } = await withPool();
    for (const m of ["txpool_status", "txpool_content", "txpool_inspect"]) expect((await rpc(m, [1])).error.code).toBe(-32602);
    await h?.server.stop();
    h = await startHarness({}, new TestChain());
    for (const m of ["txpool_status", "txpool_content", "txpool_inspect"]) {
      const e = (await h.rpc(m)).error;
      expect(e.code).toBe(-32601);
      expect(e.message).toBe(`the method ${m} does not exist/is not available`);
    }
    expect((await h.rpc("txpool_contentFrom", [addr(1)])).error.code).toBe(-32601);
  });
});
