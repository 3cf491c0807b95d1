// Issue 11 item 2 on real processes: transactions sent to a devnet's RPC node reach the validators by
// gossip, so when a validator validates the leader's block it takes the senders (and decoded objects)
// its txpool already has instead of recovering them again — /metrics counts them as reused — and every
// validator recovers on the native libsecp256k1 backend embedded in the binary.
import { afterAll, describe, expect, test } from "bun:test";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { type TestDevnet, startDevnet, stopAllDevnets, waitFor } from "./_devnet.ts";

const TXS = 24;
let net: TestDevnet | undefined;
afterAll(async () => {
  if (net) await net.stop();
  stopAllDevnets();
});

function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
}

describe("devnet sender recovery", () => {
  test("validators reuse the senders their pools recovered at admission; native backend", async () => {
    net = await startDevnet({ validators: 4 });
    const d = net;
    const url = d.node("node4").rpc;
    await waitFor("devnet blocks", 60_000, async () => BigInt(await d.rpc("node4", "eth_blockNumber")) >= 2n);
    const hashes: string[] = [];
    for (let i = 0; i < TXS; i++) {
      const from = privateKeyToAccount(DEV_ACCOUNTS[i % 8]!.privateKey as Hex);
      const nonce = BigInt(await d.rpc("node4", "eth_getTransactionCount", [from.address, "latest"])) + BigInt(Math.floor(i / 8));
      const raw = await from.signTransaction({ chainId: 31337, type: "eip1559", nonce: Number(nonce), to: DEV_ACCOUNTS[9]!.address as Hex, value: 1n, gas: 21000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1n });
      hashes.push(await d.rpc("node4", "eth_sendRawTransaction", [raw]));
    }
    await waitFor("all transactions included", 90_000, async () => {
      for (const h of hashes) if ((await d.rpc("node4", "eth_getTransactionReceipt", [h])) === null) return false;
      return true;
    });
    let reused = 0;
    let recovered = 0;
    let blocks = 0;
    for (const name of ["node0", "node1", "node2", "node3"]) {
      const text = await (await fetch(`${d.node(name).rpc}metrics`)).text();
      expect(text).toContain('harmony_secp256k1_backend{backend="native"} 1');
      blocks += metric(text, 'harmony_sender_recovery_seconds_count{shard="0"}');
      reused += metric(text, 'harmony_senders_reused_total{shard="0"}');
      recovered += metric(text, 'harmony_senders_recovered_total{shard="0"}');
    }
    expect(blocks).toBeGreaterThan(0);
    // The leader builds from its own pool; the other three validate each block, mostly with senders in hand.
    expect(reused).toBeGreaterThan(TXS);
    expect(reused).toBeGreaterThan(recovered);
    expect(url).toContain("127.0.0.1");
  }, 240_000);
});
