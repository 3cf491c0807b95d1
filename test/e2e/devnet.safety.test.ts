// Issue 4 acceptance 3, on real processes: a validator restarted with HARMONY_FAILPOINT=after-persist-safety
// kills itself (SIGKILL) right after it has durably recorded a vote and sent it; restarted normally, it
// catches up and signs again, and it never signs a conflicting message: no node holds double-sign
// evidence against its key, its own log of every vote it sent (HARMONY_VOTE_LOG, before and after the
// kill) holds no two different blocks signed for one height and view, every node has the same single
// block at every height, and the chain goes on.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { findConflictingVotes, parseVoteLog } from "../../src/node/voteLog.ts";
import { tempDir } from "./_node.ts";
import {
  type TestDevnet,
  bitmapHas,
  blockAt,
  blockNumber,
  commitBitmapOf,
  committeeSlots,
  currentLeader,
  startDevnet,
  stopAllDevnets,
  waitFor,
  waitForHeight,
} from "./_devnet.ts";

let d: TestDevnet | undefined;
const voteDir = tempDir("harmony-votelog-");
afterAll(async () => {
  if (d) expect(await d.stop()).toBe(0);
  stopAllDevnets();
  rmSync(voteDir, { recursive: true, force: true });
});

const RPC = "node4";
const VALIDATORS = ["node0", "node1", "node2", "node3"];
/** The node's RPC method listing the double-sign evidence it has detected. */
const EVIDENCE_METHOD = "hmy_getDoubleSignEvidence";

/** Committee slots named by the double-sign evidence a node holds (`hmy_getDoubleSignEvidence`). */
async function evidenceSlots(dn: TestDevnet, name: string): Promise<number[]> {
  const list = (await dn.rpc(name, EVIDENCE_METHOD)) as { slots?: number[] }[];
  expect(Array.isArray(list)).toBe(true);
  return list.flatMap((e) => e.slots ?? []);
}

describe("crash right after a signature", () => {
  test("a validator killed right after signing never signs a conflicting message after restart", async () => {
    // One long epoch: commit bitmaps are read in the genesis slot order (devnet.json), which an election reshuffles.
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1 , extraArgs: ["--epoch-blocks", "100000"] });
    const dn = d;
    await waitForHeight(dn, RPC, 3, 60_000);
    const leader = await currentLeader(dn, RPC);
    const victim = VALIDATORS.find((n) => n !== leader) as string;
    const victimSlots = committeeSlots(dn)
      .map((s, i) => ({ ...s, slot: i }))
      .filter((s) => s.node === victim);
    const slots = victimSlots.map((s) => s.slot);
    // Every signed message the victim sends, from both of its runs below, in one file.
    const voteLog = join(voteDir, `${victim}.jsonl`);

    // 1. Replace the devnet's process of the victim by one armed with the fail point; it dies at its first vote.
    process.kill(dn.node(victim).pid as number, "SIGKILL");
    await waitFor(`${victim} to be down`, 10_000, async () => !(await dn.rpc(victim, "eth_blockNumber").then(() => true, () => false)));
    const armed = dn.restartNode(victim, { HARMONY_FAILPOINT: "after-persist-safety", HARMONY_VOTE_LOG: voteLog });
    const crash = await Promise.race([armed.exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${victim} did not hit the fail point:\n${dn.log(victim)}`)), 90_000))]);
    expect(crash.signal).toBe("SIGKILL");
    expect(dn.log(victim, 200)).toContain("fail point after-persist-safety reached");
    const crashedAt = await blockNumber(dn, RPC);
    // The vote that tripped the fail point was logged before it left.
    const beforeKill = parseVoteLog(readFileSync(voteLog, "utf8"));
    expect(beforeKill.length).toBeGreaterThan(0);

    // 2. Restart it normally: it catches up, then signs again.
    const again = dn.restartNode(victim, { HARMONY_VOTE_LOG: voteLog });
    const target = crashedAt + 2;
    await waitFor(`${victim} to catch up to ${target}`, 60_000, async () => {
      if (again.proc.exitCode !== null || again.proc.signalCode !== null) throw new Error(`${victim} exited:\n${dn.log(victim)}`);
      return (await blockNumber(dn, victim)) >= target;
    });
    const from = await blockNumber(dn, RPC);
    await waitFor(`${victim} in a commit bitmap after block ${from}`, 60_000, async () => {
      const head = await blockNumber(dn, RPC);
      for (let n = from; n < head; n++) {
        const bm = await commitBitmapOf(dn, RPC, n);
        if (bm && slots.some((s) => bitmapHas(bm, s))) return n;
      }
      return undefined;
    }, 500);

    // 3. Nobody saw it sign two different things for one height and view.
    for (const name of [...VALIDATORS, RPC]) {
      const offenders = await evidenceSlots(dn, name);
      for (const s of slots) expect(offenders).not.toContain(s);
    }
    // 3b. Its own record of what it sent: signed again after the restart, only with its keys, and no key
    // signed two blocks for one kind, height and view (nor COMMITs for two blocks at one height).
    const votes = parseVoteLog(readFileSync(voteLog, "utf8"));
    expect(votes.length).toBeGreaterThan(beforeKill.length);
    const ownKeys = new Set(victimSlots.map((s) => `0x${s.key}`));
    expect(votes.flatMap((v) => v.keys).filter((k) => !ownKeys.has(k))).toEqual([]);
    expect(votes.some((v) => BigInt(v.height) > BigInt(crashedAt))).toBe(true);
    expect(findConflictingVotes(votes)).toEqual([]);
    // 4. One block per height, the same on every node, and the chain continues.
    const top = Math.min(...(await Promise.all([...VALIDATORS, RPC].map((n) => blockNumber(dn, n)))));
    for (let h = 1; h <= top; h++) {
      const hashes = new Set((await Promise.all([...VALIDATORS, RPC].map((n) => blockAt(dn, n, h)))).map((b) => b?.hash));
      expect(hashes.size).toBe(1);
    }
    await waitForHeight(dn, RPC, top + 3, 30_000);
    again.proc.kill("SIGTERM");
    await again.exited;
  }, 300_000);
});
