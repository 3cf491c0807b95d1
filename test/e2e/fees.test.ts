// Issue 8 acceptance 1 on real processes: legacy, EIP-2930 and EIP-1559 transfers and contract calls
// (one of them reverting) with varied tips under a non-zero base fee (1 gwei). For every sender the
// balance change equals Σ(value + gasUsed × effectiveGasPrice) of its receipts, each receipt's price is
// the one rule over its block's baseFeePerGas, and the fees the blocks report burnt (burntFees, and
// totalBurntFees over the range) equal Σ gasUsed × effectiveGasPrice — to the wei. Once on
// `harmony node --dev`, once on a 4-validator devnet (transactions sent to its RPC node).
import { afterAll, describe, expect, test } from "bun:test";
import { type Hex, encodeDeployData, encodeFunctionData } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { type TestDevnet, startDevnet, stopAllDevnets, waitFor } from "./_devnet.ts";
import { type DevNode, removeDir, startDevNode, tempDir } from "./_node.ts";
import { compileContract } from "./_solc.ts";

const GWEI = 1_000_000_000n;
const CHAIN_ID = 31337;
const token = compileContract("Token");
const account = (i: number) => privateKeyToAccount(DEV_ACCOUNTS[i]!.privateKey as Hex);

let dev: DevNode | undefined;
let devDir: string | undefined;
let net: TestDevnet | undefined;
afterAll(async () => {
  await dev?.stop();
  if (devDir) removeDir(devDir);
  if (net) await net.stop();
  stopAllDevnets();
});

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

type TxSpec = { from: number; to?: Hex; value?: bigint; data?: Hex; gas: bigint } & (
  | { type: "legacy"; gasPrice: bigint }
  | { type: "eip2930"; gasPrice: bigint }
  | { type: "eip1559"; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
);

/** Sign `spec` with the next nonce of its sender (tracked in `nonces`) and send it; returns the hash. */
async function send(url: string, spec: TxSpec, nonces: Map<number, number>): Promise<Hex> {
  const acct = account(spec.from);
  let nonce = nonces.get(spec.from);
  if (nonce === undefined) nonce = Number(BigInt(await rpc(url, "eth_getTransactionCount", [acct.address, "pending"])));
  nonces.set(spec.from, nonce + 1);
  const base = { chainId: CHAIN_ID, nonce, gas: spec.gas, value: spec.value ?? 0n, ...(spec.to ? { to: spec.to } : {}), ...(spec.data ? { data: spec.data } : {}) };
  const signed =
    spec.type === "eip1559"
      ? await acct.signTransaction({ ...base, type: "eip1559", maxFeePerGas: spec.maxFeePerGas, maxPriorityFeePerGas: spec.maxPriorityFeePerGas })
      : spec.type === "eip2930"
        ? await acct.signTransaction({ ...base, type: "eip2930", gasPrice: spec.gasPrice, accessList: [{ address: (spec.to ?? acct.address) as Hex, storageKeys: [] }] })
        : await acct.signTransaction({ ...base, type: "legacy", gasPrice: spec.gasPrice });
  return (await rpc(url, "eth_sendRawTransaction", [signed])) as Hex;
}

async function receiptOf(url: string, hash: Hex): Promise<any> {
  return await waitFor(`receipt of ${hash}`, 60_000, async () => (await rpc(url, "eth_getTransactionReceipt", [hash])) ?? undefined, 250);
}

/** The whole scenario against one RPC URL; every check is exact. */
async function checkFees(url: string): Promise<void> {
  const nonces = new Map<number, number>();
  // A token to call, deployed by account 9 (not one of the senders checked below).
  const deployHash = await send(url, { from: 9, type: "eip1559", maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: 1n, gas: 2_000_000n, data: encodeDeployData({ abi: token.abi, bytecode: token.bytecode, args: [10n ** 24n] }) }, nonces);
  const deployed = await receiptOf(url, deployHash);
  expect(deployed.status).toBe("0x1");
  const tokenAddr = deployed.contractAddress as Hex;
  const startBlock = BigInt(deployed.blockNumber);
  const senders = [2, 3, 4, 5];
  const before = new Map<number, bigint>();
  for (const s of senders) before.set(s, BigInt(await rpc(url, "eth_getBalance", [account(s).address, `0x${startBlock.toString(16)}`])));

  const sink = account(8).address; // value goes to an account that sends nothing here
  const call = (to: Hex, amount: bigint) => encodeFunctionData({ abi: token.abi, functionName: "transfer", args: [to, amount] });
  const specs: TxSpec[] = [
    { from: 2, type: "legacy", to: sink, value: 1001n, gasPrice: GWEI, gas: 21_000n }, // exactly the base fee
    { from: 2, type: "legacy", to: tokenAddr, data: call(sink, 1n), gasPrice: 3n * GWEI, gas: 100_000n }, // reverts: no tokens, still pays
    { from: 3, type: "eip2930", to: sink, value: 1002n, gasPrice: 2n * GWEI, gas: 30_000n },
    { from: 3, type: "eip2930", to: tokenAddr, data: call(sink, 0n), gasPrice: GWEI + 7n, gas: 100_000n },
    { from: 4, type: "eip1559", to: sink, value: 1003n, maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: GWEI, gas: 21_000n }, // the transfer
    { from: 4, type: "eip1559", to: tokenAddr, data: call(sink, 0n), maxFeePerGas: 5n * GWEI, maxPriorityFeePerGas: 0n, gas: 100_000n },
    { from: 5, type: "eip1559", to: sink, value: 1004n, maxFeePerGas: (3n * GWEI) / 2n, maxPriorityFeePerGas: GWEI, gas: 21_000n }, // fee-cap bound
    { from: 5, type: "eip1559", to: tokenAddr, data: call(sink, 0n), maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: 3n * GWEI + 5n, gas: 100_000n },
  ];
  const hashes: Hex[] = [];
  for (const s of specs) hashes.push(await send(url, s, nonces));
  const receipts = await Promise.all(hashes.map((h) => receiptOf(url, h)));
  expect(receipts.map((r) => r.status)).toEqual(["0x1", "0x0", "0x1", "0x1", "0x1", "0x1", "0x1", "0x1"]);

  const spent = new Map<number, bigint>();
  let paid = 0n;
  let endBlock = startBlock;
  for (const [i, r] of receipts.entries()) {
    const spec = specs[i]!;
    const block = await rpc(url, "eth_getBlockByNumber", [r.blockNumber, false]);
    const baseFee = BigInt(block.baseFeePerGas);
    expect(baseFee).toBe(GWEI); // the chain config's minGasPrice, non-zero
    const price = spec.type === "eip1559" ? (spec.maxFeePerGas < baseFee + spec.maxPriorityFeePerGas ? spec.maxFeePerGas : baseFee + spec.maxPriorityFeePerGas) : spec.gasPrice;
    expect(BigInt(r.effectiveGasPrice)).toBe(price);
    const fee = BigInt(r.gasUsed) * price;
    paid += fee;
    spent.set(spec.from, (spent.get(spec.from) ?? 0n) + (spec.value ?? 0n) + fee);
    if (BigInt(r.blockNumber) > endBlock) endBlock = BigInt(r.blockNumber);
  }
  const at = `0x${endBlock.toString(16)}`;
  for (const s of senders) {
    const after = BigInt(await rpc(url, "eth_getBalance", [account(s).address, at]));
    expect({ sender: s, delta: (before.get(s) as bigint) - after }).toEqual({ sender: s, delta: spent.get(s) as bigint });
  }
  // Burnt: the per-block records over the range hold exactly what the senders paid (nobody else sent).
  let burnt = 0n;
  for (let n = startBlock + 1n; n <= endBlock; n++) burnt += BigInt((await rpc(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).burntFees);
  expect(burnt).toBe(paid);
  const total = async (n: bigint) => BigInt((await rpc(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).totalBurntFees);
  expect((await total(endBlock)) - (await total(startBlock))).toBe(paid);
}

describe("fees: sender pays gasUsed × effectiveGasPrice, and that is what is burnt and reported", () => {
  test("harmony node --dev", async () => {
    devDir = tempDir("harmony-fees-");
    dev = await startDevNode({ dataDir: devDir });
    await checkFees(dev.url);
  }, 120_000);

  test("4-validator devnet", async () => {
    net = await startDevnet({ validators: 4 });
    const url = net.node("node4").rpc;
    await waitFor("devnet blocks", 60_000, async () => BigInt(await rpc(url, "eth_blockNumber")) >= 2n);
    await checkFees(url);
  }, 240_000);
});
