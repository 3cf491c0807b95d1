// Harmony's own namespaces on a real `harmony node --dev` process: a transfer sent with viem, then read
// back through hmy_ (0x quantities) and hmyv2_ (JSON numbers) — the transaction, its receipt, its block
// and both balances — with one1 and 0x addresses, within 20 s.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Hex, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressToBech32 } from "../../src/crypto/bech32.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

// Anvil/Hardhat accounts #0 and #3 of the `test … junk` mnemonic (funded by --dev).
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;
const ADDR3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as const;
const VALUE = 123_456_789_012_345_678_901n;

let node: DevNode;
let dir: string;

beforeAll(async () => {
  dir = tempDir("harmony-hmyrpc-");
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

async function rpc(method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string }; text: string }> {
  const res = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const text = await res.text();
  return { ...JSON.parse(text), text };
}

describe("hmy_ and hmyv2_ on harmony node --dev", () => {
  test("a viem transfer read back through both namespaces", async () => {
    const chain = defineChain({ id: 31337, name: "harmony-dev", nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
    const account = privateKeyToAccount(KEY0);
    const pub = createPublicClient({ chain, transport: http(node.url) });
    const wallet = createWalletClient({ chain, account, transport: http(node.url) });
    const before = (await rpc("hmyv2_getBalance", [addressToBech32(ADDR3)])).text;
    const hash = await wallet.sendTransaction({ to: ADDR3, value: VALUE });
    const eth = await pub.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    const from = addressToBech32(account.address);
    const to = addressToBech32(ADDR3);

    const t1 = (await rpc("hmy_getTransactionByHash", [hash])).result;
    expect(t1).toMatchObject({ hash, from, to, blockNumber: `0x${eth.blockNumber.toString(16)}`, value: `0x${VALUE.toString(16)}`, shardID: 0, toShardID: 0 });
    const t2 = await rpc("hmyv2_getTransactionByHash", [hash]);
    expect(t2.result).toMatchObject({ hash, from, to, blockNumber: Number(eth.blockNumber), transactionIndex: eth.transactionIndex });
    expect(t2.text).toContain(`"value":${VALUE}`);

    const r1 = (await rpc("hmy_getTransactionReceipt", [hash])).result;
    expect(r1).toMatchObject({ transactionHash: hash, blockHash: eth.blockHash, status: "0x1", gasUsed: "0x5208", from, to, shardID: 0 });
    const r2 = (await rpc("hmyv2_getTransactionReceipt", [hash])).result;
    expect(r2).toMatchObject({ transactionHash: hash, status: 1, gasUsed: 21000, blockNumber: Number(eth.blockNumber), contractAddress: null });

    const b1 = (await rpc("hmy_getBlockByNumber", [`0x${eth.blockNumber.toString(16)}`, false])).result;
    expect(b1.hash).toBe(eth.blockHash);
    expect(b1.transactions).toContain(hash);
    expect(b1.miner.startsWith("one1")).toBe(true);
    expect(b1.stakingTransactions).toEqual([]);
    const b2 = (await rpc("hmyv2_getBlockByHash", [eth.blockHash, { fullTx: true }])).result;
    expect(b2.number).toBe(Number(eth.blockNumber));
    expect(b2.transactions.map((t: { hash: string }) => t.hash)).toContain(hash);

    const gained = BigInt(/"result":(\d+)/.exec((await rpc("hmyv2_getBalance", [to])).text)![1]!) - BigInt(/"result":(\d+)/.exec(before)![1]!);
    expect(gained).toBe(VALUE);
    expect(BigInt((await rpc("hmy_getBalance", [ADDR3, "latest"])).result)).toBe(await pub.getBalance({ address: ADDR3 }));
    expect((await rpc("hmyv2_blockNumber")).result).toBeGreaterThanOrEqual(Number(eth.blockNumber));
    expect((await rpc("hmy_latestHeader")).result.leader).toBe(b1.miner);
    expect((await rpc("hmyv2_getBlockByNumber", [1, true])).error?.code).toBe(-32602);
  }, 20_000);
});
