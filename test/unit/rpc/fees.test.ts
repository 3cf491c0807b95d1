// The RPC shows the fees execution charged: blocks carry the header's baseFeePerGas and what they
// burnt, receipts the effective gas price over that base fee, and fee history / gas price read the
// same header field (one base fee per block).
import { afterAll, describe, expect, test } from "bun:test";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer, type RPCServer } from "../../../src/rpc/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { GWEI, addrs, devChain, legacyTx, produce, tx } from "../chain/_helpers.ts";
import { createMemoryLogger } from "./_harness.ts";

const servers: RPCServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe("fees over JSON-RPC", () => {
  test("base fee, effective gas price, burnt fees and balances agree to the wei", async () => {
    const chain = await devChain();
    const pool = createTxPool(
      { chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n },
      { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => chain.config.nextBaseFee(chain.head) } },
    );
    const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) });
    const server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
    servers.push(server);
    let id = 1;
    const rpc = async (method: string, params: unknown[] = []) => {
      const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }) });
      const body = (await res.json()) as { result?: any; error?: unknown };
      expect(body.error).toBeUndefined();
      return body.result;
    };
    const hex = (n: bigint) => `0x${n.toString(16)}`;
    const before = [0, 1].map((i) => chain.stateAt().getBalance(addrs[i]!));
    // The transfer (maxFee 2 gwei, tip 1 gwei) and a legacy one at 3 gwei.
    const txs = [tx(0, 0n, { to: addrs[4], value: 9n, maxFeePerGas: 2n * GWEI, tip: GWEI }), legacyTx(1, 0n, { to: addrs[4], value: 1n, gasPrice: 3n * GWEI })];
    const b = await produce(chain, txs);

    const block = await rpc("eth_getBlockByNumber", ["0x1", false]);
    expect(block.baseFeePerGas).toBe(hex(GWEI));
    const r0 = await rpc("eth_getTransactionReceipt", [`0x${Buffer.from(txs[0]!.hash()).toString("hex")}`]);
    const r1 = await rpc("eth_getTransactionReceipt", [`0x${Buffer.from(txs[1]!.hash()).toString("hex")}`]);
    expect(r0.effectiveGasPrice).toBe(hex(2n * GWEI));
    expect(r1.effectiveGasPrice).toBe(hex(3n * GWEI));
    const fee0 = BigInt(r0.gasUsed) * BigInt(r0.effectiveGasPrice);
    const fee1 = BigInt(r1.gasUsed) * BigInt(r1.effectiveGasPrice);
    expect(BigInt(await rpc("eth_getBalance", [`0x${Buffer.from(addrs[0]!).toString("hex")}`, "latest"]))).toBe(before[0]! - 9n - fee0);
    expect(BigInt(await rpc("eth_getBalance", [`0x${Buffer.from(addrs[1]!).toString("hex")}`, "latest"]))).toBe(before[1]! - 1n - fee1);
    expect(block.burntFees).toBe(hex(fee0 + fee1));
    expect(block.totalBurntFees).toBe(hex(fee0 + fee1));
    expect(chain.getBurntFees(b.block.hash)!.burnt).toBe(fee0 + fee1);

    const full = await rpc("eth_getBlockByNumber", ["0x1", true]);
    expect(full.transactions[0].gasPrice).toBe(hex(2n * GWEI));
    const history = await rpc("eth_feeHistory", ["0x2", "latest", []]);
    expect(history.baseFeePerGas).toEqual([hex(GWEI), hex(GWEI), hex(GWEI)]); // blocks 0, 1 and the next one
    expect(BigInt(await rpc("eth_gasPrice"))).toBeGreaterThanOrEqual(GWEI);
    // eth_call prices with the header's base fee: a maxFee below it is refused, as a block would.
    const low = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 99, method: "eth_call", params: [{ from: `0x${Buffer.from(addrs[2]!).toString("hex")}`, to: `0x${Buffer.from(addrs[3]!).toString("hex")}`, maxFeePerGas: hex(GWEI - 1n) }, "latest"] }),
    }).then((r) => r.json() as Promise<{ error?: { message: string } }>);
    expect(low.error?.message).toMatch(/max fee per gas less than block base fee/);
  });
});
