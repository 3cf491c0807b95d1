// Harmony's hmy_/hmyv2_ transaction, receipt, state and call methods on a real dev chain: Harmony's
// transaction and receipt JSON (one1 from/to, "" to and 0x sender for a creation, shardID/toShardID,
// contractAddress zero (v1) / null (v2)), 0x and one1 addresses, exact big balances in v2, Harmony's
// call answering revert data, pending transactions, and -32602 for bad params.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { addressToBech32 } from "../../../src/crypto/bech32.ts";
import { addrs, tx } from "../chain/_helpers.ts";
import { type HarmonyRig, startHarmonyRig } from "./_harmonyChain.ts";

let rig: HarmonyRig;
beforeAll(async () => {
  rig = await startHarmonyRig();
});
afterAll(async () => {
  await rig.server.stop();
});

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const alice = hex(addrs[0]!);
const aliceOne = addressToBech32(addrs[0]!);
const bobOne = addressToBech32(addrs[1]!);
const RET_42 = `0x${"00".repeat(31)}2a`;

describe("hmy_/hmyv2_ transactions and receipts", () => {
  test("getTransactionByHash: Harmony's transaction, hex in v1, numbers in v2", async () => {
    const v1 = (await rig.rpc("hmy_getTransactionByHash", [rig.transferHash])).result;
    expect(v1).toMatchObject({ blockNumber: "0x1", from: aliceOne, to: bobOne, hash: rig.transferHash, ethHash: rig.transferHash, nonce: "0x0", transactionIndex: "0x0", value: "0x112210f47de98115", gas: "0x5208", shardID: 0, toShardID: 0 });
    expect(v1.timestamp).toMatch(/^0x[0-9a-f]+$/);
    const r2 = await rig.rpc("hmyv2_getTransactionByHash", [rig.transferHash]);
    expect(r2.result).toMatchObject({ blockNumber: 1, from: aliceOne, to: bobOne, nonce: 0, transactionIndex: 0, gas: 21000 });
    expect(r2.text).toContain('"value":1234567890123456789');
    expect(Object.keys(r2.result).sort()).toEqual(
      ["blockHash", "blockNumber", "from", "timestamp", "gas", "gasPrice", "hash", "ethHash", "input", "nonce", "to", "transactionIndex", "value", "shardID", "toShardID", "v", "r", "s"].sort(),
    );
  });

  test("a contract creation: sender as lowercase 0x hex, recipient empty", async () => {
    const t = (await rig.rpc("hmy_getTransactionByHash", [rig.createHash])).result;
    expect(t.from).toBe(alice.toLowerCase());
    expect(t.to).toBe("");
  });

  test("by block number / hash and index; an index past the block is Harmony's error", async () => {
    const blockHash = (await rig.rpc("eth_getBlockByNumber", ["0x1", false])).result.hash;
    expect((await rig.rpc("hmyv2_getTransactionByBlockNumberAndIndex", [1, 0])).result.hash).toBe(rig.transferHash);
    expect((await rig.rpc("hmy_getTransactionByBlockNumberAndIndex", ["0x1", "0x1"])).result.hash).toBe(rig.createHash);
    expect((await rig.rpc("hmy_getTransactionByBlockHashAndIndex", [blockHash, 0])).result.hash).toBe(rig.transferHash);
    const past = await rig.rpc("hmyv2_getTransactionByBlockNumberAndIndex", [1, 7]);
    expect(past.error?.code).toBe(-32000);
    expect(past.error?.message).toContain("tx index 7 greater than or equal to number of transactions");
    expect((await rig.rpc("hmy_getTransactionByBlockHashAndIndex", [`0x${"ee".repeat(32)}`, 0])).result).toBeNull();
    expect((await rig.rpc("hmy_getTransactionByHash", [`0x${"ee".repeat(32)}`])).result).toBeNull();
  });

  test("getTransactionReceipt: Harmony's receipt in each namespace", async () => {
    const eth = (await rig.rpc("eth_getTransactionReceipt", [rig.transferHash])).result;
    const v1 = (await rig.rpc("hmy_getTransactionReceipt", [rig.transferHash])).result;
    expect(v1).toMatchObject({ blockHash: eth.blockHash, transactionHash: rig.transferHash, blockNumber: "0x1", transactionIndex: "0x0", gasUsed: "0x5208", cumulativeGasUsed: "0x5208", from: aliceOne, to: bobOne, shardID: 0, status: "0x1", root: "0x", logs: [] });
    expect(v1.contractAddress).toBe("0x0000000000000000000000000000000000000000");
    const v2 = (await rig.rpc("hmyv2_getTransactionReceipt", [rig.transferHash])).result;
    expect(v2).toMatchObject({ blockNumber: 1, gasUsed: 21000, status: 1, contractAddress: null });
    const created = (await rig.rpc("hmyv2_getTransactionReceipt", [rig.createHash])).result;
    expect(created.contractAddress.toLowerCase()).toBe(rig.returner);
    expect(created.to).toBe("");
    expect((await rig.rpc("hmy_getTransactionReceipt", [`0x${"ee".repeat(32)}`])).result).toBeNull();
  });

  test("sendRawTransaction, then the pending transaction in Harmony's shape", async () => {
    const raw = hex(tx(1, 0n, { to: addrs[2], value: 5n }).serialize());
    const hash = (await rig.rpc("hmyv2_sendRawTransaction", [raw])).result;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    const p = (await rig.rpc("hmyv2_getTransactionByHash", [hash])).result;
    expect(p).toMatchObject({ blockNumber: null, blockHash: `0x${"00".repeat(32)}`, transactionIndex: 0, timestamp: 0, value: 5, from: bobOne });
    expect((await rig.rpc("hmy_getTransactionCount", [bobOne, "pending"])).result).toBe("0x1");
    expect((await rig.rpc("hmyv2_getTransactionCount", [bobOne, "latest"])).result).toBe(0);
    expect((await rig.rpc("hmy_sendRawTransaction", ["0x1234"])).error?.code).toBe(-32602);
  });
});

describe("hmy_/hmyv2_ state, calls and node facts", () => {
  test("getBalance: one1 or 0x, hex in v1, an exact JSON number in v2", async () => {
    const eth = (await rig.rpc("eth_getBalance", [alice, "latest"])).result;
    expect((await rig.rpc("hmy_getBalance", [aliceOne, "latest"])).result).toBe(eth);
    expect((await rig.rpc("hmy_getBalanceByBlockNumber", [alice, 2])).result).toBe(eth);
    const v2 = await rig.rpc("hmyv2_getBalance", [aliceOne]);
    expect(v2.text).toContain(`"result":${BigInt(eth).toString(10)}`);
    expect((await rig.rpc("hmyv2_getBalanceByBlockNumber", [bobOne, 0])).text).toContain(`"result":${(10n ** 24n).toString()}`);
    expect((await rig.rpc("hmyv2_getBalanceByBlockNumber", [bobOne, 9])).error?.message).toBe("requested block number greater than current block number");
  });

  test("nonces, code and storage", async () => {
    expect((await rig.rpc("hmy_getTransactionCount", [alice, "latest"])).result).toBe("0x3");
    expect((await rig.rpc("hmyv2_getTransactionCount", [aliceOne, 1])).result).toBe(3);
    expect((await rig.rpc("hmy_getAccountNonce", [aliceOne, "latest"])).result).toBe(3);
    expect((await rig.rpc("hmyv2_getAccountNonce", [alice, 0])).result).toBe(0);
    expect((await rig.rpc("hmyv2_getCode", [rig.returner, "latest"])).result).toBe("0x602a60005260206000f3");
    expect((await rig.rpc("hmy_getCode", [aliceOne, "latest"])).result).toBe("0x");
    expect((await rig.rpc("hmy_getStorageAt", [rig.returner, "0x0", "latest"])).result).toBe(`0x${"00".repeat(32)}`);
  });

  test("call returns data, and a revert's data instead of an error (Harmony's call); estimateGas is hex in both", async () => {
    expect((await rig.rpc("hmy_call", [{ to: rig.returner }, "latest"])).result).toBe(RET_42);
    expect((await rig.rpc("hmyv2_call", [{ to: rig.reverter }, 2])).result).toBe(RET_42);
    expect((await rig.rpc("eth_call", [{ to: rig.reverter }, "latest"])).error?.code).toBe(3);
    expect((await rig.rpc("hmy_estimateGas", [{ from: alice, to: hex(addrs[1]!), value: "0x1" }])).result).toBe("0x5208");
    expect((await rig.rpc("hmyv2_estimateGas", [{ from: alice, to: hex(addrs[1]!) }])).result).toBe("0x5208");
  });

  test("gasPrice, chainId, protocolVersion", async () => {
    const eth = (await rig.rpc("eth_gasPrice")).result;
    expect((await rig.rpc("hmy_gasPrice")).result).toBe(eth);
    expect((await rig.rpc("hmyv2_gasPrice")).result).toBe(Number(BigInt(eth)));
    expect((await rig.rpc("hmy_chainId")).result).toBe("0x7a69");
    expect((await rig.rpc("hmyv2_chainId")).result).toBe(31337);
    expect((await rig.rpc("hmy_protocolVersion")).result).toBe("0x1");
    expect((await rig.rpc("hmyv2_protocolVersion")).result).toBe(1);
  });

  test("hmy_getLogs is eth_getLogs; hmyv2_ has no log methods (as Harmony)", async () => {
    expect((await rig.rpc("hmy_getLogs", [{ fromBlock: "0x0", toBlock: "latest" }])).result).toEqual([]);
    expect((await rig.rpc("hmyv2_getLogs", [{}])).error?.code).toBe(-32601);
  });

  test("bad params are -32602", async () => {
    const bad: [string, unknown[]][] = [
      ["hmy_getBalance", ["0x12", "latest"]],
      ["hmy_getBalance", ["one1notanaddress", "latest"]],
      ["hmyv2_getBalance", [alice, "latest"]], // v2 takes the address only
      ["hmy_getTransactionByHash", ["0x1234"]],
      ["hmyv2_getTransactionByBlockNumberAndIndex", [1, -1]],
      ["hmy_getTransactionByBlockNumberAndIndex", ["0x1", "zero"]],
      ["hmy_getTransactionCount", [alice, "soon"]],
      ["hmy_getStorageAt", [alice, "slot", "latest"]],
      ["hmy_call", ["not an object", "latest"]],
      ["hmy_estimateGas", [{ to: alice }, "latest"]], // Harmony's takes the call only
      ["hmy_chainId", [1]],
    ];
    for (const [m, p] of bad) {
      const r = await rig.rpc(m, p);
      expect({ m, p, code: r.error?.code }).toEqual({ m, p, code: -32602 });
    }
  });
});
