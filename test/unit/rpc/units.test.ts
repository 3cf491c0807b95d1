// Pure pieces of the RPC layer: the gas search, revert decoding, address parsing, contract
// addresses, the percentile rule, call timeouts, and back-pressure on a connection.
import { describe, expect, test } from "bun:test";
import type { ServerSocket } from "../../../src/adapter/types.ts";
import type { RpcCallResult } from "../../../src/rpc/backend.ts";
import { withTimeout } from "../../../src/rpc/callRunner.ts";
import type { MethodContext } from "../../../src/rpc/context.ts";
import { RpcError } from "../../../src/rpc/errors.ts";
import { searchGasLimit } from "../../../src/rpc/estimateGas.ts";
import { createdContractAddress } from "../../../src/rpc/formatReceipt.ts";
import { percentileOf } from "../../../src/rpc/gasPrice.ts";
import { hexToBytesUnchecked, toChecksumAddress, toData, toQuantity } from "../../../src/rpc/hex.ts";
import { ParamError, parseAddress, parseQuantity, parseSlot } from "../../../src/rpc/params.ts";
import { decodeRevertReason } from "../../../src/rpc/revert.ts";
import { createWsConnection, MAX_INFLIGHT_PER_CONNECTION } from "../../../src/rpc/ws.ts";
import { createMemoryLogger } from "./_harness.ts";
import { encodeErrorString } from "./_testBackend.ts";

const never = new AbortController().signal;
const ok = (gasUsed: bigint): RpcCallResult => ({ success: true, returnData: new Uint8Array(), gasUsed });
const oog = (g: bigint): RpcCallResult => ({ success: false, returnData: new Uint8Array(), gasUsed: g, error: "out of gas" });

describe("searchGasLimit", () => {
  test("finds the exact threshold for every need between 21000 and the cap", async () => {
    for (const need of [21_000n, 21_001n, 45_678n, 100_000n, 999_999n, 1_000_000n]) {
      for (const used of [need, need - (need - 21_000n) / 2n]) {
        let calls = 0;
        const run = async (g: bigint) => (calls++, g >= need ? ok(used) : oog(g));
        expect(await searchGasLimit(run, 1_000_000n, never)).toBe(need);
        expect(calls).toBeLessThanOrEqual(25);
      }
    }
  });

  test("a call needing exactly what it used costs two runs", async () => {
    let calls = 0;
    expect(await searchGasLimit(async (g) => (calls++, g >= 21_000n ? ok(21_000n) : oog(g)), 30_000_000n, never)).toBe(21_000n);
    expect(calls).toBe(2);
  });

  test("stops when aborted", async () => {
    const ctl = new AbortController();
    let calls = 0;
    const run = async (g: bigint) => {
      if (++calls === 3) ctl.abort();
      return g >= 500_000n ? ok(30_000n) : oog(g);
    };
    await expect(searchGasLimit(run, 1_000_000n, ctl.signal)).rejects.toThrow("execution aborted");
    expect(calls).toBe(3);
  });
});

describe("revert reasons", () => {
  test("Error(string), Panic(uint256), and data that is neither", () => {
    expect(decodeRevertReason(encodeErrorString("nope"))).toBe("nope");
    expect(decodeRevertReason(encodeErrorString(""))).toBe("");
    expect(decodeRevertReason(hexToBytesUnchecked(`0x4e487b71${"00".repeat(31)}01`))).toBe("assert(false)");
    expect(decodeRevertReason(hexToBytesUnchecked(`0x4e487b71${"00".repeat(31)}99`))).toBe("unknown panic code: 0x99");
    expect(decodeRevertReason(hexToBytesUnchecked("0xdeadbeef"))).toBeUndefined();
    expect(decodeRevertReason(new Uint8Array())).toBeUndefined();
    // A length that points past the data is not decoded (no exception either).
    const bad = encodeErrorString("abc");
    bad[4 + 63] = 0xff;
    expect(decodeRevertReason(bad)).toBeUndefined();
    // Invalid UTF-8 is not decoded.
    const invalid = encodeErrorString("ab");
    invalid[4 + 64] = 0xff;
    expect(decodeRevertReason(invalid)).toBeUndefined();
  });
});

describe("params", () => {
  test("one1 and 0x forms name the same address", () => {
    // Harmony documentation example pair.
    expect(toChecksumAddress(parseAddress("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy"))).toBe("0x0B585F8DaEfBC68a311FbD4cB20d9174aD174016");
    expect(toData(parseAddress("0x0B585F8DaEfBC68a311FbD4cB20d9174aD174016"))).toBe("0x0b585f8daefbc68a311fbd4cb20d9174ad174016");
    expect(() => parseAddress("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxz")).toThrow(ParamError);
    expect(() => parseAddress("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")).toThrow(ParamError);
  });

  test("quantities and slots", () => {
    expect(parseQuantity("0x0")).toBe(0n);
    expect(parseQuantity(`0x${"f".repeat(64)}`)).toBe(2n ** 256n - 1n);
    expect(() => parseQuantity(`0x1${"0".repeat(64)}`)).toThrow("hex number > 256 bits");
    expect(() => parseQuantity("0x")).toThrow(ParamError);
    expect(() => parseQuantity("10")).toThrow("hex string without 0x prefix");
    expect(toData(parseSlot("0x1"))).toBe(`0x${"00".repeat(31)}01`);
    expect(toQuantity(0n)).toBe("0x0");
    expect(toQuantity(255)).toBe("0xff");
  });
});

describe("misc", () => {
  test("contract address of sender+nonce (known vectors)", () => {
    const sender = hexToBytesUnchecked("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    expect(toData(createdContractAddress(sender, 0n))).toBe("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
    expect(toData(createdContractAddress(sender, 1n))).toBe("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8");
  });

  test("percentile: nearest rank rounding down", () => {
    expect(percentileOf([], 60)).toBe(0n);
    expect(percentileOf([1n, 2n, 3n, 4n, 5n], 60)).toBe(3n);
    expect(percentileOf([1n, 2n, 3n, 4n, 5n], 100)).toBe(5n);
    expect(percentileOf([1n, 2n, 3n, 4n, 5n], 0)).toBe(1n);
  });

  test("withTimeout: fast work passes, slow work is aborted, late rejections stay handled", async () => {
    expect(await withTimeout(100, async () => 7)).toBe(7);
    let aborted = false;
    const err = await withTimeout(20, (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => {
      aborted = true;
      setTimeout(() => reject(new Error("late")), 5);
    }))).catch((e) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(aborted).toBe(true);
    await Bun.sleep(20);
  });
});

describe("connection back-pressure", () => {
  function fakeSocket() {
    const sent: string[] = [];
    const closes: [number, string][] = [];
    const s = { bufferedAmount: 0, remoteAddress: "test", send: (d: string | Uint8Array) => void sent.push(String(d)), close: (c?: number, r?: string) => void closes.push([c ?? 0, r ?? ""]) };
    return { s: s as ServerSocket & { bufferedAmount: number }, sent, closes };
  }

  test("sends while under the limit, closes with 1008 once over it, then stays silent", async () => {
    let notify: ((r: unknown) => void) | undefined;
    let unsubscribed = 0;
    const ctx = {} as MethodContext;
    const conn = createWsConnection({
      dispatch: async (_text, c) => {
        c.subscriptions?.add("0x1", () => void unsubscribed++);
        notify = (r) => c.subscriptions?.notify("0x1", r);
        notify("early");
        return JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" });
      },
      ctx,
      maxMessageBytes: 1000,
      maxBufferedBytes: 100,
      logger: createMemoryLogger(),
    });
    const { s, sent, closes } = fakeSocket();
    conn.handlers.onOpen?.(s);
    // A notification raised before the subscribe response is sent waits for it.
    conn.handlers.onMessage(s, '{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}');
    await Bun.sleep(1);
    notify?.("a");
    expect(sent).toHaveLength(3);
    expect(JSON.parse(sent[0] as string).result).toBe("0x1");
    expect(JSON.parse(sent[1] as string).params).toEqual({ subscription: "0x1", result: "early" });
    expect(JSON.parse(sent[2] as string).params).toEqual({ subscription: "0x1", result: "a" });
    s.bufferedAmount = 101;
    notify?.("b");
    expect(closes).toEqual([[1008, "subscriber too slow"]]);
    expect(unsubscribed).toBe(1);
    notify?.("c");
    expect(sent).toHaveLength(3);
  });

  test("oversize messages get an error, not a dispatch", async () => {
    let dispatched = 0;
    const conn = createWsConnection({
      dispatch: async () => (dispatched++, undefined),
      ctx: {} as MethodContext,
      maxMessageBytes: 10,
      maxBufferedBytes: 100,
      logger: createMemoryLogger(),
    });
    const { s, sent } = fakeSocket();
    conn.handlers.onOpen?.(s);
    conn.handlers.onMessage(s, "x".repeat(11));
    conn.handlers.onMessage(s, new Uint8Array(11));
    expect(dispatched).toBe(0);
    expect(sent.map((m) => JSON.parse(m).error.code)).toEqual([-32600, -32600]);
  });

  test("requests in flight per connection are bounded", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const conn = createWsConnection({
      dispatch: async () => (await gate, '{"jsonrpc":"2.0","id":1,"result":true}'),
      ctx: {} as MethodContext,
      maxMessageBytes: 1000,
      maxBufferedBytes: 1 << 20,
      logger: createMemoryLogger(),
    });
    const { s, sent } = fakeSocket();
    conn.handlers.onOpen?.(s);
    for (let i = 0; i <= MAX_INFLIGHT_PER_CONNECTION; i++) conn.handlers.onMessage(s, "{}");
    expect(sent.map((m) => JSON.parse(m).error?.code)).toEqual([-32005]);
    release();
    await Bun.sleep(1);
    expect(sent).toHaveLength(1 + MAX_INFLIGHT_PER_CONNECTION);
    conn.handlers.onMessage(s, "{}");
    await Bun.sleep(1);
    expect(sent).toHaveLength(2 + MAX_INFLIGHT_PER_CONNECTION);
  });
});
