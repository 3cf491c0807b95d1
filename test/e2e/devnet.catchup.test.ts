// Issue 4 acceptance 5 on real processes: a validator that is 500 blocks behind (stopped while the
// other three of four go on at 0.1 s blocks) is restarted, reports its progress through eth_syncing
// while it syncs, catches up, and joins consensus again (its slot bit in later commit bitmaps).
import { afterAll, describe, expect, test } from "bun:test";
import {
  type TestDevnet,
  bitmapHas,
  blockNumber,
  commitBitmapOf,
  committeeSlots,
  startDevnet,
  stopAllDevnets,
  toNumber,
  waitFor,
  waitForHeight,
} from "./_devnet.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  if (d) await d.stop();
  stopAllDevnets();
});

const RPC = "node4";
const BEHIND = 500;

describe("catch-up of a validator 500 blocks behind", () => {
  test("syncs with progress in eth_syncing, then signs again", async () => {
    // One long epoch: a validator down for 500 blocks would otherwise be voted out (devnet.epos.test.ts covers that).
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 0.1, extraArgs: ["--epoch-blocks", "100000"] });
    const dn = d;
    await waitForHeight(dn, RPC, 3, 60_000);
    const victim = "node3";
    process.kill(dn.node(victim).pid as number, "SIGKILL");
    await Bun.sleep(500);
    const stoppedAt = await blockNumber(dn, RPC);
    await waitForHeight(dn, RPC, stoppedAt + BEHIND, 240_000);

    const again = dn.restartNode(victim);
    const rpcUrl = dn.node(victim).rpc;
    // Poll eth_syncing as soon as the node serves: it reports a run with currentBlock < highestBlock.
    let progress: { startingBlock: number; currentBlock: number; highestBlock: number } | undefined;
    // The rate and ETA beside them (numbers), once the run has imported a few blocks.
    let rated: { blocksPerSecond: number; etaSeconds: number } | undefined;
    await waitFor(`${victim} to catch up`, 120_000, async () => {
      if (again.proc.exitCode !== null || again.proc.signalCode !== null) throw new Error(`${victim} exited:\n${dn.log(victim)}`);
      try {
        const r = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_syncing", params: [] }) });
        const s = ((await r.json()) as { result: false | Record<string, string> }).result;
        if (s) {
          const p = { startingBlock: toNumber(s.startingBlock) ?? 0, currentBlock: toNumber(s.currentBlock) ?? 0, highestBlock: toNumber(s.highestBlock) ?? 0 };
          if (p.currentBlock < p.highestBlock && p.highestBlock - p.startingBlock >= BEHIND / 2) progress ??= p;
          const x = s as Record<string, unknown>;
          if (typeof x.blocksPerSecond === "number" && x.blocksPerSecond > 0 && typeof x.etaSeconds === "number" && x.etaSeconds >= 0) rated ??= { blocksPerSecond: x.blocksPerSecond, etaSeconds: x.etaSeconds };
        }
        const head = await blockNumber(dn, victim);
        const top = await blockNumber(dn, RPC);
        return head >= stoppedAt + BEHIND && top - head <= 5;
      } catch {
        return false; // not serving yet
      }
    }, 50);
    expect(progress).toBeDefined();
    expect(rated).toBeDefined();
    console.log(`eth_syncing while behind: ${JSON.stringify(progress)} ${JSON.stringify(rated)}`);

    const slots = committeeSlots(dn)
      .map((s, i) => ({ ...s, slot: i }))
      .filter((s) => s.node === victim)
      .map((s) => s.slot);
    const from = await blockNumber(dn, RPC);
    await waitFor(`${victim} in a commit bitmap after block ${from}`, 60_000, async () => {
      const head = await blockNumber(dn, RPC);
      for (let n = from; n < head; n++) {
        const bm = await commitBitmapOf(dn, RPC, n);
        if (bm && slots.some((s) => bitmapHas(bm, s))) return n;
      }
      return undefined;
    }, 300);
    expect(toNumber((await dn.rpc(victim, "eth_blockNumber")) ?? 0)).toBeGreaterThan(stoppedAt + BEHIND);
  }, 420_000);
});
