// Issue 8 acceptance 3 on real processes: a hostile peer with no stake races the honest votes of every
// round to the leader with forged direct votes (bad signature, claiming just under a quorum of slots).
// Over 30 blocks of a 4-validator devnet no validator changes view because of it, and the forger is
// disconnected.
//
// What makes this meaningful: an invalid frame costs its sender a score penalty, so a single identity
// is cut off after a few forged frames and could not keep attacking. The forger therefore plays the
// strong attacker — an unbounded supply of fresh node keys: it keeps several attacking identities
// connected to the current leader, replaces every one that gets disconnected with a new key, and for
// each phase of each round sends a burst of forged votes spread over the window in which the honest
// votes arrive, every one claiming the slots of two non-leader validators (only the first round after
// a leader change may go unattacked while new identities connect). A leader that booked slots for
// unverified votes, or let one forged vote shut out honest votes for its slots, loses rounds to view
// changes here: the binary before this fix changed view 22–27 times per validator in this test.
// A separate watcher identity that never misbehaves learns the rounds from the ANNOUNCE and PREPARED
// gossip (and stays connected, which shows the cut-offs are aimed at the forger only).
import { afterAll, describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import {
  type Commit, type ConsensusMessage, type Prepare, bitmapFromSlots, commitPayload, coreBlockCodec, decodeConsensusMessage, encodeConsensusMessage, preparePayload, slotsOfBitmap,
} from "../../src/consensus/index.ts";
import { createBLS } from "../../src/crypto/index.ts";
import { IDENTITY_TOPIC } from "../../src/node/index.ts";
import { Topic, ValidationResult } from "../../src/p2p/index.ts";
import { bytesToHex, hexToBytes } from "../../src/util/index.ts";
import { type TestNode, startNode, stopAll as stopP2PNodes } from "../unit/p2p/_harness.ts";
import { type TestDevnet, blockAt, blockNumber, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  await stopP2PNodes();
  if (d) await d.stop();
  stopAllDevnets();
});

const VALIDATORS = ["node0", "node1", "node2", "node3"];
const ATTACKERS = 4;
/** Offsets (ms after the leader's message is seen) of the forged votes of one phase. */
const BURST_MS = [0, 5, 15, 30, 60];

/** Failed views a node went through (timeouts, joined view changes, NEWVIEWs) per /metrics. */
async function failedViews(dn: TestDevnet, name: string): Promise<number> {
  const text = await fetch(`${dn.node(name).rpc}metrics`).then((r) => r.text());
  let n = 0;
  for (const m of text.matchAll(/^harmony_consensus_view_changes_total\{reason="(timeout|join|newview)",shard="\d+"\}\s+(\d+)/gm)) n += Number(m[2]);
  return n;
}

describe("forged direct votes", () => {
  test("a forger racing every honest vote causes no view change over 30 blocks and is disconnected", async () => {
    // One long epoch: the committee keeps the genesis order (slot i is node i) for the whole test.
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, extraArgs: ["--epoch-blocks", "1000"] });
    const dn = d;
    await waitForHeight(dn, "node4", 2, 60_000);
    const genesisHash = hexToBytes(String((await blockAt(dn, "node4", 0))?.hash));
    const networkId = dn.manifest().networkId;
    const urls = VALIDATORS.map((n) => `${dn.node(n).rpc.replace(/^http/, "ws")}p2p`);
    const bls = await createBLS("native");
    const forgerKey = bls.keygen(crypto.getRandomValues(new Uint8Array(32)));
    // Node-like timers: the test's peers share the machine's two cores with the devnet.
    const p2pOpts = { networkId, genesisHash, bootnodes: urls, maxMessageBytes: 16 * 1024 * 1024 + 64 * 1024, gossip: { heartbeatMs: 700 }, statusIntervalMs: 2000 };

    // Slot → peer id, from the validators' signed identity bindings of their keys (trusted here: test side).
    const committeeKeys = VALIDATORS.flatMap((n) => dn.node(n).blsKeys.map((k) => k.toLowerCase()));
    const slotPeer = new Map<number, string>();
    const learnSlots = (node: TestNode) =>
      node.p2p.subscribe(IDENTITY_TOPIC, (msg, from) => {
        const [keys] = RLP.decode(msg.data) as unknown as [Uint8Array[], Uint8Array];
        for (const k of keys) {
          const slot = committeeKeys.indexOf(bytesToHex(k));
          if (slot >= 0) slotPeer.set(slot, from);
        }
        return ValidationResult.IGNORE;
      });

    // Attacking identities: each forged frame costs the sender; one that gets disconnected is replaced
    // by a new key. They connect to the current leader only (devnet slot i is node i) and only send
    // (no gossip subscription), so what the validators spend on them is the attack itself: the
    // connections and the rejected frames.
    let disconnects = 0;
    let leaderNow = 0;
    const attackers: { node: TestNode; target: number }[] = [];
    const spawnAttacker = async (target: number): Promise<void> => {
      const node = await startNode({ ...p2pOpts, bootnodes: [urls[target] as string], maxPeers: 1 });
      const entry = { node, target };
      node.p2p.on("peer:disconnect", () => {
        const i = attackers.indexOf(entry);
        if (i < 0) return;
        disconnects++;
        attackers.splice(i, 1);
        void node.stop();
        void spawnAttacker(leaderNow);
      });
      attackers.push(entry);
    };
    const retarget = (leader: number) => {
      if (leader === leaderNow) return;
      leaderNow = leader;
      for (const e of attackers.splice(0)) void e.node.stop();
      for (let i = 0; i < ATTACKERS; i++) void spawnAttacker(leader);
    };
    for (let i = 0; i < ATTACKERS; i++) await spawnAttacker(leaderNow);

    let forgedSent = 0;
    const rounds = new Set<string>();
    let turn = 0;
    const forge = (m: Prepare | Commit, leaderSlot: number) => {
      const others = [0, 1, 2, 3].filter((s) => s !== leaderSlot);
      BURST_MS.forEach((delay, k) => {
        setTimeout(() => {
          // Two of the three non-leader slots (3 of 4 is the quorum): each honest voter is shadowed.
          const claim = others.filter((_, j) => j !== (turn + k) % 3);
          // A real signature over the vote's payload by a key outside the committee: parses, fails to verify.
          const signature = bls.sign(forgerKey, m.kind === "prepare" ? preparePayload(m.blockHash) : commitPayload(m.height, m.blockHash, m.blockView));
          const bytes = encodeConsensusMessage({ ...m, signers: bitmapFromSlots(4, claim), signature });
          const leader = slotPeer.get(leaderSlot);
          const ready = attackers.filter((e) => e.target === leaderSlot && e.node.p2p.peerCount() > 0);
          const a = ready[(turn + k) % Math.max(1, ready.length)]?.node;
          const ok = leader !== undefined && a?.p2p.sendTo(leader as `0x${string}`, Topic.CONSENSUS, bytes) === true;
          trace.push(`${new Date().toISOString().slice(11, 23)} forged ${m.kind} ${m.height}:${m.view} slots ${claim} to slot ${leaderSlot}: ${ok ? "sent" : "not sent"}`);
          if (ok) {
            forgedSent++;
            rounds.add(`${m.height}`);
          }
        }, delay);
      });
      turn++;
    };

    // The watcher follows the rounds through gossip and never sends anything.
    const watcher = await startNode(p2pOpts);
    learnSlots(watcher);
    const seen = new Set<string>();
    const trace: string[] = [];
    watcher.p2p.subscribe(Topic.CONSENSUS, (msg) => {
      let m: ConsensusMessage;
      try {
        m = decodeConsensusMessage(msg.data);
      } catch {
        return ValidationResult.IGNORE;
      }
      const key = `${m.kind}:${m.height}:${m.view}`;
      if ((m.kind !== "announce" && m.kind !== "prepared") || seen.has(key)) return ValidationResult.IGNORE;
      seen.add(key);
      trace.push(`${new Date().toISOString().slice(11, 23)} saw ${key} from slot ${slotsOfBitmap(m.signers)[0]}`);
      const leaderSlot = slotsOfBitmap(m.signers)[0] as number;
      retarget(leaderSlot);
      const base = { height: m.height, view: m.view, blockHash: m.blockHash, signers: new Uint8Array(1), signature: new Uint8Array(96) };
      if (m.kind === "announce") forge({ kind: "prepare", ...base }, leaderSlot);
      else forge({ kind: "commit", ...base, blockView: coreBlockCodec.decodeBlockInfo(m.block).viewId }, leaderSlot);
      return ValidationResult.IGNORE;
    });
    await waitFor("the watcher in the consensus gossip", 20_000, () => seen.size > 0);

    const before = await Promise.all(VALIDATORS.map((n) => failedViews(dn, n)));
    const start = await blockNumber(dn, "node4");
    const startForged = forgedSent;
    const startRounds = rounds.size;
    const end = await waitForHeight(dn, "node4", start + 30, 120_000);
    const after = await Promise.all(VALIDATORS.map((n) => failedViews(dn, n)));

    // The attack ran all along: forged votes reached the leaders in (nearly) every round.
    expect(forgedSent - startForged).toBeGreaterThan(60);
    expect(rounds.size - startRounds).toBeGreaterThanOrEqual(25);
    // Not one view change on any validator, and all agree on the 30 blocks.
    // On failure, each node's log tail shows whether the views failed to the attack or to a starved
    // machine (event loop lag lines; the random beacon's VDF evaluation also competes for the cores).
    const changed = after.map((a, i) => a - (before[i] as number));
    VALIDATORS.forEach((n, i) => {
      if (changed[i] !== 0) console.error(`${n} changed view ${changed[i]} times; its log:\n${dn.log(n, 4000).split("\n").filter((l) => !/peer disconnected for its score/.test(l)).slice(-60).join("\n")}`);
    });
    if (changed.some((c) => c !== 0)) console.error(trace.slice(-200).join("\n"));
    expect(changed).toEqual([0, 0, 0, 0]);
    for (let h = start; h <= end - 1; h++) {
      const hashes = new Set(await Promise.all(VALIDATORS.map(async (n) => (await blockAt(dn, n, h))?.hash)));
      expect(hashes.size).toBe(1);
    }
    // The forger was cut off (many times over, one identity after the other); the watcher never was.
    expect(disconnects).toBeGreaterThan(0);
    const cutOffs = VALIDATORS.map((n) => dn.log(n, 100_000).split("\n").filter((l) => /peer disconnected for its score.*invalid consensus message/.test(l)).length);
    expect(cutOffs.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(watcher.p2p.peerCount()).toBeGreaterThanOrEqual(VALIDATORS.length);
  }, 300_000);
});
