// geth's txpool_ namespace on a real `harmony node --dev`: transactions sent with a nonce gap show as
// pending (nonces 0, 1) and queued (nonce 3) in txpool_status, txpool_content, txpool_contentFrom and
// txpool_inspect, and `harmony status` prints the same counts on its txpool line. Blocks come every 60 s
// here, so the pool holds the transactions while the test looks (the first block is 60 s after start).
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { Wallet } from "ethers";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { rpcCall } from "./_devnet.ts";
import { type DevNode, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

const dir = tempDir("harmony-txpool-");
let node: DevNode | undefined;
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

const SENDER = DEV_ACCOUNTS[4] as { address: string; privateKey: string };
const TO = (DEV_ACCOUNTS[5] as { address: string }).address;

describe("txpool_ on harmony node --dev", () => {
  test("a nonce gap: pending and queued in every txpool_ method and in harmony status", async () => {
    node = await startDevNode({ dataDir: dir, extraArgs: ["--block-time", "60"] });
    const url = node.url;
    const wallet = new Wallet(SENDER.privateKey);
    const sign = (nonce: number, value: bigint) =>
      wallet.signTransaction({ type: 2, chainId: 31337, nonce, to: TO, value, gasLimit: 21_000, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n });
    const hashes: string[] = [];
    for (const [nonce, value] of [[0, 10n], [1, 11n], [3, 13n]] as const) hashes.push((await rpcCall(url, "eth_sendRawTransaction", [await sign(nonce, value)])) as string);
    expect(Number(await rpcCall(url, "eth_blockNumber"))).toBe(0); // still in the pool, not in a block

    expect(await rpcCall(url, "txpool_status")).toEqual({ pending: "0x2", queued: "0x1" });

    const content = (await rpcCall(url, "txpool_content")) as { pending: Record<string, Record<string, any>>; queued: Record<string, Record<string, any>> };
    expect(Object.keys(content.pending)).toEqual([SENDER.address]);
    expect(Object.keys(content.pending[SENDER.address] ?? {})).toEqual(["0", "1"]);
    expect(Object.keys(content.queued[SENDER.address] ?? {})).toEqual(["3"]);
    expect(content.pending[SENDER.address]?.["1"]?.hash).toBe(hashes[1]);
    expect(content.queued[SENDER.address]?.["3"]?.hash).toBe(hashes[2]);
    expect(content.queued[SENDER.address]?.["3"]?.blockNumber).toBeNull();

    const from = (await rpcCall(url, "txpool_contentFrom", [SENDER.address.toLowerCase()])) as { pending: Record<string, unknown>; queued: Record<string, unknown> };
    expect(Object.keys(from.pending)).toEqual(["0", "1"]);
    expect(Object.keys(from.queued)).toEqual(["3"]);

    expect(await rpcCall(url, "txpool_inspect")).toEqual({
      pending: { [SENDER.address]: { "0": `${TO}: 10 wei + 21000 gas × 3000000000 wei`, "1": `${TO}: 11 wei + 21000 gas × 3000000000 wei` } },
      queued: { [SENDER.address]: { "3": `${TO}: 13 wei + 21000 gas × 3000000000 wei` } },
    });

    const r = spawnSync(harmonyBinary(), ["status", "--rpc", url], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^txpool +2 pending +1 queued$/m);
    const json = spawnSync(harmonyBinary(), ["status", "--rpc", url, "--json"], { encoding: "utf8", timeout: 20_000 });
    expect(JSON.parse(json.stdout).txpool).toEqual({ pending: 2, queued: 1 });

    // Filling the gap makes all four pending.
    await rpcCall(url, "eth_sendRawTransaction", [await sign(2, 12n)]);
    expect(await rpcCall(url, "txpool_status")).toEqual({ pending: "0x4", queued: "0x0" });
    expect(Number(await rpcCall(url, "eth_blockNumber"))).toBe(0);
  }, 60_000);
});
