// Harmony's transaction history on a real `harmony node --dev` process: started without
// --rpc-tx-history (transfers sent with viem; the history methods answer Harmony's "explorer service
// not started"), then restarted on the same data dir with the flag — the blocks committed before are
// indexed in the background — and more transfers: hmy_/hmyv2_getTransactionsHistory and
// getTransactionsCount read every transfer back, in both orders, paged, by type. Within 30 s.
import { afterAll, describe, expect, test } from "bun:test";
import { type Hex, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressToBech32 } from "../../src/crypto/bech32.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

// Anvil/Hardhat accounts #0..#3 of the `test … junk` mnemonic (funded by --dev).
const KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
] as Hex[];
const accounts = KEYS.map((k) => privateKeyToAccount(k));
const acct = (i: number) => accounts[i] as (typeof accounts)[number];
const ADDR3 = acct(3).address;

const dir = tempDir("harmony-txhistory-");
let node: DevNode | undefined;
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

type Reply = { result?: any; error?: { code: number; message: string } };
async function rpc(method: string, params: unknown[] = []): Promise<Reply> {
  const res = await fetch((node as DevNode).url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return (await res.json()) as Reply;
}

/** Send transfers from accounts `from` (one each, concurrently) and wait for their receipts, in block order. */
async function transfers(sends: [from: number, to: Hex, value: bigint][]): Promise<{ hash: Hex; block: bigint; index: number; from: Hex; to: Hex }[]> {
  const url = (node as DevNode).url;
  const chain = defineChain({ id: 31337, name: "harmony-dev", nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const pub = createPublicClient({ chain, transport: http(url) });
  const hashes = await Promise.all(sends.map(([from, to, value]) => createWalletClient({ chain, account: acct(from), transport: http(url) }).sendTransaction({ to, value })));
  const receipts = await Promise.all(hashes.map((hash) => pub.waitForTransactionReceipt({ hash, pollingInterval: 100 })));
  return receipts
    .map((r) => ({ hash: r.transactionHash, block: r.blockNumber, index: r.transactionIndex, from: r.from, to: r.to as Hex }))
    .sort((a, b) => (a.block === b.block ? a.index - b.index : Number(a.block - b.block)));
}

describe("transaction history on harmony node --dev", () => {
  test("without the flag, then restarted with it: older blocks indexed, every transfer read back", async () => {
    node = await startDevNode({ dataDir: dir });
    const before = await transfers([[0, ADDR3, 1n], [1, ADDR3, 2n], [2, ADDR3, 3n]]);
    const off = await rpc("hmyv2_getTransactionsHistory", [{ address: ADDR3 }]);
    expect(off.error?.code).toBe(-32000);
    expect(off.error?.message).toContain("explorer service not started");
    expect(off.error?.message).toContain("--rpc-tx-history");
    expect(await node.stop()).toBe(0);

    node = await startDevNode({ dataDir: dir, extraArgs: ["--rpc-tx-history"] });
    // The blocks of the first run are indexed in the background; until then Harmony's "not ready".
    const deadline = Date.now() + 10_000;
    let ready = await rpc("hmy_getTransactionsCount", [ADDR3, "ALL"]);
    while (ready.error?.message.includes("explorer db not ready") && Date.now() < deadline) {
      await Bun.sleep(100);
      ready = await rpc("hmy_getTransactionsCount", [ADDR3, "ALL"]);
    }
    expect(ready).toMatchObject({ result: 3 });
    const after = await transfers([[3, acct(0).address, 4n], [0, ADDR3, 5n]]);

    const all = [...before, ...after].map((t) => t.hash);
    const one3 = addressToBech32(ADDR3);
    expect((await rpc("hmyv2_getTransactionsHistory", [{ address: one3 }])).result).toEqual({ transactions: all });
    expect((await rpc("hmy_getTransactionsHistory", [{ address: ADDR3, order: "DESC" }])).result).toEqual({ transactions: [...all].reverse() });
    expect((await rpc("hmyv2_getTransactionsHistory", [{ address: ADDR3, pageSize: 2, pageIndex: 1 }])).result).toEqual({ transactions: all.slice(2, 4) });
    expect((await rpc("hmyv2_getTransactionsCount", [one3, "SENT"])).result).toBe(1);
    expect((await rpc("hmyv2_getTransactionsCount", [one3, "RECEIVED"])).result).toBe(4);
    // Account 0 sent in both runs and received once in the second.
    const zero = await rpc("hmyv2_getTransactionsHistory", [{ address: acct(0).address, fullTx: true }]);
    const full = zero.result.transactions as { hash: string; from: string; to: string; value: number; blockNumber: number }[];
    const zero0 = acct(0).address.toLowerCase();
    expect(full.map((t) => t.hash)).toEqual([...before, ...after].filter((t) => t.from.toLowerCase() === zero0 || t.to.toLowerCase() === zero0).map((t) => t.hash));
    expect(full.map((t) => t.value).sort()).toEqual([1, 4, 5]);
    expect(full.every((t) => t.from.startsWith("one1") && t.to.startsWith("one1") && t.blockNumber > 0)).toBe(true);
    const received = await rpc("hmy_getTransactionsHistory", [{ address: acct(0).address, txType: "RECEIVED", fullTx: true }]);
    expect(received.result.transactions).toHaveLength(1);
    expect(received.result.transactions[0]).toMatchObject({ from: one3, to: addressToBech32(acct(0).address), value: "0x4" });
  }, 30_000);
});
