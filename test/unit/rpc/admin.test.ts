// The admin_ namespace: off unless enabled, loopback clients only, params checked, p2p errors mapped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RpcAdminBackend } from "../../../src/rpc/backend.ts";
import type { MethodContext } from "../../../src/rpc/context.ts";
import { createDispatcher } from "../../../src/rpc/jsonrpc.ts";
import { ADMIN_METHOD_NAMES, createAdminMethods, isLoopbackAddress } from "../../../src/rpc/methods/admin.ts";
import { createMemoryLogger, startHarness, type Harness } from "./_harness.ts";
import { TestChain } from "./_testBackend.ts";

const ID = `0x${"ab".repeat(20)}`;

/** An in-memory admin side with the same contract as the node's (entries checked, a bound of 2). */
function createAdminDouble(): RpcAdminBackend & { blocked: Map<string, "operator" | "ban"> } {
  const blocked = new Map<string, "operator" | "ban">([[`0x${"cd".repeat(20)}`, "ban"]]);
  const check = (e: string) => {
    if (!/^0x[0-9a-f]{40}$/i.test(e) && !/^wss?:\/\//.test(e)) throw new TypeError(`blocklist entry is neither a 0x node id nor a ws:// URL: ${e}`);
    return e.toLowerCase();
  };
  return {
    blocked,
    nodeInfo: () => ({ id: ID, url: "ws://127.0.0.1:9000/p2p", shardId: 0 }),
    peers: () => [{ id: `0x${"11".repeat(20)}`, url: "ws://127.0.0.1:9001/p2p", direction: "outbound", score: -3.5 }],
    blockPeer: (e) => {
      const k = check(e);
      if (!blocked.has(k) && blocked.size >= 2) throw new RangeError("blocklist is full");
      blocked.set(k, "operator");
    },
    unblockPeer: (e) => blocked.get(check(e)) === "operator" && blocked.delete(check(e)),
    blockedPeers: () => [...blocked].map(([entry, kind]) => ({ entry, kind })),
  };
}

describe("isLoopbackAddress", () => {
  test("127.0.0.0/8 and ::1 in their usual spellings are loopback", () => {
    for (const a of ["127.0.0.1", "127.255.3.4", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::1%lo"]) expect(isLoopbackAddress(a)).toBe(true);
  });
  test("everything else is not", () => {
    for (const a of ["10.0.0.1", "192.168.1.2", "128.0.0.1", "0.0.0.0", "::", "::2", "fe80::1", "::ffff:10.0.0.1", "127.0.0.256", "1.127.0.0", "unknown", "", "localhost", "::1::1"]) {
      expect(isLoopbackAddress(a)).toBe(false);
    }
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});

describe("the loopback gate", () => {
  const admin = createAdminDouble();
  const dispatch = createDispatcher({ methods: new Map(Object.entries(createAdminMethods(admin))), batchLimit: 10, logger: createMemoryLogger() });
  const ctx = (clientAddress?: string) => ({ clientAddress }) as MethodContext;
  const call = async (method: string, params: unknown[], address?: string) => JSON.parse((await dispatch(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), ctx(address))) as string);

  test("a non-loopback or unknown client sees -32601 for every admin method, and nothing happens", async () => {
    for (const address of ["203.0.113.7", "10.1.2.3", "::ffff:192.168.0.1", "2001:db8::1", "unknown", undefined]) {
      for (const m of ADMIN_METHOD_NAMES) {
        const r = await call(m, m.endsWith("Peer") ? [ID] : [], address);
        expect(r.error).toEqual({ code: -32601, message: `the method ${m} does not exist/is not available` });
      }
    }
    expect(admin.blocked.has(ID)).toBe(false);
  });

  test("a loopback client is served", async () => {
    expect((await call("admin_nodeInfo", [], "127.0.0.1")).result).toEqual({ id: ID, url: "ws://127.0.0.1:9000/p2p", shardId: 0 });
    expect((await call("admin_blockPeer", [ID], "::1")).result).toBe(true);
    expect(admin.blocked.get(ID)).toBe("operator");
  });
});

describe("over HTTP", () => {
  let on: Harness;
  let off: Harness;
  let noBackend: Harness;
  beforeAll(async () => {
    const chain = new TestChain() as TestChain & { admin?: RpcAdminBackend };
    chain.admin = createAdminDouble();
    on = await startHarness({ admin: true }, chain);
    off = await startHarness({}, chain);
    noBackend = await startHarness({ admin: true });
  });
  afterAll(async () => {
    await Promise.all([on.server.stop(), off.server.stop(), noBackend.server.stop()]);
  });

  test("without --rpc-admin (or without p2p) the methods do not exist", async () => {
    for (const h of [off, noBackend]) {
      const r = await h.rpc("admin_peers");
      expect(r.error).toEqual({ code: -32601, message: "the method admin_peers does not exist/is not available" });
    }
  });

  test("with it, a loopback client gets the documented shapes", async () => {
    expect((await on.rpc("admin_nodeInfo")).result).toEqual({ id: ID, url: "ws://127.0.0.1:9000/p2p", shardId: 0 });
    expect((await on.rpc("admin_peers")).result).toEqual([{ id: `0x${"11".repeat(20)}`, url: "ws://127.0.0.1:9001/p2p", direction: "outbound", score: -3.5 }]);
    expect((await on.rpc("admin_blockPeer", ["ws://10.0.0.9:9500/p2p"])).result).toBe(true);
    expect((await on.rpc("admin_blockedPeers")).result).toEqual([
      { entry: `0x${"cd".repeat(20)}`, kind: "ban" },
      { entry: "ws://10.0.0.9:9500/p2p", kind: "operator" },
    ]);
    expect((await on.rpc("admin_unblockPeer", [`0x${"cd".repeat(20)}`])).result).toBe(false);
    expect((await on.rpc("admin_unblockPeer", ["ws://10.0.0.9:9500/p2p"])).result).toBe(true);
    expect((await on.rpc("admin_unblockPeer", ["ws://10.0.0.9:9500/p2p"])).result).toBe(false);
  });

  test("bad params → -32602 with a message; a full blocklist → -32005", async () => {
    const cases: unknown[][] = [[], [1], [""], [ID, ID], ["not-a-peer"]];
    for (const params of cases) {
      const r = await on.rpc("admin_blockPeer", params);
      expect(r.error.code).toBe(-32602);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
    expect((await on.rpc("admin_unblockPeer", ["http://x"])).error.code).toBe(-32602);
    expect((await on.rpc("admin_peers", [1])).error.code).toBe(-32602);
    expect((await on.rpc("admin_blockPeer", [`0x${"01".repeat(20)}`])).result).toBe(true);
    const full = await on.rpc("admin_blockPeer", [`0x${"02".repeat(20)}`]);
    expect(full.error).toEqual({ code: -32005, message: "blocklist is full" });
  });

  test("over WebSocket the client address is the socket's too", async () => {
    const ws = new WebSocket(on.server.wsUrl);
    await new Promise((r, j) => {
      ws.onopen = r;
      ws.onerror = j;
    });
    const reply = new Promise<any>((r) => {
      ws.onmessage = (e) => r(JSON.parse(String(e.data)));
    });
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "admin_nodeInfo", params: [] }));
    expect((await reply).result.id).toBe(ID);
    ws.close();
  });
});
