// Issue 4 acceptance 4 on real processes: bad p2p input to a validator of a running devnet — a wrong
// network id, garbage frames, an oversize frame, and a flood of invalid consensus messages from an
// authenticated peer — gets the sender rejected, scored down and disconnected, while the validators go
// on finalizing the same blocks.
import { afterAll, describe, expect, test } from "bun:test";
import { hexToBytes } from "../../src/util/index.ts";
import { Topic } from "../../src/p2p/index.ts";
import { startNode, stopAll as stopP2PNodes } from "../unit/p2p/_harness.ts";
import { type TestDevnet, blockAt, blockNumber, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  await stopP2PNodes();
  if (d) await d.stop();
  stopAllDevnets();
});

const TARGET = "node1";
const p2pUrl = (dn: TestDevnet) => `${dn.node(TARGET).rpc.replace(/^http/, "ws")}p2p`;

/** Resolves when the server closes the socket (or after `ms`, with false). */
function closedWithin(ws: WebSocket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    ws.addEventListener("close", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
}

describe("bad p2p input to a devnet validator", () => {
  test("wrong network id, garbage, oversize frames and an invalid flood are cut off; blocks go on", async () => {
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1 });
    const dn = d;
    const start = await waitForHeight(dn, "node4", 3, 60_000);
    const genesisHash = hexToBytes(String((await blockAt(dn, "node4", 0))?.hash));

    // 1. A peer of another network dials the validator and is refused at the handshake, for its network id.
    const mismatches = async () => {
      const text = await (await fetch(`${dn.node(TARGET).rpc}metrics`)).text();
      return Number(/^harmony_p2p_disconnects_total\{reason="network_mismatch",shard="0"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const refusedBefore = await mismatches();
    const foreign = await startNode({ networkId: 999, genesisHash, bootnodes: [p2pUrl(dn)] });
    await waitFor("the foreign node's dial to be refused", 15_000, () => (foreign.p2p.getMetrics().disconnects.network_mismatch ?? 0) > 0);
    const fm = foreign.p2p.getMetrics();
    expect(fm.dials).toBeGreaterThan(0);
    expect(fm.handshakesOk).toBe(0);
    expect(fm.handshakesFailed).toBeGreaterThan(0);
    // The foreign side saw the validator's network id (the devnet's) against its own 999 …
    const failures = foreign.logs.filter((l) => l.msg === "handshake failed").map((l) => String(l.fields?.reason));
    expect(failures.length).toBeGreaterThan(0);
    for (const r of failures) expect(r).toMatch(/^network id (?!999,)\d+, ours 999$/);
    // … and the validator closed the connection for the same reason.
    await waitFor("the validator to count a network_mismatch close", 10_000, async () => (await mismatches()) > refusedBefore);
    expect(foreign.p2p.peerCount()).toBe(0);

    // 2. Garbage frames before (instead of) a handshake: the socket is closed.
    const g = await open(p2pUrl(dn));
    for (let i = 0; i < 5; i++) g.send(crypto.getRandomValues(new Uint8Array(200)));
    expect(await closedWithin(g, 5000)).toBe(true);

    // 3. A frame above the message limit: closed.
    const big = await open(p2pUrl(dn));
    big.send(new Uint8Array(17 * 1024 * 1024));
    expect(await closedWithin(big, 8000)).toBe(true);

    // 4. An authenticated peer of the right network floods invalid consensus messages: disconnected.
    const flooder = await startNode({ genesisHash, bootnodes: [p2pUrl(dn)] });
    await waitFor("flooder connected", 15_000, () => flooder.p2p.peerCount() > 0);
    let dropped = false;
    flooder.p2p.on("peer:disconnect", () => {
      dropped = true;
    });
    for (let i = 0; i < 2000 && !dropped; i++) {
      flooder.p2p.publish(Topic.CONSENSUS, crypto.getRandomValues(new Uint8Array(64 + (i % 64))));
      if (i % 50 === 0) await Bun.sleep(5);
    }
    await waitFor("flooder disconnected", 15_000, () => dropped || flooder.p2p.peerCount() === 0);

    // Consensus is unaffected: blocks keep coming and every node agrees on them.
    const now = await blockNumber(dn, "node4");
    const after = await waitForHeight(dn, "node4", now + 4, 30_000);
    expect(after).toBeGreaterThan(start);
    for (let h = start; h <= after - 2; h++) {
      const hashes = new Set(await Promise.all(["node0", "node1", "node2", "node3", "node4"].map(async (n) => (await blockAt(dn, n, h))?.hash)));
      expect(hashes.size).toBe(1);
    }
  }, 180_000);
});
