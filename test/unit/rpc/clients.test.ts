// Block, transaction, receipt and log JSON as real clients decode it (viem, ethers v6), and the
// eth_call / eth_estimateGas / eth_sendRawTransaction paths they rely on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { JsonRpcProvider, Transaction as EthersTx } from "ethers";
import { createPublicClient, http, keccak256 as viemKeccak, parseAbi, serializeTransaction, type Hex } from "viem";
import { addressToBech32 } from "../../../src/crypto/bech32.ts";
import { toData } from "../../../src/rpc/hex.ts";
import { startHarness, type Harness } from "./_harness.ts";
import { ALICE, BOB, CHAIN_ID, ETHER, GWEI, NEEDY_GAS, REVERT_REASON, TARGET, TRANSFER_TOPIC } from "./_testBackend.ts";

let h: Harness;
let provider: JsonRpcProvider;
const hashes: Record<string, Hex> = {};
const lower = (s: string | null | undefined) => s?.toLowerCase();

beforeAll(async () => {
  h = await startHarness();
  const c = h.chain;
  const send = async (name: string, raw: Uint8Array) => {
    hashes[name] = toData(await c.sendRawTransaction(raw)) as Hex;
  };
  await send("legacy", c.signTx(0, { type: 0, to: BOB, value: 5n * ETHER, gasLimit: 21_000n }).serialize());
  await send("eip2930", c.signTx(1, { type: 1, to: ALICE, value: 7n, gasLimit: 30_000n }).serialize());
  await send("eip1559", c.signTx(0, { type: 2, to: TARGET.token, data: BOB, value: 0n }).serialize());
  await send("create", c.signTx(1, { type: 2, data: new Uint8Array([0x60, 0x00]), gasLimit: 200_000n }).serialize());
  c.mine();
  await send("token2", c.signTx(0, { type: 2, to: TARGET.token, data: ALICE, tip: 5n * GWEI, gasPrice: 9n * GWEI }).serialize());
  c.mine();
  provider = new JsonRpcProvider(h.server.url, undefined, { pollingInterval: 100 });
});
afterAll(async () => {
  provider.destroy();
  await h.server.stop();
});

describe("viem", () => {
  const client = () => createPublicClient({ transport: http(h.server.url) });

  test("getBlock with and without transactions", async () => {
    const b = await client().getBlock({ blockNumber: 1n, includeTransactions: true });
    expect(b.number).toBe(1n);
    expect(b.transactions.map((t) => t.hash)).toEqual([hashes.legacy, hashes.eip2930, hashes.eip1559, hashes.create] as Hex[]);
    expect(b.transactions.map((t) => t.type)).toEqual(["legacy", "eip2930", "eip1559", "eip1559"]);
    expect(b.baseFeePerGas).toBe(0n);
    expect(b.uncles).toEqual([]);
    expect(b.sha3Uncles).toBe("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    expect(b.totalDifficulty).toBe(0n);
    expect(b.gasUsed).toBe(21_000n + 21_000n + 50_000n + 100_000n);
    const latest = await client().getBlock();
    expect(latest.number).toBe(2n);
    expect(latest.transactions).toEqual([hashes.token2] as Hex[]);
    expect(latest.parentHash).toBe(b.hash as Hex);
  });

  test("getTransaction: every type re-serializes to its hash (fields and v/r/s/yParity exact)", async () => {
    for (const name of ["legacy", "eip2930", "eip1559", "create"]) {
      const t = await client().getTransaction({ hash: hashes[name] as Hex });
      expect(lower(t.from)).toBe(lower(toData(name === "eip2930" || name === "create" ? BOB : ALICE)));
      expect(t.blockNumber).toBe(1n);
      expect(t.chainId).toBe(Number(CHAIN_ID));
      const sig = { r: t.r, s: t.s, ...(t.type === "legacy" ? { v: t.v } : { yParity: t.yParity }) };
      const base = { chainId: t.chainId, nonce: t.nonce, gas: t.gas, to: t.to ?? undefined, value: t.value, data: t.input };
      const fields =
        t.type === "legacy"
          ? { ...base, type: "legacy" as const, gasPrice: t.gasPrice }
          : t.type === "eip2930"
            ? { ...base, type: "eip2930" as const, gasPrice: t.gasPrice, accessList: t.accessList }
            : { ...base, type: "eip1559" as const, maxFeePerGas: t.maxFeePerGas, maxPriorityFeePerGas: t.maxPriorityFeePerGas, accessList: t.accessList };
      expect(viemKeccak(serializeTransaction(fields as never, sig as never))).toBe(hashes[name] as Hex);
    }
  });

  test("an included EIP-1559 tx shows the effective gas price", async () => {
    const t = await client().getTransaction({ hash: hashes.token2 as Hex });
    expect(t.gasPrice).toBe(5n * GWEI); // baseFee 0 + tip 5 gwei < maxFee 9 gwei
    expect(t.maxFeePerGas).toBe(9n * GWEI);
  });

  test("getTransactionReceipt: status, gas, logs, contract address", async () => {
    const c = client();
    const r = await c.getTransactionReceipt({ hash: hashes.eip1559 as Hex });
    expect(r.status).toBe("success");
    expect(r.transactionIndex).toBe(2);
    expect(r.gasUsed).toBe(50_000n);
    expect(r.cumulativeGasUsed).toBe(92_000n);
    expect(r.effectiveGasPrice).toBe(2n * GWEI);
    expect(r.type).toBe("eip1559");
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]?.logIndex).toBe(0);
    expect(lower(r.logs[0]?.address)).toBe(lower(toData(TARGET.token)));
    expect(r.logs[0]?.topics[0]).toBe(toData(TRANSFER_TOPIC) as Hex);
    expect(r.contractAddress).toBeNull();
    const created = await c.getTransactionReceipt({ hash: hashes.create as Hex });
    expect(created.to).toBeNull();
    expect(created.contractAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await c.getCode({ address: created.contractAddress as Hex })).toBe("0x6000");
    const legacy = await c.getTransactionReceipt({ hash: hashes.legacy as Hex });
    expect(legacy.type).toBe("legacy");
    expect(legacy.effectiveGasPrice).toBe(2n * GWEI);
  });

  test("eth_getBlockReceipts matches the single receipts", async () => {
    const all = await h.rpc("eth_getBlockReceipts", ["0x1"]);
    expect(all.result).toHaveLength(4);
    const one = await h.rpc("eth_getTransactionReceipt", [hashes.eip1559]);
    expect(all.result[2]).toEqual(one.result);
  });

  test("getLogs by address and topic", async () => {
    const logs = await client().getLogs({
      address: toData(TARGET.token) as Hex,
      event: parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)"])[0],
      fromBlock: 0n,
      toBlock: "latest",
    });
    expect(logs.map((l) => l.transactionHash)).toEqual([hashes.eip1559, hashes.token2] as Hex[]);
    expect(logs[0]?.args.value).toBe(1n);
    expect(lower(logs[1]?.args.to)).toBe(lower(toData(ALICE)));
  });

  test("eth_call revert: viem surfaces the reason", async () => {
    const err = await client()
      .readContract({ address: toData(TARGET.reverter) as Hex, abi: parseAbi(["function f() view returns (uint256)"]), functionName: "f" })
      .then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(REVERT_REASON);
    const raw = await h.rpc("eth_call", [{ to: toData(TARGET.reverter) }, "latest"]);
    expect(raw.error.code).toBe(3);
    expect(raw.error.message).toBe(`execution reverted: ${REVERT_REASON}`);
    expect(raw.error.data).toMatch(/^0x08c379a0/);
  });

  test("estimateGas: transfer is exactly 21000, a call finds its threshold by binary search", async () => {
    const c = client();
    expect(await c.estimateGas({ account: toData(ALICE) as Hex, to: toData(BOB) as Hex, value: 1n })).toBe(21_000n);
    expect(await c.estimateGas({ account: toData(ALICE) as Hex, to: toData(TARGET.needy) as Hex })).toBe(NEEDY_GAS);
    expect((await h.rpc("eth_estimateGas", [{ from: toData(ALICE), to: toData(BOB) }])).result).toBe("0x5208");
  });

  test("gas price, priority fee and fee history", async () => {
    const c = client();
    expect(await c.getGasPrice()).toBe(2n * GWEI); // 60th percentile of tips [2,2,2,2,5] gwei
    expect(await c.estimateMaxPriorityFeePerGas()).toBe(2n * GWEI);
    const fh = await c.getFeeHistory({ blockCount: 2, rewardPercentiles: [0, 50, 100] });
    expect(fh.oldestBlock).toBe(1n);
    expect(fh.baseFeePerGas).toEqual([0n, 0n, 0n]);
    expect(fh.gasUsedRatio).toEqual([192_000 / 30_000_000, 50_000 / 30_000_000]);
    expect(fh.reward).toEqual([
      [2n * GWEI, 2n * GWEI, 2n * GWEI],
      [5n * GWEI, 5n * GWEI, 5n * GWEI],
    ]);
  });

  test("state reads: balance by one1 address and by EIP-1898 block hash, pending nonce, proof", async () => {
    const c = client();
    const b1 = await c.getBlock({ blockNumber: 1n });
    const byOne = await h.rpc("eth_getBalance", [addressToBech32(ALICE), { blockHash: b1.hash }]);
    expect(BigInt(byOne.result)).toBe(await c.getBalance({ address: toData(ALICE) as Hex, blockNumber: 1n }));
    expect(await c.getTransactionCount({ address: toData(ALICE) as Hex })).toBe(3);
    await h.chain.sendRawTransaction(h.chain.signTx(0, { type: 2, to: BOB, value: 1n, gasLimit: 21_000n }).serialize());
    expect(await c.getTransactionCount({ address: toData(ALICE) as Hex, blockTag: "pending" })).toBe(4);
    expect(await c.getTransactionCount({ address: toData(ALICE) as Hex, blockTag: "latest" })).toBe(3);
    const proof = await c.getProof({ address: toData(ALICE) as Hex, storageKeys: [`0x${"00".repeat(32)}`] });
    expect(proof.nonce).toBe(3);
    expect(proof.storageProof[0]?.value).toBe(0n);
    const unknown = await h.rpc("eth_getBalance", [toData(ALICE), { blockHash: `0x${"ab".repeat(32)}` }]);
    expect(unknown.error).toEqual({ code: -32000, message: `header for hash 0x${"ab".repeat(32)} not found` });
    expect((await h.rpc("eth_getBalance", [toData(ALICE), "0x99"])).error.message).toBe("header not found");
  });

  test("pending transaction lookups have null block fields", async () => {
    const raw = h.chain.signTx(1, { type: 2, to: ALICE, value: 3n, gasLimit: 21_000n }).serialize();
    const hash = (await client().sendRawTransaction({ serializedTransaction: toData(raw) as Hex })) as Hex;
    const t = await client().getTransaction({ hash });
    expect(t.blockNumber).toBeNull();
    expect(t.blockHash).toBeNull();
    expect(t.transactionIndex).toBeNull();
    expect((await h.rpc("eth_getTransactionReceipt", [hash])).result).toBeNull();
  });
});

describe("ethers v6", () => {
  test("getBlock with prefetched transactions; every tx re-serializes to its hash", async () => {
    const b = await provider.getBlock(1, true);
    expect(b?.number).toBe(1);
    expect(b?.prefetchedTransactions.map((t) => t.hash)).toEqual([hashes.legacy, hashes.eip2930, hashes.eip1559, hashes.create] as string[]);
    for (const t of b?.prefetchedTransactions ?? []) {
      const copy = EthersTx.from({
        type: t.type,
        chainId: t.chainId,
        nonce: t.nonce,
        gasLimit: t.gasLimit,
        gasPrice: t.type < 2 ? t.gasPrice : null,
        maxFeePerGas: t.maxFeePerGas,
        maxPriorityFeePerGas: t.maxPriorityFeePerGas,
        to: t.to,
        value: t.value,
        data: t.data,
        accessList: t.type === 0 ? null : t.accessList,
        signature: t.signature,
      });
      expect(copy.hash).toBe(t.hash);
      expect(lower(copy.from)).toBe(lower(t.from));
    }
  });

  test("getTransactionReceipt and getLogs", async () => {
    const r = await provider.getTransactionReceipt(hashes.eip1559 as string);
    expect(r?.status).toBe(1);
    expect(r?.index).toBe(2);
    expect(r?.gasUsed).toBe(50_000n);
    expect(r?.logs[0]?.index).toBe(0);
    const created = await provider.getTransactionReceipt(hashes.create as string);
    expect(created?.contractAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const logs = await provider.getLogs({ address: toData(TARGET.token), topics: [toData(TRANSFER_TOPIC)], fromBlock: 0 });
    expect(logs.map((l) => l.transactionHash)).toEqual([hashes.eip1559, hashes.token2] as string[]);
    expect(logs.every((l) => l.removed === false)).toBe(true);
  });

  test("call revert reason, estimateGas, fee data", async () => {
    const err = (await provider.call({ to: toData(TARGET.reverter) }).catch((e) => e)) as { code?: string; reason?: string };
    expect(err.code).toBe("CALL_EXCEPTION");
    expect(err.reason).toBe(REVERT_REASON);
    expect(await provider.estimateGas({ from: toData(ALICE), to: toData(BOB), value: 1n })).toBe(21_000n);
    // ethers treats a zero base fee as "no EIP-1559" and offers only a legacy gas price.
    const fee = await provider.getFeeData();
    expect(fee.gasPrice).toBe(2n * GWEI);
    expect(fee.maxPriorityFeePerGas).toBeNull();
  });

  test("broadcastTransaction accepts a signed tx", async () => {
    const raw = h.chain.signTx(0, { type: 2, to: BOB, value: 2n, gasLimit: 21_000n });
    const sent = await provider.broadcastTransaction(toData(raw.serialize()));
    expect(sent.hash).toBe(toData(raw.hash()));
  });

  test("fee data with a non-zero base fee", async () => {
    h.chain.baseFee = GWEI;
    h.chain.mine();
    // A fresh provider: ethers caches identical requests (the latest block) for 250 ms.
    const fresh = new JsonRpcProvider(h.server.url);
    const fee = await fresh.getFeeData();
    expect(fee.maxPriorityFeePerGas).toBe(2n * GWEI);
    expect(fee.maxFeePerGas).toBe(2n * GWEI + 2n * GWEI); // ethers: 2 × baseFee + tip
    expect(fee.gasPrice).toBe(3n * GWEI); // next base fee + suggested tip
    const b = await fresh.getBlock("latest");
    expect(b?.baseFeePerGas).toBe(GWEI);
    fresh.destroy();
  });
});
