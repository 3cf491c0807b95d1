// A JSON-RPC server over a real chain (in-memory store, no call workers) and a client for it.
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer, type RPCServer } from "../../../src/rpc/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { GWEI } from "../chain/_helpers.ts";
import { createMemoryLogger } from "./_harness.ts";

/** A JSON-RPC response as the tests read it. */
export type RpcResponse = { result?: any; error?: { code: number; message: string; data?: unknown } };

/** `0x` hex of bytes. */
export const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString("hex")}`;

/**
 * Serve `chain` (the debug_ namespace on unless `debug` is false; `coinbase` = the node's proposals'); stop
 * the servers with {@link stopServers}.
 */
export async function serveChain(chain: Chain, servers: RPCServer[], debug = true, coinbase?: Uint8Array): Promise<(method: string, params?: unknown[]) => Promise<RpcResponse>> {
  const pool = createTxPool(
    { chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n },
    { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => chain.config.nextBaseFee(chain.head) } },
  );
  const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) }, { debug, ...(coinbase ? { coinbase } : {}) });
  const server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
  servers.push(server);
  let id = 1;
  return async (method, params = []) => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }) });
    return (await res.json()) as RpcResponse;
  };
}

/** Stop every server started by {@link serveChain}. */
export async function stopServers(servers: RPCServer[]): Promise<void> {
  for (const s of servers.splice(0)) await s.stop();
}
