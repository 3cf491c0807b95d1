// The header, raw-data and legacy eth_/debug_ methods on a real chain: eth_getHeaderByNumber/ByHash as
// the block JSON without its body fields; raw transactions (included and pooled), headers, blocks and
// receipts that decode back to what the chain holds and hash to its roots; eth_mining, eth_hashrate,
// eth_coinbase (the node's proposals' coinbase, else geth's error), eth_protocolVersion, eth_blobBaseFee (= what BLOBBASEFEE gives a contract),
// eth_sendTransaction; -32602 for bad params, null for unknown blocks and hashes, -32601 for debug_ without it.
import { afterAll, describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { keccak256 } from "../../../src/crypto/hash.ts";
import { decodeBlock, decodeReceipt, orderedTrieRoot } from "../../../src/core/index.ts";
import type { RPCServer } from "../../../src/rpc/index.ts";
import { addrs, common, devChain, legacyTx, produce, tx } from "../chain/_helpers.ts";
import { toChecksumAddress } from "../../../src/rpc/hex.ts";
import { hex, serveChain, stopServers } from "./_chainServer.ts";

const servers: RPCServer[] = [];
afterAll(() => stopServers(servers));

const UNKNOWN = `0x${"ab".repeat(32)}`;
const bytes = (h: string) => new Uint8Array(Buffer.from(h.slice(2), "hex"));

async function setup() {
  const chain = await devChain();
  const b = await produce(chain, [tx(0, 0n, { to: addrs[5]!, value: 7n }), legacyTx(1, 0n, { to: addrs[6]!, value: 8n }), tx(2, 0n, { data: Uint8Array.of(0x60, 0x00, 0x60, 0x00, 0xfd), gasLimit: 100_000n })]);
  return { chain, block: b.block, rpc: await serveChain(chain, servers) };
}

describe("eth_getHeaderByNumber / eth_getHeaderByHash", () => {
  test("the block JSON without transactions, uncles, size and fee totals; null when unknown; -32602 on bad params", async () => {
    const { block, rpc } = await setup();
    const full = (await rpc("eth_getBlockByNumber", ["0x1", false])).result;
    const { transactions: _t, uncles: _u, size: _s, totalDifficulty: _d, burntFees: _b, totalBurntFees: _tb, ...expected } = full;
    const byNumber = (await rpc("eth_getHeaderByNumber", ["0x1"])).result;
    expect(byNumber).toEqual(expected);
    expect(byNumber.transactions).toBeUndefined();
    expect((await rpc("eth_getHeaderByHash", [hex(block.hash)])).result).toEqual(expected);
    expect((await rpc("eth_getHeaderByNumber", ["latest"])).result.hash).toBe(hex(block.hash));
    expect((await rpc("eth_getHeaderByNumber", ["earliest"])).result.number).toBe("0x0");
    expect((await rpc("eth_getHeaderByNumber", ["0x99"])).result).toBeNull();
    expect((await rpc("eth_getHeaderByHash", [UNKNOWN])).result).toBeNull();
    expect((await rpc("eth_getHeaderByNumber", ["one"])).error?.code).toBe(-32602);
    expect((await rpc("eth_getHeaderByNumber", [])).error?.code).toBe(-32602);
    expect((await rpc("eth_getHeaderByHash", ["0x1234"])).error?.code).toBe(-32602);
    expect((await rpc("eth_getHeaderByHash", [hex(block.hash), true])).error?.code).toBe(-32602);
  });
});

describe("raw data", () => {
  test("transactions: the envelope of an included or pooled transaction hashes to its hash; null when unknown", async () => {
    const { block, rpc } = await setup();
    for (const t of block.transactions) {
      const raw = (await rpc("eth_getRawTransactionByHash", [hex(t.hash())])).result;
      expect(hex(keccak256(bytes(raw)))).toBe(hex(t.hash()));
      expect((await rpc("debug_getRawTransaction", [hex(t.hash())])).result).toBe(raw);
    }
    expect(bytes((await rpc("eth_getRawTransactionByHash", [hex(block.transactions[0]!.hash())])).result)[0]).toBe(2);
    expect(bytes((await rpc("eth_getRawTransactionByHash", [hex(block.transactions[1]!.hash())])).result)[0]).toBeGreaterThanOrEqual(0xc0);
    const pooled = tx(3, 0n, { to: addrs[4]!, value: 1n });
    const sent = (await rpc("eth_sendRawTransaction", [hex(pooled.serialize())])).result;
    expect((await rpc("eth_getRawTransactionByHash", [sent])).result).toBe(hex(pooled.serialize()));
    expect((await rpc("eth_getRawTransactionByHash", [UNKNOWN])).result).toBeNull();
    expect((await rpc("debug_getRawTransaction", [UNKNOWN])).result).toBeNull();
    expect((await rpc("eth_getRawTransactionByHash", ["0xzz"])).error?.code).toBe(-32602);
    expect((await rpc("debug_getRawTransaction", [])).error?.code).toBe(-32602);
  });

  test("headers, blocks and receipts: RLP that decodes to the chain's and hashes to the header's roots; null when unknown", async () => {
    const { chain, block, rpc } = await setup();
    const header = (await rpc("debug_getRawHeader", ["0x1"])).result;
    expect(hex(keccak256(bytes(header)))).toBe(hex(block.hash));
    expect((await rpc("debug_getRawHeader", [{ blockHash: hex(block.hash) }])).result).toBe(header);
    const raw = (await rpc("debug_getRawBlock", ["latest"])).result;
    expect(raw).toBe(hex(block.encode()));
    const decoded = decodeBlock(bytes(raw), common);
    expect(hex(decoded.hash)).toBe(hex(block.hash));
    expect(decoded.transactions.map((t) => hex(t.hash()))).toEqual(block.transactions.map((t) => hex(t.hash())));
    const receipts: string[] = (await rpc("debug_getRawReceipts", [hex(block.hash)])).result;
    expect(receipts.length).toBe(3);
    expect(hex(orderedTrieRoot(receipts.map(bytes)))).toBe(hex(block.header.receiptsRoot));
    const stored = chain.getReceipts(block.hash)!;
    expect(receipts.map((r) => decodeReceipt(bytes(r)))).toEqual([...stored]);
    expect(receipts.map((r) => decodeReceipt(bytes(r)).type)).toEqual([2, 0, 2]);
    expect(receipts.map((r) => decodeReceipt(bytes(r)).status)).toEqual([1, 1, 0]);
    expect((await rpc("debug_getRawReceipts", ["0x0"])).result).toEqual([]);
    for (const m of ["debug_getRawHeader", "debug_getRawBlock", "debug_getRawReceipts"]) {
      expect((await rpc(m, ["0x99"])).result).toBeNull();
      expect((await rpc(m, [UNKNOWN])).result).toBeNull();
      expect((await rpc(m, [{ blockHash: UNKNOWN }])).result).toBeNull();
      expect((await rpc(m, ["0x1", "0x2"])).error?.code).toBe(-32602);
      expect((await rpc(m, [{ number: 1 }])).error?.code).toBe(-32602);
      expect((await rpc(m, [])).error?.code).toBe(-32602);
    }
  });

  test("without the debug_ namespace the debug_getRaw* methods do not exist; eth_getRawTransactionByHash stays", async () => {
    const { chain, block } = await setup();
    const off = await serveChain(chain, servers, false);
    for (const m of ["debug_getRawTransaction", "debug_getRawHeader", "debug_getRawBlock", "debug_getRawReceipts"]) expect((await off(m, ["0x1"])).error?.code).toBe(-32601);
    expect((await off("eth_getRawTransactionByHash", [hex(block.transactions[0]!.hash())])).result).toBe(hex(block.transactions[0]!.serialize()));
  });
});

describe("mining, keys, protocol and blob fee", () => {
  test("geth's answers for a node that does not mine and holds no keys", async () => {
    const { rpc } = await setup();
    expect((await rpc("eth_mining")).result).toBe(false);
    expect((await rpc("eth_hashrate")).result).toBe("0x0");
    expect((await rpc("eth_coinbase")).error).toEqual({ code: -32000, message: "etherbase must be explicitly specified" });
    const proposer = new Uint8Array(20).fill(0xab);
    const named = await serveChain((await devChain()), servers, true, proposer);
    expect((await named("eth_coinbase")).result).toBe(toChecksumAddress(proposer));
    expect((await rpc("eth_protocolVersion")).result).toBe("0x1");
    const send = { from: hex(addrs[0]!), to: hex(addrs[1]!), value: "0x1" };
    expect((await rpc("eth_sendTransaction", [send])).error).toEqual({ code: -32000, message: "unknown account" });
    expect((await rpc("eth_sendTransaction", [{ ...send, to: "0x12" }])).error?.code).toBe(-32602);
    expect((await rpc("eth_sendTransaction", [])).error?.code).toBe(-32602);
    for (const m of ["eth_mining", "eth_hashrate", "eth_coinbase", "eth_protocolVersion", "eth_blobBaseFee"]) expect((await rpc(m, [1])).error?.code).toBe(-32602);
  });

  test("eth_blobBaseFee is what the BLOBBASEFEE opcode gives a contract, and blob transactions are refused", async () => {
    const { rpc } = await setup();
    const fee = (await rpc("eth_blobBaseFee")).result;
    expect(fee).toBe("0x1");
    // BLOBBASEFEE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
    const probe = `0x${"4b".repeat(20)}`;
    const word = (await rpc("eth_call", [{ to: probe }, "latest", { [probe]: { code: "0x4a60005260206000f3" } }])).result;
    expect(BigInt(word)).toBe(BigInt(fee));
    // A well-formed type-3 envelope (its signature is never reached): refused for its type.
    const n = (v: bigint) => (v === 0n ? new Uint8Array(0) : bytes(`0x${v.toString(16).padStart(2, "0")}`));
    const fields = [n(31337n), n(0n), n(0n), n(10n ** 10n), n(21000n), addrs[1]!, n(0n), new Uint8Array(0), [], n(1n), [bytes(`0x01${"00".repeat(31)}`)], n(1n), bytes(`0x${"11".repeat(32)}`), bytes(`0x${"22".repeat(32)}`)];
    const blob = await rpc("eth_sendRawTransaction", [`0x03${Buffer.from(RLP.encode(fields)).toString("hex")}`]);
    expect(blob.error?.code).toBe(-32000);
    expect(blob.error?.message).toBe("transaction type not supported");
  });
});
