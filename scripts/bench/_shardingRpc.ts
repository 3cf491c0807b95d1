/**
 * What the sharding bench needs from a running devnet: JSON-RPC batches (one HTTP request for up to
 * 100 calls, the node's batch limit), pre-signed transfers of the dev accounts and of funded senders,
 * and the CPU time of node processes from /proc.
 */
import { readFileSync } from "node:fs";
import { bytesToHex, hexToBytes } from "@ethereumjs/util";
import { encodeFunctionData } from "viem";
import { signFeeMarketTransaction } from "../../src/core/index.ts";

/** Most calls in one JSON-RPC batch (the node's `batchLimit`). */
export const RPC_BATCH = 100;
/** Fee cap of every bench transaction: far above the devnet's base fee, so a busy chain never strands one. */
const MAX_FEE = 100_000_000_000n;
const TIP = 1_000_000_000n;
/** The cross-shard contract (DESIGN §Sharding). */
const CX_CONTRACT = hexToBytes("0x00000000000000000000000000000000000000f9");
const CX_ABI = [{ type: "function", name: "crossShardTransfer", stateMutability: "payable", inputs: [{ name: "amount", type: "uint256" }, { name: "to", type: "address" }, { name: "toShardID", type: "uint32" }], outputs: [] }] as const;

/** One call's answer in a batch: its result, or the node's error. */
export type BatchAnswer = { result: unknown } | { error: { code: number; message: string } };

/**
 * Send `calls` as one JSON-RPC batch; the answers in the calls' order.
 * @throws {Error} on a transport failure or an answer that is not a batch of the same length.
 */
export async function rpcBatch(url: string, calls: readonly { method: string; params: unknown[] }[], timeoutMs = 20_000): Promise<BatchAnswer[]> {
  const body = JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, method: c.method, params: c.params })));
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(timeoutMs) });
  const out = (await res.json()) as { id: number; result?: unknown; error?: { code: number; message: string } }[];
  if (!Array.isArray(out) || out.length !== calls.length) throw new Error(`batch of ${calls.length} calls to ${url} answered ${JSON.stringify(out).slice(0, 200)}`);
  const byId = new Map(out.map((a) => [a.id, a]));
  return calls.map((_, id) => {
    const a = byId.get(id);
    return a?.error ? { error: a.error } : { result: a?.result };
  });
}

/** A sender on one shard: its key and the next nonce to sign. */
export interface Sender {
  key: Uint8Array;
  nonce: bigint;
}

/** Key of funded bench sender `i` (deterministic, never a dev account's). */
export function benchSenderKey(i: number): Uint8Array {
  const k = new Uint8Array(32).fill(0x42);
  new DataView(k.buffer).setUint32(28, i + 1);
  return k;
}

/** Raw bytes (`0x` hex) of a plain transfer of `value` to `to` on chain `chainId`, advancing the sender's nonce. */
export function signTransfer(s: Sender, chainId: bigint, to: Uint8Array, value: bigint): string {
  const { raw } = signFeeMarketTransaction({ chainId, nonce: s.nonce, to, value, data: new Uint8Array(0), gasLimit: 21_000n, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP }, s.key);
  s.nonce++;
  return bytesToHex(raw);
}

/** Raw bytes of `crossShardTransfer(amount, to, toShard)` on chain `chainId`, advancing the sender's nonce. */
export function signCrossShardTransfer(s: Sender, chainId: bigint, to: `0x${string}`, amount: bigint, toShard: number): string {
  const data = hexToBytes(encodeFunctionData({ abi: CX_ABI, functionName: "crossShardTransfer", args: [amount, to, toShard] }));
  const { raw } = signFeeMarketTransaction({ chainId, nonce: s.nonce, to: CX_CONTRACT, value: amount, data, gasLimit: 100_000n, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: TIP }, s.key);
  s.nonce++;
  return bytesToHex(raw);
}

/** CPU time (utime + stime, ms) of process `pid` so far; undefined off Linux or once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = st.slice(st.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** A fresh address no account has used (random). */
export function freshAddress(): `0x${string}` {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(20))) as `0x${string}`;
}

/** Percentile `p` (0–100) of `xs`, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}
