// The status snapshot (hmy_getNodeStatus) from stub sources: signed/missed per committee key from the
// next header's commit bitmap, our keys' last signatures, finality from commit times, consensus,
// optional facts left null, and the commit clock.
import { describe, expect, test } from "bun:test";
import { createHeader, type Header } from "../../../src/core/index.ts";
import { createDriverStats } from "../../../src/node/driverStats.ts";
import type { DriverStatus } from "../../../src/node/driverTypes.ts";
import { STATUS_WINDOW, type StatusCommittee, type StatusSnapshotSources, createStatusMethods, getNodeStatus } from "../../../src/node/statusSnapshot.ts";
import { startCommitClock } from "../../../src/node/statusSnapshotSources.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";

const key = (i: number) => new Uint8Array(48).fill(i + 1);
const KEYS = [0, 1, 2, 3].map(key);
const bitmap = (...slots: number[]) => Uint8Array.of(slots.reduce((b, s) => b | (1 << s), 0));
const COMMITTEE: StatusCommittee = { epoch: 0n, committee: { keys: KEYS, size: 4 }, addresses: KEYS.map((_, i) => new Uint8Array(20).fill(0xa0 + i)), mySlots: [1] };

// Blocks 0..5 at t = 1000 + n s (genesis at 0); header n signs block n-1: slot 2 missed block 3, slot 1 (ours) missed 4.
const SIGNERS: Record<number, number[]> = { 1: [0, 1, 2, 3], 2: [0, 1, 2, 3], 3: [0, 1, 2, 3], 4: [0, 1, 3], 5: [0, 2, 3] };
function chain(): Header[] {
  return [0, 1, 2, 3, 4, 5].map((n) =>
    createHeader({ number: BigInt(n), timestamp: n === 0 ? 0n : BigInt(1000 + n), epoch: 0n, lastCommitBitmap: n === 0 ? new Uint8Array(0) : bitmap(...(SIGNERS[n] as number[])) }),
  );
}

const STATUS: DriverStatus = { started: true, validator: true, height: 6n, view: 7n, phase: "prepare", mode: "normal", leaderSlot: 3, isLeader: false, doppelganger: "clear" };

function sources(over: Partial<StatusSnapshotSources> = {}): StatusSnapshotSources {
  const headers = chain();
  const stats = createDriverStats();
  stats.blocksCommitted = 5;
  stats.viewChanges = { timeout: 2, rotation: 3, height: 9, newview: 1 };
  stats.signed[bytesToHex(key(1))] = 4;
  stats.missed[bytesToHex(key(1))] = 1;
  return {
    version: "9.9.9", networkId: 31337, shardId: 0, chainId: 31337n, epochBlocks: 32, myKeys: [key(1), key(9)],
    now: () => 1_007_500,
    head: () => headers[5] as Header,
    headerByNumber: (n) => headers[Number(n)],
    // Committed here 0.4 s after each header time, blocks 3..5 only (1 and 2 came by sync).
    committedAt: (n) => (n >= 3n ? (1000 + Number(n)) * 1000 + 400 + (n === 5n ? 200 : 0) : undefined),
    committeeAt: (e) => (e === 0n ? COMMITTEE : undefined),
    currentCommittee: () => COMMITTEE,
    beaconEpoch: () => 2n,
    consensus: () => ({ status: STATUS, stats }),
    peers: () => [{ id: "0xpeer", url: "ws://127.0.0.1:9501/p2p", direction: "outbound", score: 1.23456, head: { number: 5n }, connectedAt: 1_000_000 }],
    sync: () => ({ syncing: true, startingBlock: 0n, currentBlock: 5n, highestBlock: 105n, blocksPerSecond: 12.34567, etaSeconds: 8.1 }),
    txpool: () => ({ pending: 3, queued: 1 }),
    shards: () => [{ shardId: 1, head: headers[2] as Header }, { shardId: 0, head: headers[5] as Header }],
    ...over,
  };
}

describe("getNodeStatus", () => {
  test("committee signed/missed from the next header's bitmap; our keys' last signed block", () => {
    const s = getNodeStatus(sources());
    const c = s.committee;
    expect(c?.size).toBe(4);
    expect(c?.keys.map((k) => [k.slot, k.signed, k.missed, k.lastSigned, k.mine])).toEqual([
      [0, 5, 0, 4, false],
      [1, 4, 1, 3, true],
      [2, 4, 1, 4, false],
      [3, 5, 0, 4, false],
    ]);
    expect(c?.keys[1]?.key).toBe(bytesToHex(key(1)));
    expect(c?.keys[1]?.validator).toBe(bytesToHex(new Uint8Array(20).fill(0xa1)));
    expect(s.myKeys).toEqual([
      { key: bytesToHex(key(1)), slot: 1, lastSigned: 3, signedSinceStart: 4, missedSinceStart: 1 },
      { key: bytesToHex(key(9)), slot: null, lastSigned: null, signedSinceStart: 0, missedSinceStart: 0 },
    ]);
  });

  test("finality: intervals from local commit times where both are known, else timestamps; no interval to genesis", () => {
    const f = getNodeStatus(sources()).finality;
    expect(f.window).toBe(6);
    const rows = Object.fromEntries(f.recent.map((r) => [r.number, r]));
    expect(f.recent.map((r) => r.number)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(rows[5]).toMatchObject({ intervalSeconds: 1.2, commitDelaySeconds: 0.6, signers: null, committeeSize: 4 });
    expect(rows[4]).toMatchObject({ intervalSeconds: 1, commitDelaySeconds: 0.4, signers: 3, committeeSize: 4 });
    expect(rows[3]).toMatchObject({ intervalSeconds: 1, commitDelaySeconds: 0.4, signers: 3 });
    expect(rows[2]).toMatchObject({ intervalSeconds: 1, commitDelaySeconds: null, signers: 4 });
    expect(rows[1]).toMatchObject({ intervalSeconds: null, signers: 4 });
    expect(f.meanIntervalSeconds).toBe(1.05);
    expect(f.meanCommitDelaySeconds).toBe(0.467);
  });

  test("head, epochs, consensus, peers, sync, txpool and shards", () => {
    const s = getNodeStatus(sources());
    expect(s.head).toEqual({ number: 5, hash: bytesToHex(chain()[5]?.hash as Uint8Array), timestamp: 1005, ageSeconds: 2.5 });
    expect(s.epoch).toEqual({ current: 0, beacon: 2, blocksPerEpoch: 32 });
    expect(s.consensus).toEqual({
      mode: "normal", phase: "prepare", viewId: 7, leaderSlot: 3, leaderKey: bytesToHex(key(3)), isLeader: false, blocksCommitted: 5,
      viewsEntered: { timeout: 2, rotation: 3, height: 9, newview: 1 }, viewChangesTotal: 3,
    });
    expect(s.peers).toEqual({ count: 1, list: [{ id: "0xpeer", url: "ws://127.0.0.1:9501/p2p", direction: "outbound", score: 1.235, head: 5, connectedSeconds: 8 }] });
    expect(s.sync).toEqual({ syncing: true, startingBlock: 0, currentBlock: 5, highestBlock: 105, blocksPerSecond: 12.346, etaSeconds: 8 });
    expect(s.txpool).toEqual({ pending: 3, queued: 1 });
    expect(s.shards).toEqual([{ shardId: 0, head: 5, epoch: 0, home: true }, { shardId: 1, head: 2, epoch: 0, home: false }]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  test("a node without consensus or committees (--dev) and failing optional facts: null, not an error", () => {
    const s = getNodeStatus(sources({
      consensus: undefined, committeeAt: () => undefined,
      currentCommittee: () => {
        throw new Error("epoch 0 has no committee for shard 0");
      },
      staking: () => {
        throw new Error("store closed");
      },
    }));
    expect(s.consensus).toBeNull();
    expect(s.committee).toBeNull();
    expect(s.staking).toBeNull();
    expect(s.crossLinks).toBeNull();
    expect(s.cxPending).toBeNull();
    expect(s.finality.recent.every((r) => r.signers === null)).toBe(true);
    expect(s.myKeys[0]?.slot).toBeNull();
  });

  test("crosslinks, cx pending and staking when the node has them", () => {
    const staking = { epoch: 3, totalStaked: "40000.000000000000000000", totalSupply: "1.5", validatorsElected: 4, epochLastBlock: 127 };
    const s = getNodeStatus(sources({ crossLinks: () => [{ shardId: 1, blockNumber: 9n, epoch: 1n }], cxPending: () => 2, staking: () => staking }));
    expect(s.crossLinks).toEqual([{ shardId: 1, blockNumber: 9, epoch: 1 }]);
    expect(s.cxPending).toBe(2);
    expect(s.staking).toEqual(staking);
  });

  test("the window stops at genesis and counts at most STATUS_WINDOW blocks back", () => {
    const many = Array.from({ length: 100 }, (_, n) => createHeader({ number: BigInt(n), timestamp: BigInt(n), lastCommitBitmap: bitmap(0) }));
    const s = getNodeStatus(sources({ head: () => many[99] as Header, headerByNumber: (n) => many[Number(n)], committedAt: () => undefined }));
    expect(s.finality.window).toBe(STATUS_WINDOW + 1);
    expect(s.committee?.keys[0]?.signed).toBe(STATUS_WINDOW);
    expect(s.committee?.keys[1]?.missed).toBe(STATUS_WINDOW);
  });

  test("hmy_getNodeStatus takes no params", () => {
    const m = createStatusMethods(sources());
    const call = m.hmy_getNodeStatus as (p: unknown[], ctx: never) => unknown;
    expect((call([], undefined as never) as { head: { number: number } }).head.number).toBe(5);
    expect(() => call([1], undefined as never)).toThrow(/takes no params/);
  });
});

describe("startCommitClock", () => {
  test("records when each head arrived and keeps the last few", () => {
    const listeners: ((h: Header) => void)[] = [];
    let now = 500;
    const clock = startCommitClock({ on: (_e: "head", fn: (h: Header) => void) => (listeners.push(fn), () => listeners.splice(0)) } as never, () => now, 3);
    for (let n = 1; n <= 5; n++) {
      now += 1000;
      for (const l of listeners) l(createHeader({ number: BigInt(n) }));
    }
    expect([1n, 2n, 3n, 4n, 5n].map((n) => clock.committedAt(n))).toEqual([undefined, undefined, 3500, 4500, 5500]);
    clock.stop();
    expect(listeners).toHaveLength(0);
  });
});
