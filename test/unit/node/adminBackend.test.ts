// The node's side of admin_ (issue 8 item 6): the URL a node advertises (never 0.0.0.0) and the admin
// backend over a real p2p service — identity, peers, operator blocks — plus its answer while p2p starts.
import { afterEach, describe, expect, test } from "bun:test";
import { advertisedP2PUrl, createAdminBackend } from "../../../src/node/_nodeWiring.ts";
import { RpcError } from "../../../src/rpc/index.ts";
import { startNode, stopAll, waitFor } from "../p2p/_harness.ts";

afterEach(stopAll);

describe("advertisedP2PUrl", () => {
  test("the operator's URL wins; else the listener's; none on an unspecified host", () => {
    expect(advertisedP2PUrl({ host: "127.0.0.1", serverUrl: "http://127.0.0.1:9500/" })).toBe("ws://127.0.0.1:9500/p2p");
    expect(advertisedP2PUrl({ host: "10.0.0.5", serverUrl: "http://10.0.0.5:9501/" })).toBe("ws://10.0.0.5:9501/p2p");
    expect(advertisedP2PUrl({ host: "::1", serverUrl: "http://[::1]:9500/" })).toBe("ws://[::1]:9500/p2p");
    for (const host of ["0.0.0.0", "::", "[::]"]) expect(advertisedP2PUrl({ host, serverUrl: "http://0.0.0.0:9500/" })).toBe("");
    expect(advertisedP2PUrl({ host: "0.0.0.0", serverUrl: "http://0.0.0.0:9500/", advertiseUrl: "ws://node.example.org:9500/p2p" })).toBe("ws://node.example.org:9500/p2p");
  });
});

describe("createAdminBackend", () => {
  test("answers from p2p: identity, peers, blocks", async () => {
    const a = await startNode();
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1, 3000, "connected");
    const admin = createAdminBackend(() => a.p2p, 3);
    expect(admin.nodeInfo()).toEqual({ id: a.p2p.nodeId, url: a.url, shardId: 3 });
    expect(admin.peers()).toEqual([{ id: b.p2p.nodeId, url: b.url, direction: "inbound", score: 0 }]);
    admin.blockPeer(b.url);
    await waitFor(() => a.p2p.peerCount() === 0, 2000, "b cut");
    expect(admin.blockedPeers()).toEqual([{ entry: b.url, kind: "operator" }]);
    expect(() => admin.blockPeer("0x12")).toThrow(TypeError);
    expect(admin.unblockPeer(b.url)).toBe(true);
    expect(admin.unblockPeer(b.url)).toBe(false);
  });

  test("while p2p starts: a -32000 error, not a crash", () => {
    const admin = createAdminBackend(() => undefined, 0);
    try {
      admin.peers();
      throw new Error("expected an error");
    } catch (e) {
      expect(e).toBeInstanceOf(RpcError);
      expect((e as RpcError).rpcCode).toBe(-32000);
    }
  });
});
