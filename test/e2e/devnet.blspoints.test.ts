// Issue 11 target 1, acceptance 2, on real processes: the validators of a devnet (4 nodes × 8 keys)
// verify votes and commit proofs on decoded points. /metrics shows the BLS verify time per round
// and the point caches at work: once the committee's keys are decoded (a bounded number of misses:
// each key at most once per verifier thread), later rounds decode fewer keys than one round holds —
// without the caches every round would decode every key of every vote and proof again.
import { afterAll, describe, expect, test } from "bun:test";
import { type TestDevnet, startDevnet, stopAllDevnets, waitFor } from "./_devnet.ts";

const VALIDATORS = 4;
const KEYS_PER_NODE = 8;
const KEYS = VALIDATORS * KEYS_PER_NODE;
let net: TestDevnet | undefined;
afterAll(async () => {
  if (net) await net.stop();
  stopAllDevnets();
});

function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
}

interface BLSMetrics {
  hits: number;
  misses: number;
  workers: number;
  verifySum: number;
  verifyCount: number;
  perBlock: number;
}

async function blsMetrics(d: TestDevnet, name: string): Promise<BLSMetrics> {
  const text = await (await fetch(`${d.node(name).rpc}metrics`)).text();
  return {
    hits: metric(text, "harmony_bls_pubkey_cache_hits_total"),
    misses: metric(text, "harmony_bls_pubkey_cache_misses_total"),
    workers: metric(text, "harmony_bls_workers"),
    verifySum: metric(text, "harmony_bls_verify_seconds_sum"),
    verifyCount: metric(text, "harmony_bls_verify_seconds_count"),
    perBlock: metric(text, "harmony_bls_verify_seconds_per_block"),
  };
}

describe("devnet BLS on decoded points", () => {
  test("validators verify on cached key points: key decodes bounded by the committee, hits grow by every round, verify time per round is reported", async () => {
    net = await startDevnet({ validators: VALIDATORS, keysPerNode: KEYS_PER_NODE });
    const d = net;
    const validators = Array.from({ length: VALIDATORS }, (_, i) => `node${i}`);
    const height = async () => BigInt(await d.rpc("node4", "eth_blockNumber"));
    await waitFor("devnet warm-up blocks", 120_000, async () => (await height()) >= 4n);
    const before = await Promise.all(validators.map((n) => blsMetrics(d, n)));
    const h0 = await height();
    await waitFor("six more blocks", 120_000, async () => (await height()) >= h0 + 6n);
    const after = await Promise.all(validators.map((n) => blsMetrics(d, n)));
    for (const [i, a] of after.entries()) {
      const b = before[i] as BLSMetrics;
      const name = validators[i];
      // Each key is decoded at most once per verifier thread (the main thread and each worker).
      expect([name, a.misses <= KEYS * (a.workers + 1)]).toEqual([name, true]);
      expect([name, a.misses - b.misses < KEYS]).toEqual([name, true]);
      // Every round since then took its keys from the caches.
      expect([name, a.hits - b.hits >= 6 * KEYS]).toEqual([name, true]);
      expect([name, a.verifyCount > b.verifyCount && a.verifySum > b.verifySum]).toEqual([name, true]);
      expect([name, a.perBlock > 0 && a.perBlock < 1]).toEqual([name, true]);
    }
  }, 300_000);
});
