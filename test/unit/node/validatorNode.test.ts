// The validator node over real RPC and p2p (issue 4): a one-key network whose validator finalizes
// blocks alone, a non-validating RPC node that follows it through p2p (sync, then gossip), the shape
// of hmy_getNodeMetadata / hmy_getLeader, eth_syncing, debug_ only with rpc.debug, and /metrics.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { createDevGenesis } from "../../../src/core/index.ts";
import { KDF_LIGHT, createBLS, encryptBLSKeystore } from "../../../src/crypto/index.ts";
import { type ValidatorNode, startValidatorNode } from "../../../src/node/index.ts";
import { addrs, tx } from "../chain/_helpers.ts";
import { testConfig, waitFor } from "./_net.ts";
import { memoryLogger } from "./_helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "harmony-vnode-"));
const nodes: ValidatorNode[] = [];
afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result;
}

describe("validator node", () => {
  test("a validator finalizes blocks, an RPC node follows, metadata and metrics are served", async () => {
    const bls = await createBLS("native");
    const sk = bls.keygen(new Uint8Array(32).fill(42));
    const genesis = createDevGenesis({ config: testConfig(200, 1000), committees: [[bls.secretToPublic(sk)]] });
    writeFileSync(join(dir, "pass.txt"), "pw\n");
    writeFileSync(join(dir, "bls.json"), JSON.stringify(await encryptBLSKeystore(sk, "pw", { bls, kdf: KDF_LIGHT })));
    const adapter = await getRuntimeAdapter();
    const base = { host: "127.0.0.1", port: 0, genesis, passphraseFile: join(dir, "pass.txt"), blsWorkers: 1 };
    const v = await startValidatorNode(
      { ...base, dataDir: join(dir, "v"), blsKeystores: [join(dir, "bls.json")], nodeKeyFile: join(dir, "v", "nodekey"), bootnodes: [] },
      { adapter, logger: memoryLogger() },
    );
    nodes.push(v);
    await waitFor(() => v.chain.head.number >= 3n, 10_000, "3 blocks");
    const r = await startValidatorNode(
      { ...base, dataDir: join(dir, "r"), blsKeystores: [], nodeKeyFile: join(dir, "r", "nodekey"), bootnodes: [v.p2pUrl], rpc: { debug: true } },
      { adapter, logger: memoryLogger() },
    );
    nodes.push(r);
    await waitFor(() => r.chain.head.number >= v.chain.head.number && r.driver.status().started, 10_000, "the RPC node to catch up");
    const h = v.chain.head.number + 3n;
    await waitFor(() => r.chain.head.number >= h, 10_000, "the RPC node to follow");
    expect(r.chain.getHeaderByNumber(h)?.hash).toEqual(v.chain.getHeaderByNumber(h)?.hash);

    const meta = (await rpc(v.url, "hmy_getNodeMetadata")) as Record<string, unknown>;
    expect(Object.keys(meta).sort()).toEqual(["blockNumber", "blsKeys", "chainId", "consensus", "epoch", "isLeader", "networkId", "peerCount", "shardId", "syncing", "version", "viewId"].sort());
    expect(meta).toMatchObject({ networkId: 31337, shardId: 0, chainId: 31337, isLeader: true, syncing: false, peerCount: 1 });
    expect(meta.blsKeys).toEqual([`0x${Buffer.from(bls.secretToPublic(sk)).toString("hex")}`]);
    expect(typeof meta.blockNumber).toBe("number");
    expect((meta.consensus as { mode: string }).mode).toBe("normal");
    expect(["propose", "announce", "prepare", "commit", "validate"]).toContain((meta.consensus as { phase: string }).phase);
    const rmeta = (await rpc(r.url, "hmy_getNodeMetadata")) as { blsKeys: string[]; isLeader: boolean; consensus: { mode: string } };
    expect(rmeta).toMatchObject({ blsKeys: [], isLeader: false, consensus: { mode: "nonValidator" } });
    expect(await rpc(r.url, "hmy_getLeader")).toMatchObject({ slot: 0, blsKey: meta.blsKeys && (meta.blsKeys as string[])[0] });
    expect(await rpc(r.url, "eth_syncing")).toBe(false);
    // debug_ only where the operator turned it on (rpc.debug / --rpc-debug), as geth.
    await expect(rpc(v.url, "debug_traceBlockByNumber", ["0x1"])).rejects.toThrow('"code":-32601');
    expect(await rpc(r.url, "debug_traceBlockByNumber", ["0x1"])).toEqual([]);
    // The random beacon: epoch 0's randomness (final after block 6 of 8) is the same on both nodes;
    // an epoch that is not final is a JSON-RPC error.
    await waitFor(() => r.chain.head.number >= 7n, 10_000, "epoch 0's randomness to be final");
    const rnd0 = (await rpc(v.url, "hmy_getEpochRandomness", [0])) as Record<string, unknown>;
    expect(Object.keys(rnd0).sort()).toEqual(["epoch", "pRnd", "randomness", "source", "vdfBlock", "vdfProof"]);
    expect(rnd0.epoch).toBe(0);
    expect(["vdf", "fallback"]).toContain(rnd0.source as string);
    expect(await rpc(r.url, "hmy_getEpochRandomness", ["0x0"])).toEqual(rnd0);
    await expect(rpc(r.url, "hmy_getEpochRandomness", [1000])).rejects.toThrow("not final");
    await expect(rpc(r.url, "hmy_getEpochRandomness", ["x"])).rejects.toThrow("invalid argument 0");
    // Block JSON shows the parent's commit proof (the devnet tests read commit bitmaps from it).
    const blk = (await rpc(r.url, "eth_getBlockByNumber", [`0x${h.toString(16)}`, false])) as Record<string, string>;
    expect(blk.lastCommitBitmap).toBe("0x01");
    expect(blk.lastCommitSig?.length).toBe(2 + 192);

    // A transaction sent to the RPC node is gossiped to the validator, included, and final on both.
    const t = tx(2, 0n, { to: addrs[3], value: 12345n });
    const hash = await rpc(r.url, "eth_sendRawTransaction", [`0x${Buffer.from(t.serialize()).toString("hex")}`]);
    expect(hash).toBe(`0x${Buffer.from(t.hash()).toString("hex")}`);
    await waitFor(() => v.chain.getTransactionReceipt(t.hash()) !== undefined, 10_000, "the gossiped transaction in a block");
    await waitFor(() => r.chain.getTransactionReceipt(t.hash()) !== undefined, 10_000, "its block on the RPC node");
    const receipt = (await rpc(r.url, "eth_getTransactionReceipt", [hash])) as { status?: string } | null;
    expect(receipt?.status).toBe("0x1");

    const metrics = await (await fetch(`${v.url}metrics`)).text();
    for (const name of ["harmony_chain_height", "harmony_consensus_view_changes_total", "harmony_consensus_phase_duration_seconds_sum", "harmony_consensus_key_signed_total", 'harmony_p2p_peers{shard="0"} 1', "harmony_p2p_gossip_out_total", "harmony_sync_lag_blocks", "harmony_event_loop_lag_seconds", "harmony_sender_recovery_seconds_count", "harmony_sender_recovery_last_block_seconds", "harmony_senders_recovered_total", "harmony_secp256k1_backend{backend="]) {
      expect(metrics).toContain(name);
    }
  }, 40_000);
});
