// Runs under Deno (spawned by deno.test.ts): two p2p nodes on Deno's adapter and Deno's global
// WebSocket handshake, gossip one message and answer one request. Prints one JSON line.
import { getRuntimeAdapter, type RunningServer } from "../../../src/adapter/index.ts";
import { generatePrivateKey } from "../../../src/crypto/index.ts";
import { createP2P, type P2P } from "../../../src/p2p/index.ts";
import type { Logger } from "../../../src/util/logger.ts";

const quiet: Logger = { error() {}, warn() {}, info() {}, debug() {}, child: () => quiet };
const adapter = await getRuntimeAdapter();

async function node(bootnodes: string[]): Promise<{ p2p: P2P; server: RunningServer; url: string }> {
  let p2p: P2P | undefined;
  const server = await adapter.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req, info) => (new URL(req.url).pathname === "/p2p" && p2p ? p2p.accept(req, info.remoteAddress) : new Response("", { status: 404 })),
  });
  const url = `ws://127.0.0.1:${server.port}/p2p`;
  p2p = createP2P(
    {
      networkId: 31337, genesisHash: new Uint8Array(32), shardId: 0, nodeKey: generatePrivateKey(), listenUrl: url, bootnodes,
      maxPeers: 8, maxMessageBytes: 1 << 20, rateLimits: { messagesPerSec: 1000, bytesPerSec: 1 << 24 }, blocklist: [],
      gossip: { heartbeatMs: 100 }, dial: { tickMs: 50 },
    },
    { logger: quiet, getHead: () => ({ number: 0n, hash: new Uint8Array(32) }) },
  );
  p2p.start();
  return { p2p, server, url };
}

const until = async (cond: () => boolean) => {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 10));
  }
};

const b = await node([]);
const a = await node([b.url]);
await until(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1);
const got: string[] = [];
b.p2p.subscribe("blocks", (m) => (got.push(new TextDecoder().decode(m.data)), "ACCEPT"));
a.p2p.subscribe("blocks", () => "ACCEPT");
b.p2p.handle("echo", (d) => d);
await new Promise((r) => setTimeout(r, 200));
a.p2p.publish("blocks", new TextEncoder().encode("hello from deno"));
await until(() => got.length === 1);
const echo = await a.p2p.request(b.p2p.nodeId, "echo", Uint8Array.of(1, 2, 3));
const result = { runtime: adapter.name, peers: [a.p2p.peerCount(), b.p2p.peerCount()], gossip: got, echo: [...echo] };
for (const n of [a, b]) {
  await n.p2p.stop();
  await n.server.stop();
}
console.log(JSON.stringify(result));
