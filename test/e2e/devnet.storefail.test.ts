// Issue 8 acceptance 5, on real processes: a validator whose store write fails (HARMONY_FAILPOINT=store-write-fail
// at height n: every write from block n on fails like a full disk) exits non-zero with one clear line; restarted
// from its store alone (no peers) it holds exactly blocks 1..n-1, the same as the network's; restarted normally it
// catches up with identical block hashes, signs again, and never signed two conflicting messages: no node holds
// double-sign evidence against its keys and its safety record decodes.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetyRecord } from "../../src/consensus/index.ts";
import { findConflictingVotes, parseVoteLog } from "../../src/node/voteLog.ts";
import { rpcCall } from "../../src/cli/_devnetRPC.ts";
import {
  type TestDevnet, bitmapHas, blockAt, blockNumber, commitBitmapOf, committeeSlots, currentLeader, startDevnet, stopAllDevnets, toNumber, waitFor, waitForHeight,
} from "./_devnet.ts";
import { freePort, harmonyBinary } from "./_node.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  if (d) expect(await d.stop()).toBe(0);
  stopAllDevnets();
});

const RPC = "node4";
const VALIDATORS = ["node0", "node1", "node2", "node3"];

async function evidenceSlots(dn: TestDevnet, name: string): Promise<number[]> {
  const list = (await dn.rpc(name, "hmy_getDoubleSignEvidence")) as { slots?: number[] }[];
  expect(Array.isArray(list)).toBe(true);
  return list.flatMap((e) => e.slots ?? []);
}

function within<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  return Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(what())), ms))]);
}

describe("a store write that fails", () => {
  test("stops the validator non-zero with a clear message; it restarts from its store with nothing lost and nothing signed twice", async () => {
    // One long epoch: commit bitmaps are read in the genesis slot order (devnet.json), which an election reshuffles.
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1 , extraArgs: ["--epoch-blocks", "100000"] });
    const dn = d;
    await waitForHeight(dn, RPC, 3, 60_000);
    const leader = await currentLeader(dn, RPC);
    const victim = VALIDATORS.find((n) => n !== leader) as string;
    const slots = committeeSlots(dn).map((s, i) => ({ ...s, slot: i })).filter((s) => s.node === victim).map((s) => s.slot);

    // 1. Replace the devnet's process of the victim by one whose store fails from block n on.
    process.kill(dn.node(victim).pid as number, "SIGKILL");
    await waitFor(`${victim} to be down`, 10_000, async () => !(await dn.rpc(victim, "eth_blockNumber").then(() => true, () => false)));
    // Above every head in the network (the RPC node may lag behind the validators, and the victim's store
    // may hold a block the others have only just committed).
    const heads = await Promise.all([RPC, ...VALIDATORS.filter((v) => v !== victim)].map((name) => blockNumber(dn, name)));
    const n = Math.max(...heads) + 4;
    // Every vote the victim signs from here on, across the failure and the restart (HARMONY_VOTE_LOG).
    const votes = join(dn.dir, victim, "votes.jsonl");
    const armed = dn.restartNode(victim, { HARMONY_FAILPOINT: "store-write-fail", HARMONY_FAILPOINT_HEIGHT: String(n), HARMONY_VOTE_LOG: votes });
    const exit = await within(armed.exited, 120_000, () => `${victim} did not stop on the failing store:\n${dn.log(victim)}`);
    expect(exit.signal).toBeNull();
    expect(exit.code).not.toBe(0);
    const log = dn.log(victim, 400);
    const fatalLines = log.split("\n").filter((l) => l.includes("fatal: store write failed"));
    expect(fatalLines.length).toBe(1);
    expect(fatalLines[0]).toContain("database or disk is full");
    const record = decodeSafetyRecord(new Uint8Array(readFileSync(join(dn.dir, victim, "consensus", "safety.rlp"))));
    expect(record.height).toBeLessThanOrEqual(BigInt(n));

    // 2. From its store alone (no bootnodes, another port): exactly blocks 1..n-1, the network's blocks.
    const cfg = JSON.parse(readFileSync(join(dn.dir, victim, "config.json"), "utf8")) as Record<string, unknown>;
    const port = await freePort();
    const isolatedCfg = join(dn.dir, victim, "isolated.json");
    writeFileSync(isolatedCfg, JSON.stringify({ ...cfg, bootnodes: [], port }));
    const iso = spawn(harmonyBinary(), ["node", "--config", isolatedCfg], { stdio: ["ignore", "ignore", "pipe"] });
    let isoErr = "";
    iso.stderr?.on("data", (b) => (isoErr += b));
    const isoExit = new Promise<number | null>((r) => iso.once("exit", (code) => r(code)));
    const url = `http://127.0.0.1:${port}/`;
    try {
      const head = await waitFor("the isolated restart to serve", 30_000, async () => toNumber(await rpcCall(url, "eth_blockNumber", [], 2000)));
      expect(head).toBe(n - 1);
      for (let h = 1; h <= n - 1; h++) {
        const mine = (await rpcCall(url, "eth_getBlockByNumber", [`0x${h.toString(16)}`, false], 5000)) as { hash: string };
        expect(mine.hash).toBe((await blockAt(dn, RPC, h))?.hash as string);
      }
    } finally {
      iso.kill("SIGTERM");
    }
    expect(await within(isoExit, 20_000, () => `isolated restart did not stop on SIGTERM:\n${isoErr}`)).toBe(0);

    // 3. Restart it normally: it catches up with the same blocks and signs again.
    const signedBefore = parseVoteLog(readFileSync(votes, "utf8"));
    expect(signedBefore.length).toBeGreaterThan(0);
    // Nothing it signed is above the height whose write failed.
    for (const v of signedBefore) expect(BigInt(v.height)).toBeLessThanOrEqual(BigInt(n));
    const again = dn.restartNode(victim, { HARMONY_VOTE_LOG: votes });
    const target = (await blockNumber(dn, RPC)) + 2;
    await waitFor(`${victim} to catch up to ${target}`, 90_000, async () => {
      if (again.proc.exitCode !== null || again.proc.signalCode !== null) throw new Error(`${victim} exited:\n${dn.log(victim)}`);
      return (await blockNumber(dn, victim)) >= target;
    });
    const from = await blockNumber(dn, RPC);
    await waitFor(`${victim} in a commit bitmap after block ${from}`, 90_000, async () => {
      const top = await blockNumber(dn, RPC);
      for (let h = from; h < top; h++) {
        const bm = await commitBitmapOf(dn, RPC, h);
        if (bm && slots.some((s) => bitmapHas(bm, s))) return h;
      }
      return undefined;
    }, 500);

    // 4. Nothing signed twice (its own vote log across both runs, and every node's evidence); one block
    // per height, the same on every node.
    const signed = parseVoteLog(readFileSync(votes, "utf8"));
    expect(signed.length).toBeGreaterThan(signedBefore.length);
    expect(findConflictingVotes(signed)).toEqual([]);
    for (const name of [...VALIDATORS, RPC]) {
      const offenders = await evidenceSlots(dn, name);
      for (const s of slots) expect(offenders).not.toContain(s);
    }
    const top = Math.min(...(await Promise.all([...VALIDATORS, RPC].map((x) => blockNumber(dn, x)))));
    for (let h = 1; h <= top; h++) {
      const hashes = new Set((await Promise.all([...VALIDATORS, RPC].map((x) => blockAt(dn, x, h)))).map((b) => b?.hash));
      expect(hashes.size).toBe(1);
    }
    again.proc.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  }, 400_000);
});
