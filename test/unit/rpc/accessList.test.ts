// eth_createAccessList on a real chain (solc-compiled contracts): the list names exactly the accounts
// and slots a call touches (sender, recipient and precompiles left out as addresses, the recipient's
// slots kept), its gasUsed equals eth_estimateGas with that list and a type-1 transaction's receipt;
// a reverting call still answers with geth's error; seeded lists, creations, bad params and unknown blocks.
import { afterAll, describe, expect, test } from "bun:test";
import { createTx } from "@ethereumjs/tx";
import type { SignedTransaction } from "../../../src/core/index.ts";
import type { RPCServer } from "../../../src/rpc/index.ts";
import { GWEI, addrs, common, devChain, keys, produce, tx } from "../chain/_helpers.ts";
import { deployData, encodeCall } from "../execution/_contracts.ts";
import { compileAccessListContracts, mappingSlotHex, slotHex } from "./_accessListContracts.ts";
import { hex, serveChain, stopServers } from "./_chainServer.ts";

const { Store, Reader } = compileAccessListContracts();
const servers: RPCServer[] = [];
afterAll(() => stopServers(servers));

type Entry = { address: string; storageKeys: string[] };
const norm = (list: Entry[]) => list.map((e) => ({ address: e.address.toLowerCase(), storageKeys: [...e.storageKeys].sort() })).sort((a, b) => (a.address < b.address ? -1 : 1));

async function setup() {
  const chain = await devChain();
  const d1 = await produce(chain, [tx(0, 0n, { data: deployData(Store), gasLimit: 2_000_000n })]);
  const store = chain.getTransactionReceipt(d1.block.transactions[0]!.hash())!.contractAddress!;
  const d2 = await produce(chain, [tx(0, 1n, { data: deployData(Reader, [hex(store)]), gasLimit: 2_000_000n })]);
  const reader = chain.getTransactionReceipt(d2.block.transactions[0]!.hash())!.contractAddress!;
  return { chain, store, reader, rpc: await serveChain(chain, servers) };
}

describe("eth_createAccessList", () => {
  test("exactly the touched accounts and slots; gasUsed = eth_estimateGas with the list = a type-1 transaction's receipt", async () => {
    const { chain, store, reader, rpc } = await setup();
    const call = { from: hex(addrs[0]!), to: hex(reader), data: hex(encodeCall(Reader, "pull", [5n])) };
    const r = (await rpc("eth_createAccessList", [call])).result;
    expect(r.error).toBeUndefined();
    // Reader: s (slot 0) and last (slot 1); Store: a (slot 0) and m[reader] (mapping at slot 1).
    // Neither the sender nor the sha256 precompile (0x…02) is listed.
    expect(norm(r.accessList)).toEqual(norm([
      { address: hex(reader), storageKeys: [slotHex(0n), slotHex(1n)] },
      { address: hex(store), storageKeys: [slotHex(0n), mappingSlotHex(reader, 1n)] },
    ]));
    const est = (await rpc("eth_estimateGas", [{ ...call, accessList: r.accessList }])).result;
    expect(BigInt(est)).toBe(BigInt(r.gasUsed));
    const plain = (await rpc("eth_createAccessList", [call, "latest"])).result;
    expect(plain).toEqual(r);

    const accessList = r.accessList.map((e: Entry) => ({ address: e.address, storageKeys: e.storageKeys }));
    const t1 = createTx({ type: 1, chainId: 31337n, nonce: 2n, to: reader, data: encodeCall(Reader, "pull", [5n]), gasLimit: BigInt(r.gasUsed), gasPrice: 2n * GWEI, accessList }, { common }).sign(keys[0]!) as SignedTransaction;
    const b = await produce(chain, [t1]);
    const receipt = (await rpc("eth_getTransactionReceipt", [hex(b.block.transactions[0]!.hash())])).result;
    expect(receipt.status).toBe("0x1");
    expect(receipt.type).toBe("0x1");
    expect(BigInt(receipt.gasUsed)).toBe(BigInt(r.gasUsed));
  });

  test("a reverting call answers with geth's error and the list so far; a seeded list is kept, its sender left out", async () => {
    const { store, reader, rpc } = await setup();
    const r = (await rpc("eth_createAccessList", [{ from: hex(addrs[1]!), to: hex(reader), data: hex(encodeCall(Reader, "fail")) }])).result;
    expect(r.error).toBe("execution reverted");
    expect(norm(r.accessList)).toEqual(norm([
      { address: hex(reader), storageKeys: [slotHex(0n)] },
      { address: hex(store), storageKeys: [slotHex(0n), mappingSlotHex(reader, 1n)] },
    ]));
    expect(BigInt(r.gasUsed)).toBeGreaterThan(21_000n);

    const other = `0x${"42".repeat(20)}`;
    const seed = [{ address: other, storageKeys: [slotHex(7n)] }, { address: hex(addrs[1]!), storageKeys: [] }];
    const s = (await rpc("eth_createAccessList", [{ from: hex(addrs[1]!), to: hex(store), data: hex(encodeCall(Store, "get")), accessList: seed }])).result;
    expect(norm(s.accessList)).toEqual(norm([{ address: other, storageKeys: [slotHex(7n)] }, { address: hex(store), storageKeys: [slotHex(0n)] }]));
  });

  test("a creation: the new contract's own address is left out, its constructor's slots are listed", async () => {
    const { store, rpc } = await setup();
    const r = (await rpc("eth_createAccessList", [{ from: hex(addrs[2]!), data: hex(deployData(Reader, [hex(store)])) }])).result;
    expect(r.error).toBeUndefined();
    expect(r.accessList.length).toBe(1);
    expect(r.accessList[0].address).not.toBe(hex(store));
    expect(r.accessList[0].storageKeys).toEqual([slotHex(0n)]);
    const transfer = (await rpc("eth_createAccessList", [{ from: hex(addrs[2]!), to: hex(addrs[3]!), value: "0x1" }])).result;
    expect(transfer).toEqual({ accessList: [], gasUsed: "0x5208" });
  });

  test("bad params are -32602; an unknown block is -32000; a call that cannot pay is geth's error", async () => {
    const { reader, rpc } = await setup();
    const call = { to: hex(reader), data: hex(encodeCall(Reader, "pull", [1n])) };
    expect((await rpc("eth_createAccessList", [])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", ["nope"])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", [{ ...call, to: "0x12" }])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", [{ ...call, accessList: [{ address: hex(reader), storageKeys: ["0x01"] }] }])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", [call, "soon"])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", [call, "latest", {}])).error?.code).toBe(-32602);
    expect((await rpc("eth_createAccessList", [call, "0x99"])).error).toEqual({ code: -32000, message: "header not found" });
    const unknown = `0x${"ab".repeat(32)}`;
    expect((await rpc("eth_createAccessList", [call, { blockHash: unknown }])).error).toEqual({ code: -32000, message: `header for hash ${unknown} not found` });
    const poor = await rpc("eth_createAccessList", [{ ...call, from: `0x${"99".repeat(20)}`, gasPrice: "0x3b9aca00" }]);
    expect(poor.error?.code).toBe(-32000);
    expect(poor.error?.message).toContain("insufficient funds for gas * price + value");
  });
});
