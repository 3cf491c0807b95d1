// eth_call / eth_estimateGas outcomes, call gas cap and timeout, eth_sendRawTransaction rejections,
// and eth_getLogs limits.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { toData } from "../../../src/rpc/hex.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { ALICE, BOB, ETHER, NEEDY_GAS, TARGET } from "./_testBackend.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ callTimeoutMs: 200, callGasCap: 1_000_000n, getLogsBlockRange: 3, getLogsMaxResults: 2 });
  for (let i = 0; i < 4; i++) {
    await h.chain.sendRawTransaction(h.chain.signTx(0, { to: TARGET.token, data: BOB }).serialize());
    h.chain.mine();
  }
});
afterAll(() => h.server.stop());

const to = (a: Uint8Array) => ({ from: toData(ALICE), to: toData(a) });

describe("eth_call", () => {
  test("success returns the output; the gas limit is the cap unless lower", async () => {
    expect((await h.rpc("eth_call", [to(TARGET.needy), "latest"])).result).toBe(`0x${"00".repeat(31)}2a`);
    expect(h.chain.calls.at(-1)?.opts.gasLimit).toBe(1_000_000n);
    await h.rpc("eth_call", [{ ...to(TARGET.needy), gas: "0x5f5e100" }]);
    expect(h.chain.calls.at(-1)?.opts.gasLimit).toBe(1_000_000n);
    const low = await h.rpc("eth_call", [{ ...to(TARGET.needy), gas: "0xc350" }]);
    expect(low.error).toEqual({ code: -32000, message: "out of gas" });
  });

  test("revert variants: Error(string), Panic(uint256), bare revert", async () => {
    expect((await h.rpc("eth_call", [to(TARGET.panic)])).error).toEqual({
      code: 3,
      message: "execution reverted: arithmetic underflow or overflow",
      data: `0x4e487b71${"00".repeat(31)}11`,
    });
    expect((await h.rpc("eth_call", [to(TARGET.bareRevert)])).error).toEqual({ code: 3, message: "execution reverted", data: "0x" });
  });

  test("non-revert failure → -32000 with the VM error", async () => {
    expect((await h.rpc("eth_call", [to(TARGET.badop)])).error).toEqual({ code: -32000, message: "invalid opcode: INVALID" });
  });

  test("a call past the timeout is aborted, its late failure is not unhandled", async () => {
    const t0 = Date.now();
    const r = await h.rpc("eth_call", [to(TARGET.slow), "latest"]);
    expect(r.error).toEqual({ code: -32000, message: "execution aborted (timeout = 0.2s)" });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h.chain.calls.at(-1)?.opts.signal.aborted).toBe(true);
    await Bun.sleep(20);
  });

  test("a batch shares one timeout: its slow calls end together, later ones fail at once", async () => {
    const slow = { jsonrpc: "2.0", method: "eth_call", params: [to(TARGET.slow), "latest"] };
    const t0 = Date.now();
    const r = await h.post([1, 2, 3, 4].map((id) => ({ ...slow, id })).concat([{ jsonrpc: "2.0", id: 5, method: "eth_chainId", params: [] } as never]));
    const elapsed = Date.now() - t0;
    expect(r.json).toHaveLength(5);
    for (const x of r.json.slice(0, 4)) expect(x.error).toEqual({ code: -32000, message: "execution aborted (timeout = 0.2s)" });
    expect(r.json[4].result).toBeDefined();
    // Four calls one after another would take 4 × 200 ms; the batch's one deadline bounds them all.
    expect(elapsed).toBeLessThan(200 + 300);
    const deadlines = h.chain.calls.slice(-1).map((c) => c.opts.deadline);
    expect(deadlines[0]).toBeGreaterThan(t0);
  });

  test("state overrides reach the backend, at the named block", async () => {
    const code = "0x6001600055";
    const r = await h.rpc("eth_call", [
      to(TARGET.echoOverride),
      "0x2",
      {
        [toData(TARGET.echoOverride)]: { code, balance: "0x10", nonce: "0x3", stateDiff: { "0x1": `0x${"00".repeat(31)}07` } },
        [toData(BOB)]: { state: { [`0x${"00".repeat(32)}`]: `0x${"11".repeat(32)}` } },
      },
    ]);
    expect(r.result).toBe(code);
    const last = h.chain.calls.at(-1);
    expect(last?.opts.blockNumber).toBe(2n);
    const [a, b] = last?.opts.overrides ?? [];
    expect(a?.balance).toBe(16n);
    expect(a?.nonce).toBe(3n);
    expect(a?.stateDiff?.[0]?.[0]).toEqual(new Uint8Array([...new Uint8Array(31), 1]));
    expect(b?.state).toHaveLength(1);
  });

  test("a precondition failure from the backend keeps its message", async () => {
    const r = await h.rpc("eth_call", [{ from: toData(BOB), to: toData(ALICE), value: `0x${(10_000n * ETHER).toString(16)}` }]);
    expect(r.error).toEqual({ code: -32000, message: "insufficient funds for gas * price + value" });
  });
});

describe("eth_estimateGas", () => {
  test("binary search to the exact threshold, and exact 21000 for transfers", async () => {
    const before = h.chain.calls.length;
    expect((await h.rpc("eth_estimateGas", [to(TARGET.needy)])).result).toBe(`0x${NEEDY_GAS.toString(16)}`);
    const probes = h.chain.calls.slice(before).map((c) => c.opts.gasLimit);
    expect(probes[0]).toBe(1_000_000n); // min(block gas limit, cap)
    expect(probes.length).toBeLessThan(40);
    expect((await h.rpc("eth_estimateGas", [{ from: toData(ALICE), to: toData(BOB), value: "0x1" }])).result).toBe("0x5208");
  });

  test("revert → error 3 with data; out of gas at the cap → allowance error", async () => {
    const r = await h.rpc("eth_estimateGas", [to(TARGET.reverter)]);
    expect(r.error.code).toBe(3);
    expect(r.error.message).toBe("execution reverted: not enough tokens");
    expect(r.error.data).toMatch(/^0x08c379a0/);
    const capped = await h.rpc("eth_estimateGas", [{ ...to(TARGET.needy), gas: "0xc350" }]);
    expect(capped.error).toEqual({ code: -32000, message: "gas required exceeds allowance (50000)" });
  });

  test("the sender's balance bounds the search when a fee is set", async () => {
    // BOB has ~1000 ETH; at 1e15 wei/gas it can pay for ~1,000,000 gas minus what it spent.
    const r = await h.rpc("eth_estimateGas", [{ from: toData(BOB), to: toData(TARGET.needy), gasPrice: `0x${(10n ** 18n).toString(16)}` }]);
    expect(r.error).toEqual({ code: -32000, message: "gas required exceeds allowance (1000)" });
  });
});

describe("eth_sendRawTransaction rejections keep the pool's message (-32000)", () => {
  test("nonce too low, wrong chain id, underpriced, insufficient funds, bad signature", async () => {
    const c = h.chain;
    const cases: [Uint8Array, string][] = [
      [c.signTx(0, { to: BOB, nonce: 0n, gasLimit: 21_000n }).serialize(), "nonce too low"],
      [c.signTx(0, { to: BOB, chainId: 1n, gasLimit: 21_000n }).serialize(), "invalid chain id for signer"],
      [c.signTx(0, { type: 0, to: BOB, gasPrice: 1n, gasLimit: 21_000n }).serialize(), "transaction underpriced"],
      [c.signTx(1, { to: ALICE, value: 10_000n * ETHER, gasLimit: 21_000n }).serialize(), "insufficient funds for gas * price + value"],
    ];
    // Flip a byte of s: still valid RLP, no longer the sender's signature.
    const bad = c.signTx(0, { type: 0, to: BOB, gasLimit: 21_000n }).serialize();
    bad[bad.length - 2] = (bad[bad.length - 2] as number) ^ 0xff;
    for (const [raw, message] of cases) {
      const r = await h.rpc("eth_sendRawTransaction", [toData(raw)]);
      expect(r.error.code).toBe(-32000);
      expect(r.error.message).toContain(message);
    }
    const r = await h.rpc("eth_sendRawTransaction", [toData(bad)]);
    expect(r.error.code).toBe(-32000);
    expect((await h.rpc("eth_blockNumber")).result).toBe("0x4");
  });
});

describe("eth_getLogs limits", () => {
  test("block range over the limit names the limit and how to narrow", async () => {
    const r = await h.rpc("eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest" }]);
    expect(r.error.code).toBe(-32005);
    expect(r.error.message).toContain("query exceeds max block range 3; narrow fromBlock/toBlock");
  });

  test("too many results names the limit and how to narrow", async () => {
    const r = await h.rpc("eth_getLogs", [{ fromBlock: "0x1", toBlock: "0x3" }]);
    expect(r.error.code).toBe(-32005);
    expect(r.error.message).toContain("query returned more than 2 results; narrow fromBlock/toBlock or filter by address/topics");
  });

  test("within limits: by range, by block hash, toBlock past the head is clamped", async () => {
    expect((await h.rpc("eth_getLogs", [{ fromBlock: "0x3", toBlock: "0x4" }])).result).toHaveLength(2);
    const b4 = (await h.rpc("eth_getBlockByNumber", ["0x4", false])).result;
    const byHash = (await h.rpc("eth_getLogs", [{ blockHash: b4.hash }])).result;
    expect(byHash).toHaveLength(1);
    expect(byHash[0].blockHash).toBe(b4.hash);
    expect((await h.rpc("eth_getLogs", [{ fromBlock: "0x4", toBlock: "0x6" }])).result).toHaveLength(1);
    expect((await h.rpc("eth_getLogs", [{ fromBlock: "0x9", toBlock: "0xa" }])).result).toEqual([]);
    expect((await h.rpc("eth_getLogs", [{ fromBlock: "0x9" }])).error.code).toBe(-32602);
  });
});

describe("blocks", () => {
  test("unknown blocks and indices give null; uncle counts are 0", async () => {
    expect((await h.rpc("eth_getBlockByNumber", ["0x99", false])).result).toBeNull();
    expect((await h.rpc("eth_getBlockByHash", [`0x${"11".repeat(32)}`, true])).result).toBeNull();
    expect((await h.rpc("eth_getTransactionByBlockNumberAndIndex", ["0x1", "0x5"])).result).toBeNull();
    expect((await h.rpc("eth_getUncleCountByBlockNumber", ["0x1"])).result).toBe("0x0");
    expect((await h.rpc("eth_getUncleCountByBlockNumber", ["0x99"])).result).toBeNull();
    expect((await h.rpc("eth_getBlockTransactionCountByNumber", ["0x1"])).result).toBe("0x1");
    const b1 = (await h.rpc("eth_getBlockByNumber", ["0x1", false])).result;
    expect((await h.rpc("eth_getBlockTransactionCountByHash", [b1.hash])).result).toBe("0x1");
    expect((await h.rpc("eth_getUncleCountByBlockHash", [b1.hash])).result).toBe("0x0");
    const t = (await h.rpc("eth_getTransactionByBlockHashAndIndex", [b1.hash, "0x0"])).result;
    expect(t.hash).toBe(b1.transactions[0]);
    expect((await h.rpc("eth_getBlockByNumber", ["earliest", false])).result.number).toBe("0x0");
    for (const tag of ["latest", "pending", "safe", "finalized"]) {
      expect((await h.rpc("eth_getBlockByNumber", [tag, false])).result.number).toBe("0x4");
    }
  });

  test("Harmony extras and standard fields are present", async () => {
    const b = (await h.rpc("eth_getBlockByNumber", ["0x1", true])).result;
    expect(b).toMatchObject({ shardID: 0, epoch: "0x0", viewID: "0x1", totalDifficulty: "0x0", uncles: [], nonce: "0x0000000000000000" });
    expect(Object.keys(b)).not.toContain("withdrawals");
    expect(b.mixHash).toBe(`0x${"00".repeat(32)}`);
    expect(b.logsBloom).toHaveLength(2 + 512);
  });
});

describe("identity", () => {
  test("web3, net and eth identity methods", async () => {
    expect((await h.rpc("web3_clientVersion")).result).toMatch(/^harmony-ts\/v\d+\.\d+\.\d+\/bun$/);
    expect((await h.rpc("web3_sha3", ["0x68656c6c6f"])).result).toBe("0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    expect((await h.rpc("net_version")).result).toBe("31337");
    expect((await h.rpc("net_listening")).result).toBe(true);
    expect((await h.rpc("net_peerCount")).result).toBe("0x3");
    expect((await h.rpc("eth_syncing")).result).toBe(false);
    expect((await h.rpc("eth_accounts")).result).toEqual([]);
    h.chain.sync = { syncing: true, startingBlock: 0n, currentBlock: 4n, highestBlock: 100n };
    expect((await h.rpc("eth_syncing")).result).toEqual({ startingBlock: "0x0", currentBlock: "0x4", highestBlock: "0x64" });
    // Rate and ETA as numbers beside the standard hex fields, rounded (0.1 block/s, whole seconds).
    h.chain.sync = { syncing: true, startingBlock: 0n, currentBlock: 4n, highestBlock: 100n, blocksPerSecond: 12.345, etaSeconds: 7.77 };
    expect((await h.rpc("eth_syncing")).result).toEqual({ startingBlock: "0x0", currentBlock: "0x4", highestBlock: "0x64", blocksPerSecond: 12.3, etaSeconds: 8 });
    // Rate still 0 (first seconds of a run): no ETA field rather than a made-up one.
    h.chain.sync = { syncing: true, startingBlock: 0n, currentBlock: 0n, highestBlock: 100n, blocksPerSecond: 0 };
    expect((await h.rpc("eth_syncing")).result).toEqual({ startingBlock: "0x0", currentBlock: "0x0", highestBlock: "0x64", blocksPerSecond: 0 });
    h.chain.sync = { syncing: false, startingBlock: 0n, currentBlock: 4n, highestBlock: 4n, blocksPerSecond: 3, etaSeconds: 1 };
    expect((await h.rpc("eth_syncing")).result).toBe(false);
    h.chain.sync = { syncing: false, startingBlock: 0n, currentBlock: 4n, highestBlock: 4n };
  });
});
