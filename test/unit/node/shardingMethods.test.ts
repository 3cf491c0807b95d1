// Issue 10, hmy_getShardingStructure in Harmony's shape (GetShardingStructure: one
// { current, http, shardID, ws } per shard): the configured shardEndpoints by shard id, `current` on the
// node's own shard (which may change), and with no endpoints configured the node's own shard only, with
// its own URLs.
import { describe, expect, test } from "bun:test";
import { createShardingMethods, getShardingStructure } from "../../../src/node/shardingMethods.ts";
import type { MethodContext } from "../../../src/rpc/index.ts";

const endpoints = [
  { shardId: 1, http: "http://127.0.0.1:9505/", ws: "ws://127.0.0.1:9505/ws" },
  { shardId: 0, http: "http://127.0.0.1:9502/", ws: "ws://127.0.0.1:9502/ws" },
];

const call = (m: ReturnType<typeof createShardingMethods>) => JSON.parse(JSON.stringify(m.hmy_getShardingStructure?.([], {} as MethodContext)));

describe("hmy_getShardingStructure", () => {
  test("every configured shard by id, the node's own marked current", () => {
    const m = createShardingMethods({ shardId: 1, endpoints, http: "http://127.0.0.1:9503/", ws: "ws://127.0.0.1:9503/ws" });
    expect(call(m)).toEqual([
      { current: false, http: "http://127.0.0.1:9502/", shardID: 0, ws: "ws://127.0.0.1:9502/ws" },
      { current: true, http: "http://127.0.0.1:9505/", shardID: 1, ws: "ws://127.0.0.1:9505/ws" },
    ]);
  });

  test("no endpoints configured: the node's own shard with its own URLs", () => {
    const m = createShardingMethods({ shardId: 0, http: "http://127.0.0.1:9500/", ws: "ws://127.0.0.1:9500/ws" });
    expect(call(m)).toEqual([{ current: true, http: "http://127.0.0.1:9500/", shardID: 0, ws: "ws://127.0.0.1:9500/ws" }]);
    expect(getShardingStructure({ shardId: 3, endpoints: [], http: "h", ws: "w" })).toEqual([{ current: true, http: "h", shardID: 3, ws: "w" }]);
  });

  test("the own shard missing from the endpoints is added with the node's URLs, in shard order", () => {
    const s = getShardingStructure({ shardId: 2, endpoints, http: "http://n/", ws: "ws://n/ws" });
    expect(s.map((e) => [e.shardID, e.current, e.http])).toEqual([[0, false, "http://127.0.0.1:9502/"], [1, false, "http://127.0.0.1:9505/"], [2, true, "http://n/"]]);
  });

  test("the shard and URLs are read at each call (keys move shard; the port is known once serving)", () => {
    let shard = 0;
    let port = 0;
    const m = createShardingMethods({ shardId: () => shard, endpoints: [endpoints[0] as (typeof endpoints)[0]], http: () => `http://127.0.0.1:${port}/`, ws: () => `ws://127.0.0.1:${port}/ws` });
    port = 9600;
    expect(call(m).map((e: { shardID: number; current: boolean; http: string }) => [e.shardID, e.current, e.http])).toEqual([[0, true, "http://127.0.0.1:9600/"], [1, false, "http://127.0.0.1:9505/"]]);
    shard = 1;
    expect(call(m).map((e: { shardID: number; current: boolean }) => [e.shardID, e.current])).toEqual([[1, true]]);
  });
});
