/**
 * A real dev chain served over JSON-RPC for the hmy_/hmyv2_ tests: block 1 holds a transfer, a
 * contract that returns 42 and a contract that reverts with 42, all from dev account 0.
 */
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer, type RPCServer } from "../../../src/rpc/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { hexToBytes } from "../../../src/util/index.ts";
import { GWEI, addrs, devChain, produce, tx } from "../chain/_helpers.ts";
import { createMemoryLogger } from "./_harness.ts";

/** Runtime `PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`, and the same ending in REVERT. */
const RETURNS_42 = "602a60005260206000f3";
const REVERTS_42 = "602a60005260206000fd";
/** Init code that deploys a 10-byte runtime placed right after it. */
const deploy = (runtime: string) => hexToBytes(`0x600a600c600039600a6000f3${runtime}`);

export const TRANSFER_VALUE = 1_234_567_890_123_456_789n;

export interface HarmonyRig {
  chain: Chain;
  server: RPCServer;
  transferHash: string;
  createHash: string;
  returner: string;
  reverter: string;
  /** One JSON-RPC call: the parsed response and its raw text (for exact big numbers). */
  rpc(method: string, params?: unknown[]): Promise<{ result?: any; error?: { code: number; message: string }; text: string }>;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

/** The chain, its RPC server and the hashes of block 1. */
export async function startHarmonyRig(): Promise<HarmonyRig> {
  const chain = await devChain();
  const b = await produce(chain, [
    tx(0, 0n, { to: addrs[1], value: TRANSFER_VALUE }),
    tx(0, 1n, { data: deploy(RETURNS_42), gasLimit: 200_000n }),
    tx(0, 2n, { data: deploy(REVERTS_42), gasLimit: 200_000n }),
  ]);
  await produce(chain, []);
  const [t0, t1, t2] = b.block.transactions;
  const returner = chain.getTransactionReceipt(t1!.hash())!.contractAddress!;
  const reverter = chain.getTransactionReceipt(t2!.hash())!.contractAddress!;
  const pool = createTxPool(
    { chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n },
    { state: { getNonce: (a) => chain.stateAt().getNonce(a), getBalance: (a) => chain.stateAt().getBalance(a), nextBaseFee: () => chain.config.nextBaseFee(chain.head) } },
  );
  const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) });
  const server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
  let id = 1;
  const rpc: HarmonyRig["rpc"] = async (method, params = []) => {
    const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: id++, method, params }) });
    const text = await res.text();
    return { ...JSON.parse(text), text };
  };
  return { chain, server, transferHash: hex(t0!.hash()), createHash: hex(t1!.hash()), returner: hex(returner), reverter: hex(reverter), rpc };
}
