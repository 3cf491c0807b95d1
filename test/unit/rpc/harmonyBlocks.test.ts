// Harmony's hmy_ (v1: 0x quantities) and hmyv2_ (v2: JSON numbers) block and header methods on a real
// dev chain: the block shape of harmony-one/harmony rpc/v1 and rpc/v2 (viewID, epoch, vrf, one1 miner,
// transactionsInEthHash, stakingTransactions []), getBlocks ranges, counts, HeaderInformation, and
// Harmony's answers for unknown blocks (null for a hash, an error past the head) and bad params (-32602).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addressToBech32 } from "../../../src/crypto/bech32.ts";
import { type HarmonyRig, startHarmonyRig } from "./_harmonyChain.ts";

let rig: HarmonyRig;
beforeAll(async () => {
  rig = await startHarmonyRig();
});
afterAll(async () => {
  await rig.server.stop();
});

const TOO_HIGH = "requested block number greater than current block number";

describe("hmy_/hmyv2_ blocks", () => {
  test("blockNumber: hex in v1, a JSON number in v2", async () => {
    expect((await rig.rpc("hmy_blockNumber")).result).toBe("0x2");
    expect((await rig.rpc("hmyv2_blockNumber")).result).toBe(2);
  });

  test("getBlockByNumber v1: Harmony's fields as quantities, hashes only, one1 miner", async () => {
    const eth = (await rig.rpc("eth_getBlockByNumber", ["0x1", false])).result;
    const b = (await rig.rpc("hmy_getBlockByNumber", ["0x1", false])).result;
    expect(b.number).toBe("0x1");
    expect(b.hash).toBe(eth.hash);
    expect(b.viewID).toMatch(/^0x[0-9a-f]+$/);
    expect(b.epoch).toBe("0x0");
    expect(b.miner).toBe(addressToBech32(eth.miner));
    expect(b.miner.startsWith("one1")).toBe(true);
    expect(b.nonce).toBe(0);
    expect(b.difficulty).toBe(0);
    expect(b.size).toBe(eth.size);
    expect(b.gasUsed).toBe(eth.gasUsed);
    expect(b.timestamp).toBe(eth.timestamp);
    expect(b.stateRoot).toBe(eth.stateRoot);
    expect(b.transactions).toEqual(eth.transactions);
    expect(b.transactionsInEthHash).toEqual(eth.transactions);
    expect(b.stakingTransactions).toEqual([]);
    expect(b.uncles).toEqual([]);
    expect(b.vrf).toMatch(/^0x[0-9a-f]{64}$/);
    expect(Object.keys(b)).not.toContain("signers");
  });

  test("getBlockByNumber v2: JSON numbers, BlockArgs object, full transactions in Harmony's shape", async () => {
    const eth = (await rig.rpc("eth_getBlockByNumber", ["0x1", true])).result;
    const r = await rig.rpc("hmyv2_getBlockByNumber", [1, { fullTx: true, inclStaking: true }]);
    const b = r.result;
    expect(b.number).toBe(1);
    expect(b.gasUsed).toBe(Number(BigInt(eth.gasUsed)));
    expect(b.timestamp).toBe(Number(BigInt(eth.timestamp)));
    expect(b.size).toBe(Number(BigInt(eth.size)));
    expect(b.transactions).toHaveLength(3);
    const t = b.transactions[0];
    expect(t.hash).toBe(rig.transferHash);
    expect(t.blockNumber).toBe(1);
    expect(t.blockHash).toBe(eth.hash);
    expect(t.from).toBe(addressToBech32(eth.transactions[0].from));
    expect(t.to).toBe(addressToBech32(eth.transactions[0].to));
    expect(t.shardID).toBe(0);
    expect(t.toShardID).toBe(0);
    expect(t.timestamp).toBe(b.timestamp);
    expect(r.text).toContain('"value":1234567890123456789');
    expect("transactionsInEthHash" in b).toBe(false);
  });

  test("block numbers may be decimal JSON numbers or strings; tags name the head", async () => {
    expect((await rig.rpc("hmy_getBlockByNumber", [1, false])).result.number).toBe("0x1");
    expect((await rig.rpc("hmyv2_getBlockByNumber", ["1", {}])).result.number).toBe(1);
    expect((await rig.rpc("hmyv2_getBlockByNumber", ["latest", {}])).result.number).toBe(2);
  });

  test("getBlockByHash and the …New forms; an unknown hash is null", async () => {
    const eth = (await rig.rpc("eth_getBlockByNumber", ["0x1", false])).result;
    expect((await rig.rpc("hmy_getBlockByHash", [eth.hash, false])).result.number).toBe("0x1");
    expect((await rig.rpc("hmyv2_getBlockByHash", [eth.hash, { fullTx: false }])).result.number).toBe(1);
    expect((await rig.rpc("hmy_getBlockByNumberNew", ["0x1", { fullTx: true }])).result.transactions[0].value).toBe("0x112210f47de98115");
    expect((await rig.rpc("hmyv2_getBlockByHashNew", [eth.hash, { fullTx: false }])).result.hash).toBe(eth.hash);
    const r = await rig.rpc("hmy_getBlockByHash", [`0x${"ab".repeat(32)}`, false]);
    expect(r.error).toBeUndefined();
    expect(r.result).toBeNull();
  });

  test("a number past the head is Harmony's error, not null", async () => {
    for (const [m, p] of [["hmy_getBlockByNumber", ["0x9", false]], ["hmyv2_getBlockByNumber", [9, {}]], ["hmy_getHeaderByNumber", ["0x9"]]] as const) {
      const r = await rig.rpc(m, [...p]);
      expect(r.error?.code).toBe(-32000);
      expect(r.error?.message).toBe(TOO_HIGH);
    }
  });

  test("getBlocks: the range up to the head, Harmony's size limit", async () => {
    const r = (await rig.rpc("hmyv2_getBlocks", [0, 5, { fullTx: false }])).result;
    expect(r.map((b: { number: number }) => b.number)).toEqual([0, 1, 2]);
    const v1 = (await rig.rpc("hmy_getBlocks", ["0x1", "latest", { fullTx: true }])).result;
    expect(v1.map((b: { number: string }) => b.number)).toEqual(["0x1", "0x2"]);
    expect(v1[0].transactions[0].hash).toBe(rig.transferHash);
    const big = await rig.rpc("hmy_getBlocks", [0, 2000, {}]);
    expect(big.error?.message).toBe("GetBlocks query must be smaller than size 1024");
  });

  test("transaction counts: hex / number, null for unknown blocks", async () => {
    const eth = (await rig.rpc("eth_getBlockByNumber", ["0x1", false])).result;
    expect((await rig.rpc("hmy_getBlockTransactionCountByNumber", ["0x1"])).result).toBe("0x3");
    expect((await rig.rpc("hmyv2_getBlockTransactionCountByNumber", [1])).result).toBe(3);
    expect((await rig.rpc("hmyv2_getBlockTransactionCountByHash", [eth.hash])).result).toBe(3);
    expect((await rig.rpc("hmy_getBlockTransactionCountByHash", [`0x${"cd".repeat(32)}`])).result).toBeNull();
    expect((await rig.rpc("hmyv2_getBlockTransactionCountByNumber", [99])).result).toBeNull();
  });

  test("latestHeader / getHeaderByNumber: HeaderInformation, the same in both namespaces", async () => {
    const eth = (await rig.rpc("eth_getBlockByNumber", ["latest", false])).result;
    for (const m of ["hmy_latestHeader", "hmyv2_latestHeader"]) {
      const h = (await rig.rpc(m)).result;
      expect(h.blockHash).toBe(eth.hash);
      expect(h.blockNumber).toBe(2);
      expect(h.shardID).toBe(0);
      expect(h.leader).toBe(addressToBech32(eth.miner));
      expect(h.epoch).toBe(0);
      expect(h.unixtime).toBe(Number(BigInt(eth.timestamp)));
      expect(h.timestamp).toBe(`${new Date(h.unixtime * 1000).toISOString().slice(0, 19).replace("T", " ")} +0000 UTC`);
      expect(h.lastCommitSig).toMatch(/^[0-9a-f]{192}$/);
      expect(h.vrf).toMatch(/^[0-9a-f]{64}$/);
      expect(h.crossLinks).toEqual([]);
    }
    const one = (await rig.rpc("hmyv2_getHeaderByNumber", [1])).result;
    expect(one.blockNumber).toBe(1);
  });

  test("bad params are -32602", async () => {
    const bad: [string, unknown[]][] = [
      ["hmy_getBlockByNumber", ["0x1", { fullTx: true }]], // v1 wants a boolean
      ["hmyv2_getBlockByNumber", [1, true]], // v2 wants BlockArgs
      ["hmyv2_getBlockByNumber", [1, { fullTx: "yes" }]],
      ["hmyv2_getBlockByNumber", [1, { withSigners: "yes" }]],
      ["hmy_getBlockByNumber", ["one", false]],
      ["hmyv2_getBlockByNumber", [-1, {}]],
      ["hmyv2_getBlockByNumber", [1.5, {}]],
      ["hmy_getBlockByHash", ["0x12", false]],
      ["hmy_blockNumber", [1]],
      ["hmyv2_getBlocks", [0, 1, "all"]],
    ];
    for (const [m, p] of bad) {
      const r = await rig.rpc(m, p);
      expect({ m, p, code: r.error?.code }).toEqual({ m, p, code: -32602 });
    }
    // The dev chain has no committee: withSigners answers the block without a signers field (harmonySigners.test.ts).
    expect((await rig.rpc("hmyv2_getBlockByNumber", [1, { withSigners: true }])).result).not.toHaveProperty("signers");
  });
});
