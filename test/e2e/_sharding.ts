// Helpers of the sharding end-to-end test (sharding.test.ts): exact JSON-RPC (wei past 2^53 stays
// exact), the dev accounts, signed cross-shard transfers through the 0x…f9 contract, a ledger of the
// balances they must leave, and a watcher of the heads a node reports (when each was first seen).
import { type Hex, encodeFunctionData } from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";

/** The cross-shard system contract (DESIGN §Sharding). */
export const CX_ADDRESS = "0x00000000000000000000000000000000000000f9" as const;
export const CX_ABI = [
  {
    type: "function", name: "crossShardTransfer", stateMutability: "payable", outputs: [],
    inputs: [{ name: "amount", type: "uint256" }, { name: "to", type: "address" }, { name: "toShardID", type: "uint32" }],
  },
] as const;
/** The dev accounts' mnemonic (DESIGN §4), funded on every shard of a devnet. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Dev accounts 0..n-1. */
export function devAccounts(n = 10): HDAccount[] {
  return Array.from({ length: n }, (_, i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }));
}

/** A random address nobody holds a key of (a fresh account: balance 0 everywhere). */
export function freshAddress(): Hex {
  const b = crypto.getRandomValues(new Uint8Array(20));
  return `0x${[...b].map((x) => x.toString(16).padStart(2, "0")).join("")}` as Hex;
}

/** JSON.parse keeping integers past 2^53 exact, as bigint (the node prints wei as raw JSON numbers). */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_k, v, ctx?: { source?: string }) =>
    typeof v === "number" && !Number.isSafeInteger(v) && ctx?.source !== undefined && /^-?\d+$/.test(ctx.source) ? BigInt(ctx.source) : v,
  );
}

/** One JSON-RPC call, exact numbers. @throws {Error} on a transport failure or an error answer. */
export async function rpc(url: string, method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<any> {
  const r = await fetch(url, {
    method: "POST", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(timeoutMs),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = parseExact(await r.text()) as { result?: unknown; error?: { code: number; message: string } };
  if (body.error) throw Object.assign(new Error(`${method} at ${url}: ${body.error.message}`), { rpcCode: body.error.code });
  return body.result;
}

/** Several calls in one JSON-RPC batch (at most 50 per request), results in order. @throws {Error} naming the first failed call. */
export async function rpcBatch(url: string, calls: { method: string; params: unknown[] }[]): Promise<any[]> {
  const out: any[] = [];
  for (let i = 0; i < calls.length; i += 50) {
    const part = calls.slice(i, i + 50);
    const r = await fetch(url, {
      method: "POST", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(10_000),
      body: JSON.stringify(part.map((c, j) => ({ jsonrpc: "2.0", id: j, method: c.method, params: c.params }))),
    });
    const answers = parseExact(await r.text()) as { id: number; result?: unknown; error?: { message: string } }[];
    if (!Array.isArray(answers)) throw new Error(`batch at ${url}: not a batch answer`);
    const byId = new Map(answers.map((a) => [a.id, a]));
    part.forEach((c, j) => {
      const a = byId.get(j);
      if (a === undefined || a.error) throw new Error(`${c.method}(${JSON.stringify(c.params)}) at ${url}: ${a?.error?.message ?? "no answer"}`);
      out.push(a.result);
    });
  }
  return out;
}

/** A quantity (`0x` hex, decimal string, number or bigint) as bigint. @throws {TypeError} otherwise. */
export function big(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return BigInt(v);
  throw new TypeError(`not a quantity: ${JSON.stringify(v)}`);
}

/** Balances of `addresses` on the node at `url` (latest block), in order. */
export async function balances(url: string, addresses: readonly string[]): Promise<bigint[]> {
  return (await rpcBatch(url, addresses.map((a) => ({ method: "eth_getBalance", params: [a, "latest"] })))).map(big);
}

/** One cross-shard transfer of the test: what was asked, and what happened to it. */
export interface CxTransfer {
  readonly from: HDAccount;
  readonly fromShard: number;
  readonly toShard: number;
  readonly to: Hex;
  readonly amount: bigint;
  nonce: number;
  hash?: Hex;
  submittedAt?: number;
  creditedAt?: number;
  receipt?: { status: string; blockNumber: bigint; blockHash: string; gasUsed: bigint; effectiveGasPrice: bigint };
}

/** The signed `crossShardTransfer(amount, to, toShard)` call of `t` (EIP-1559, value = amount). */
export async function signCxTransfer(t: CxTransfer, o: { networkId: number; gas: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }): Promise<Hex> {
  return await t.from.signTransaction({
    type: "eip1559", chainId: o.networkId + t.fromShard, nonce: t.nonce, to: CX_ADDRESS, value: t.amount, gas: o.gas,
    maxFeePerGas: o.maxFeePerGas, maxPriorityFeePerGas: o.maxPriorityFeePerGas,
    data: encodeFunctionData({ abi: CX_ABI, functionName: "crossShardTransfer", args: [t.amount, t.to, t.toShard] }),
  });
}

/** Sign and submit `t` to its source shard's node; sets hash and submittedAt. */
export async function submitCxTransfer(url: string, t: CxTransfer, o: Parameters<typeof signCxTransfer>[1]): Promise<void> {
  const raw = await signCxTransfer(t, o);
  t.submittedAt = Date.now();
  t.hash = (await rpc(url, "eth_sendRawTransaction", [raw])) as Hex;
}

/** Fetch the source receipts of `ts` still missing (those not mined yet stay without). */
export async function fetchReceipts(url: string, ts: CxTransfer[]): Promise<void> {
  const missing = ts.filter((t) => t.hash !== undefined && t.receipt === undefined);
  if (missing.length === 0) return;
  const rs = await rpcBatch(url, missing.map((t) => ({ method: "eth_getTransactionReceipt", params: [t.hash] })));
  rs.forEach((r, i) => {
    if (r === null) return;
    (missing[i] as CxTransfer).receipt = {
      status: String(r.status), blockNumber: big(r.blockNumber), blockHash: String(r.blockHash), gasUsed: big(r.gasUsed), effectiveGasPrice: big(r.effectiveGasPrice),
    };
  });
}

/** Expected balance changes per shard and address (lowercase) from mined transfers: −(amount + fee) at the source, +amount at the destination. */
export function expectedDeltas(ts: readonly CxTransfer[]): Map<string, bigint> {
  const d = new Map<string, bigint>();
  const add = (shard: number, addr: string, v: bigint) => d.set(`${shard}:${addr.toLowerCase()}`, (d.get(`${shard}:${addr.toLowerCase()}`) ?? 0n) + v);
  for (const t of ts) {
    if (t.receipt === undefined) throw new Error(`transfer ${t.hash} has no receipt`);
    add(t.fromShard, t.from.address, -(t.amount + t.receipt.gasUsed * t.receipt.effectiveGasPrice));
    add(t.toShard, t.to, t.amount);
  }
  return d;
}

/** Median and 95th percentile of `xs` (nearest rank). */
export function percentiles(xs: readonly number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Polls a node's head and remembers when each new head was first seen (wall clock). */
export class HeadWatcher {
  readonly seen: { number: number; at: number }[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(readonly url: string, everyMs = 200) {
    this.#timer = setInterval(() => void this.#poll(), everyMs);
  }

  async #poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const n = Number(big(await rpc(this.url, "eth_blockNumber", [], 2_000)));
      const last = this.seen.at(-1);
      if (last === undefined || n > last.number) this.seen.push({ number: n, at: Date.now() });
    } catch {
      // A slow answer: the next poll sees the head.
    } finally {
      this.#busy = false;
    }
  }

  /** The latest head seen (−1 before the first answer). */
  get head(): number {
    return this.seen.at(-1)?.number ?? -1;
  }

  /** The longest wait (ms) between new heads within [from, to] (wall clock), counting the edges. */
  maxGap(from: number, to: number): number {
    let prev = from;
    let gap = 0;
    for (const s of this.seen) {
      if (s.at <= from) continue;
      if (s.at > to) break;
      gap = Math.max(gap, s.at - prev);
      prev = s.at;
    }
    return Math.max(gap, to - prev);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
