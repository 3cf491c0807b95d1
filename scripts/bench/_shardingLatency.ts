/**
 * Cross-shard transfer latency for `make bench sharding` (issue 10 acceptance 5), on a 2-shard devnet
 * of real processes: each transfer goes to a fresh address, is sent with eth_sendRawTransaction to the
 * source shard's RPC node, and is timed until the destination shard's RPC node reports the recipient's
 * balance (one batch of eth_getBalance every 100 ms for everything outstanding). Cross-shard transfers
 * (0 → 1 and 1 → 0, through `crossShardTransfer` on 0x…f9) are interleaved with same-shard transfers on
 * both shards, timed the same way: the baseline. Each credit is checked to be the amount sent.
 */
import { hexToBytes } from "@ethereumjs/util";
import { DEV_ACCOUNTS } from "../../src/core/index.ts";
import { type TestDevnet, waitFor } from "../../test/e2e/_devnet.ts";
import { type Sender, freshAddress, percentile, rpcBatch, signCrossShardTransfer, signTransfer } from "./_shardingRpc.ts";

/** Transfers of each kind (0→1, 1→0, 0→0, 1→1). */
export const PER_KIND = 20;
const POLL_MS = 100;
/** A transfer not credited within this long is left out of the latencies (the caller counts the missing). */
export const CREDIT_TIMEOUT_MS = 60_000;

/** Latencies (ms) by kind, e.g. "0→1". */
export type Latencies = Map<string, number[]>;

interface Pending {
  kind: string;
  to: `0x${string}`;
  amount: bigint;
  hash: string;
  sentAt: number;
}

const shardRpc = (d: TestDevnet, s: number): string => {
  const n = d.manifest().shards[s]?.nodes.find((x) => !x.validator);
  if (!n) throw new Error(`devnet.json lists no RPC node of shard ${s}`);
  return n.rpc;
};

/**
 * Send PER_KIND transfers of each kind at random moments (250–500 ms apart) and time each to its credit;
 * one not credited within CREDIT_TIMEOUT_MS is logged and missing from its kind's list.
 * @throws {Error} when a transfer is refused or credited a wrong amount.
 */
export async function measureCrossShardLatency(d: TestDevnet, networkId: bigint): Promise<Latencies> {
  const rpcs = [shardRpc(d, 0), shardRpc(d, 1)];
  // Separate senders per kind so one kind's nonces never wait on another's.
  const kinds = [[0, 1], [1, 0], [0, 0], [1, 1]] as const;
  const senders = new Map<string, Sender>();
  for (const [i, [from, to]] of kinds.entries()) {
    const account = DEV_ACCOUNTS[i + 1] as { address: string; privateKey: string };
    const [a] = await rpcBatch(rpcs[from] as string, [{ method: "eth_getTransactionCount", params: [account.address, "pending"] }]);
    if (!a || "error" in a) throw new Error(`nonce of ${account.address} on shard ${from}: ${JSON.stringify(a)}`);
    senders.set(`${from}→${to}`, { key: hexToBytes(account.privateKey as `0x${string}`), nonce: BigInt(a.result as string) });
  }
  const pending = new Set<Pending>();
  const out: Latencies = new Map(kinds.map(([f, t]) => [`${f}→${t}`, []]));
  let failure: Error | undefined;
  let polling = true;
  const poller = (async () => {
    while (polling || pending.size > 0) {
      for (const dest of [0, 1]) {
        const list = [...pending].filter((p) => Number(p.kind.at(-1)) === dest);
        for (let i = 0; i < list.length; i += 100) {
          const chunk = list.slice(i, i + 100);
          const answers = await rpcBatch(rpcs[dest] as string, chunk.map((p) => ({ method: "eth_getBalance", params: [p.to, "latest"] }))).catch(() => []);
          const at = performance.now();
          answers.forEach((a, j) => {
            const p = chunk[j] as Pending;
            if ("error" in a || BigInt(a.result as string) === 0n) return;
            pending.delete(p);
            if (BigInt(a.result as string) !== p.amount) failure ??= new Error(`${p.kind} transfer to ${p.to}: credited ${a.result}, sent ${p.amount}`);
            out.get(p.kind)?.push(at - p.sentAt);
          });
        }
      }
      for (const p of pending) {
        if (performance.now() - p.sentAt <= CREDIT_TIMEOUT_MS) continue;
        console.log(`sharding latency: ${p.kind} transfer ${p.hash} to ${p.to} not credited within ${CREDIT_TIMEOUT_MS} ms`);
        pending.delete(p);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  try {
    for (let i = 0; i < PER_KIND * kinds.length && failure === undefined; i++) {
      const [from, to] = kinds[i % kinds.length] as readonly [number, number];
      const kind = `${from}→${to}`;
      const s = senders.get(kind) as Sender;
      const recipient = freshAddress();
      const amount = 10n ** 15n + BigInt(i);
      const chainId = networkId + BigInt(from);
      const raw = from === to ? signTransfer(s, chainId, hexToBytes(recipient), amount) : signCrossShardTransfer(s, chainId, recipient, amount, to);
      const sentAt = performance.now();
      const [a] = await rpcBatch(rpcs[from] as string, [{ method: "eth_sendRawTransaction", params: [raw] }]);
      if (!a || "error" in a) throw new Error(`${kind} transfer refused: ${JSON.stringify(a)}`);
      pending.add({ kind, to: recipient, amount, hash: a.result as string, sentAt });
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 250));
    }
  } finally {
    polling = false;
  }
  await waitFor("the poller to see every credit", CREDIT_TIMEOUT_MS + 10_000, () => pending.size === 0, 200);
  await poller;
  if (failure) throw failure;
  return out;
}

/** p50 and p95 (ms) of one kind. */
export function latencyOf(l: Latencies, kind: string): { n: number; p50: number; p95: number } {
  const xs = l.get(kind) ?? [];
  return { n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95) };
}
