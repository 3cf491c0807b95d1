// Issue 8 item 6 on real processes: `harmony devnet --rpc-admin` gives every node the admin_ namespace
// (loopback only). admin_blockPeer cuts a peer at once and keeps it out; admin_unblockPeer lets it back,
// even while silent unauthenticated sockets from the same address hammer the node's /p2p; a node started
// without --rpc-admin has no admin_ methods (-32601).
import { afterAll, describe, expect, test } from "bun:test";
import { type TestDevnet, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";

let d: TestDevnet | undefined;
const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const ws of sockets) ws.close();
  if (d) await d.stop();
  stopAllDevnets();
});

type Peer = { id: string; url: string; direction: string; score: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole JSON-RPC response (the harness's rpc() keeps only the result). */
async function call(dn: TestDevnet, name: string, method: string, params: unknown[] = []): Promise<{ result?: any; error?: { code: number; message: string } }> {
  const res = await fetch(dn.node(name).rpc, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  return (await res.json()) as { result?: any; error?: { code: number; message: string } };
}

async function result(dn: TestDevnet, name: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await call(dn, name, method, params);
  if (r.error) throw new Error(`${name} ${method}: ${JSON.stringify(r.error)}`);
  return r.result;
}

const peerIds = async (dn: TestDevnet, name: string) => ((await result(dn, name, "admin_peers")) as Peer[]).map((p) => p.id);

describe("admin_ on a devnet started with --rpc-admin", () => {
  test("nodeInfo and peers; block cuts a peer and keeps it out; unblock lets it back despite silent sockets", async () => {
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, extraArgs: ["--rpc-admin"] });
    const dn = d;
    await waitForHeight(dn, "node4", 2, 90_000);

    const info0 = await result(dn, "node0", "admin_nodeInfo");
    const port0 = new URL(dn.node("node0").rpc).port;
    expect(info0).toEqual({ id: expect.stringMatching(/^0x[0-9a-f]{40}$/), url: `ws://127.0.0.1:${port0}/p2p`, shardId: 0 });
    const info1 = await result(dn, "node1", "admin_nodeInfo");
    expect(info1.id).not.toBe(info0.id);

    await waitFor("node0 to have node1 as a peer", 30_000, async () => (await peerIds(dn, "node0")).includes(info1.id));
    const peers: Peer[] = await result(dn, "node0", "admin_peers");
    for (const p of peers) {
      expect(p.id).toMatch(/^0x[0-9a-f]{40}$/);
      expect(p.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/p2p$/);
      expect(["inbound", "outbound"]).toContain(p.direction);
      expect(typeof p.score).toBe("number");
    }

    // Bad params are -32602 with a message.
    const bad = await call(dn, "node0", "admin_blockPeer", ["not a peer"]);
    expect(bad.error?.code).toBe(-32602);
    expect(bad.error?.message).toContain("neither a 0x node id nor a ws:// URL");

    expect(await result(dn, "node0", "admin_blockPeer", [info1.id])).toBe(true);
    expect(await result(dn, "node0", "admin_blockedPeers")).toContainEqual({ entry: info1.id, kind: "operator" });
    await waitFor("node1 gone from node0's peers", 5_000, async () => !(await peerIds(dn, "node0")).includes(info1.id));
    // It stays out: node1 keeps redialing node0 and node0 refuses it (and never dials it).
    for (let i = 0; i < 16; i++) {
      await sleep(500);
      expect(await peerIds(dn, "node0")).not.toContain(info1.id);
      expect(await peerIds(dn, "node1")).not.toContain(info0.id);
    }

    // Silent sockets from 127.0.0.1 (the peers' address too) take no slot a real peer needs.
    const wsUrl = `${dn.node("node0").rpc.replace(/^http/, "ws")}p2p`;
    for (let i = 0; i < 40; i++) sockets.push(new WebSocket(wsUrl));
    await sleep(1_000);
    expect(sockets.filter((s) => s.readyState === WebSocket.OPEN).length).toBeLessThanOrEqual(4);

    expect(await result(dn, "node0", "admin_unblockPeer", [info1.id])).toBe(true);
    expect(await result(dn, "node0", "admin_unblockPeer", [info1.id])).toBe(false);
    expect(await result(dn, "node0", "admin_blockedPeers")).not.toContainEqual({ entry: info1.id, kind: "operator" });
    await waitFor("node1 back among node0's peers", 30_000, async () => (await peerIds(dn, "node0")).includes(info1.id));
    const metrics = await (await fetch(`${dn.node("node0").rpc}metrics`)).text();
    expect(metrics).toMatch(/p2p_disconnects_total\{reason="too_many_pending",shard="0"\} [1-9]/);
  }, 240_000);

  test("a node without --rpc-admin has no admin_ methods", async () => {
    const dn = d as TestDevnet;
    const pid = dn.node("node4").pid as number;
    process.kill(pid, "SIGTERM");
    await waitFor("node4 to stop", 30_000, () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const m = dn.restartNode("node4"); // `harmony node --config …` without --rpc-admin
    await waitFor("node4 to serve again", 60_000, async () => {
      try {
        return (await call(dn, "node4", "eth_blockNumber")).result !== undefined;
      } catch {
        return false;
      }
    });
    for (const method of ["admin_nodeInfo", "admin_peers", "admin_blockPeer", "admin_unblockPeer", "admin_blockedPeers"]) {
      const r = await call(dn, "node4", method, method.endsWith("Peer") ? [`0x${"ab".repeat(20)}`] : []);
      expect(r.error).toEqual({ code: -32601, message: `the method ${method} does not exist/is not available` });
    }
    m.proc.kill("SIGTERM");
    await m.exited;
  }, 120_000);
});
