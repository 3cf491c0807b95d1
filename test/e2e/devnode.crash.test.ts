// Issue 3 acceptance 3: under a steady tx load the node is SIGKILLed ≥ 10 times at random moments and
// restarted; after each restart the head is a valid block and every transaction whose receipt a client
// had received is still there with the same block; at the end, re-executing every block from genesis
// on a fresh store reproduces every state root and receipts root.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { openChain } from "../../src/chain/index.ts";
import { createDevNodeGenesis } from "../../src/node/index.ts";
import { openDataDir, openStore } from "../../src/store/index.ts";
import { bytesToHex } from "../../src/util/index.ts";
import { type DevNode, freePort, removeDir, startDevNode, tempDir } from "./_node.ts";

const KEYS: Hex[] = [
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba", // dev #5
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e", // dev #6
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356", // dev #7
];
const SINK = "0x000000000000000000000000000000000000dEaD";
const KILLS = 10;

let dir = "";
let node: DevNode | undefined;
afterAll(async () => {
  await node?.kill();
  removeDir(dir);
});

async function rpc(url: string, method: string, params: unknown[]): Promise<any> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const j = (await r.json()) as { result?: unknown; error?: { message: string } };
  if (j.error) throw new Error(j.error.message);
  return j.result;
}

describe("crash safety of harmony node --dev", () => {
  test(`${KILLS} SIGKILLs under load lose nothing a client saw`, async () => {
    dir = tempDir("harmony-crash-");
    const port = await freePort();
    const args = ["--block-time", "0.25"];
    const confirmed = new Map<string, string>(); // tx hash → block hash seen in its receipt
    let seed = 0x5eed;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

    for (let round = 0; round <= KILLS; round++) {
      node = await startDevNode({ dataDir: dir, port, extraArgs: args });
      const url = node.url;
      // After a restart: the head is a block whose parent links back, and every confirmed tx is still in.
      const head = await rpc(url, "eth_getBlockByNumber", ["latest", false]);
      expect(head.hash).toMatch(/^0x[0-9a-f]{64}$/);
      if (BigInt(head.number) > 0n) {
        const parent = await rpc(url, "eth_getBlockByNumber", [`0x${(BigInt(head.number) - 1n).toString(16)}`, false]);
        expect(head.parentHash).toBe(parent.hash);
      }
      for (const [hash, blockHash] of confirmed) {
        const rc = await rpc(url, "eth_getTransactionReceipt", [hash]);
        expect(rc?.blockHash).toBe(blockHash);
      }
      if (round === KILLS) break;

      // Steady load until a random moment, then SIGKILL.
      const killAt = Date.now() + 300 + Math.floor(rand() * 1200);
      const pending = new Set<string>();
      const senders = KEYS.map((k) => privateKeyToAccount(k));
      const nonces = await Promise.all(senders.map(async (s) => BigInt(await rpc(url, "eth_getTransactionCount", [s.address, "pending"]))));
      let i = 0;
      while (Date.now() < killAt) {
        const s = i % senders.length;
        const signer = senders[s]!;
        const raw = await signer.signTransaction({
          chainId: 31337, type: "eip1559", to: SINK, value: BigInt(i + 1), gas: 21000n,
          maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, nonce: Number(nonces[s]),
        });
        try {
          pending.add(await rpc(url, "eth_sendRawTransaction", [raw]));
          nonces[s] = (nonces[s] as bigint) + 1n;
        } catch {
          // a rejected tx simply has no receipt
        }
        for (const h of [...pending]) {
          const rc = await rpc(url, "eth_getTransactionReceipt", [h]).catch(() => null);
          if (rc) {
            confirmed.set(h, rc.blockHash);
            pending.delete(h);
          }
        }
        i++;
        await Bun.sleep(20);
      }
      await node.kill();
      node = undefined;
    }
    expect(confirmed.size).toBeGreaterThan(20);
    await node?.stop();
    node = undefined;

    // Re-execute every stored block from genesis on a fresh store: same state and receipts roots.
    const kv = openDataDir(join(dir, "chain"));
    const stored = await openChain(kv, { genesis: createDevNodeGenesis(), senderPool: null });
    const fresh = await openChain(openStore(":memory:"), { genesis: createDevNodeGenesis(), senderPool: null });
    for (let n = 1n; n <= stored.head.number; n++) {
      const block = stored.getBlockByNumber(n);
      expect(block).toBeDefined();
      await fresh.insertBlock(block!);
      const a = stored.getHeaderByNumber(n)!;
      const b = fresh.getHeaderByNumber(n)!;
      expect(bytesToHex(b.stateRoot)).toBe(bytesToHex(a.stateRoot));
      expect(bytesToHex(b.receiptsRoot)).toBe(bytesToHex(a.receiptsRoot));
    }
    expect(bytesToHex(fresh.head.hash)).toBe(bytesToHex(stored.head.hash));
    await stored.close();
    await fresh.close();
    kv.close();
  }, 300_000);
});
