// The eth_/debug_ methods dapp toolchains still called on a real `harmony node --dev` (call workers on,
// as by default): viem's createAccessList names exactly the accounts and slots of a call between two
// solc-compiled contracts, its gasUsed equals viem's estimateGas with the list and the receipt of a
// type-1 transaction sent with it; headers and raw data over HTTP; viem's getBlobBaseFee; geth's
// errors for eth_sendTransaction and eth_coinbase.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Hex, createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { compileAccessListContracts, mappingSlotHex, slotHex } from "../unit/rpc/_accessListContracts.ts";
import { rpcCall } from "./_devnet.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";

const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;

let node: DevNode | undefined;
const dir = tempDir("harmony-ethextra-");
beforeAll(async () => {
  node = await startDevNode({ dataDir: dir });
});
afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

const hexOf = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}` as Hex;
const sorted = (list: readonly { address: string; storageKeys: readonly string[] }[]) =>
  list.map((e) => ({ address: e.address.toLowerCase(), storageKeys: [...e.storageKeys].sort() })).sort((a, b) => (a.address < b.address ? -1 : 1));

describe("eth_createAccessList and the other added methods on harmony node --dev", () => {
  test("viem createAccessList: exact list, gasUsed = estimateGas with it = a type-1 receipt; headers, raw data, blob fee, errors", async () => {
    const url = (node as DevNode).url;
    const { Store, Reader } = compileAccessListContracts();
    const chain = defineChain({ id: 31337, name: "harmony-dev", nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
    const account = privateKeyToAccount(KEY0);
    const pub = createPublicClient({ chain, transport: http(url) });
    const wallet = createWalletClient({ chain, account, transport: http(url) });
    const storeHash = await wallet.deployContract({ abi: Store.abi, bytecode: hexOf(Store.bytecode), gas: 2_000_000n });
    const store = (await pub.waitForTransactionReceipt({ hash: storeHash, timeout: 10_000 })).contractAddress as Hex;
    const readerHash = await wallet.deployContract({ abi: Reader.abi, bytecode: hexOf(Reader.bytecode), args: [store], gas: 2_000_000n });
    const reader = (await pub.waitForTransactionReceipt({ hash: readerHash, timeout: 10_000 })).contractAddress as Hex;

    const data = encodeFunctionData({ abi: Reader.abi, functionName: "pull", args: [9n] });
    const { accessList, gasUsed } = await pub.createAccessList({ account: account.address, to: reader, data });
    expect(sorted(accessList)).toEqual(sorted([
      { address: reader, storageKeys: [slotHex(0n), slotHex(1n)] },
      { address: store, storageKeys: [slotHex(0n), mappingSlotHex(Buffer.from(reader.slice(2), "hex"), 1n)] },
    ]));
    expect(await pub.estimateGas({ account: account.address, to: reader, data, accessList })).toBe(gasUsed);
    const sent = await wallet.sendTransaction({ to: reader, data, accessList, type: "eip2930", gas: gasUsed });
    const receipt = await pub.waitForTransactionReceipt({ hash: sent, timeout: 10_000 });
    expect(receipt.status).toBe("success");
    expect(receipt.type).toBe("eip2930");
    expect(receipt.gasUsed).toBe(gasUsed);

    const n = `0x${receipt.blockNumber.toString(16)}`;
    const header = (await rpcCall(url, "eth_getHeaderByNumber", [n])) as Record<string, unknown>;
    expect(header.hash).toBe(receipt.blockHash);
    expect(header.transactions).toBeUndefined();
    expect(await rpcCall(url, "eth_getHeaderByHash", [receipt.blockHash])).toEqual(header);
    const rawHeader = (await rpcCall(url, "debug_getRawHeader", [n])) as Hex;
    expect(keccak256(rawHeader)).toBe(receipt.blockHash);
    const rawTx = (await rpcCall(url, "eth_getRawTransactionByHash", [sent])) as Hex;
    expect(rawTx.startsWith("0x01")).toBe(true);
    expect(keccak256(rawTx)).toBe(sent);
    expect(await rpcCall(url, "debug_getRawTransaction", [sent])).toBe(rawTx);
    const rawBlock = (await rpcCall(url, "debug_getRawBlock", [receipt.blockHash])) as Hex;
    expect(rawBlock.includes(rawHeader.slice(2))).toBe(true);
    expect(rawBlock.includes(rawTx.slice(4))).toBe(true);
    const rawReceipts = (await rpcCall(url, "debug_getRawReceipts", [n])) as Hex[];
    expect(rawReceipts.length).toBe(Number((await rpcCall(url, "eth_getBlockTransactionCountByNumber", [n])) as string));
    expect(rawReceipts.some((r) => r.startsWith("0x01"))).toBe(true);
    expect(await rpcCall(url, "eth_getHeaderByHash", [`0x${"ab".repeat(32)}`])).toBeNull();

    expect(await pub.getBlobBaseFee()).toBe(1n);
    await expect(wallet.request({ method: "eth_sendTransaction", params: [{ from: account.address, to: reader }] })).rejects.toThrow(/unknown account/);
    await expect(rpcCall(url, "eth_coinbase", [])).rejects.toThrow(/etherbase/);
    expect(await rpcCall(url, "eth_mining", [])).toBe(false);
  }, 20_000);
});
