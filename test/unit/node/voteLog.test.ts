// The vote log of the safety tests (HARMONY_VOTE_LOG, src/node/voteLog.ts): the exact line format the
// fault harness reads, written before the message is handed to the network, and the double-sign
// check shown to fail on a log where one key signed two blocks for one height and view.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConsensusMessage, bitmapFromSlots, createCommittee } from "../../../src/consensus/index.ts";
import { createBlock, createHeader } from "../../../src/core/index.ts";
import type { DriverNet } from "../../../src/node/driverTypes.ts";
import { type VoteLogEntry, findConflictingVotes, parseVoteLog, voteLogEntry, withVoteLog } from "../../../src/node/voteLog.ts";
import { bytesToHex } from "../../../src/util/index.ts";

const dir = mkdtempSync(join(tmpdir(), "votelog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = Array.from({ length: 4 }, (_, i) => new Uint8Array(48).fill(0xa0 + i));
const committee = createCommittee({ keys });
const hex = (k: Uint8Array) => bytesToHex(k);
const hashA = new Uint8Array(32).fill(0xaa);
const hashB = new Uint8Array(32).fill(0xbb);
const base = { height: 12n, view: 3n, signature: new Uint8Array(96) };

const prepare = (hash: Uint8Array, slots: number[], view = 3n): ConsensusMessage =>
  ({ ...base, view, kind: "prepare", blockHash: hash, signers: bitmapFromSlots(4, slots) }) as ConsensusMessage;
const commit = (hash: Uint8Array, slots: number[], view = 3n): ConsensusMessage =>
  ({ ...base, view, kind: "commit", blockHash: hash, blockView: view, signers: bitmapFromSlots(4, slots) }) as ConsensusMessage;

describe("vote log lines", () => {
  test("one JSON line per message in the fixed format, keys limited to ours, written before the send", () => {
    const path = join(dir, "order.jsonl");
    const seen: string[] = [];
    const inner: DriverNet = {
      // The line must already be on disk when the message reaches the network.
      send: (slot, m) => seen.push(`send ${slot} ${m.kind} lines=${readFileSync(path, "utf8").trim().split("\n").length}`),
      broadcast: (m) => seen.push(`broadcast ${m.kind} lines=${readFileSync(path, "utf8").trim().split("\n").length}`),
      penalize: (from, reason) => seen.push(`penalize ${from} ${reason}`),
    };
    const net = withVoteLog(inner, path, () => ({ committee, mySlots: [1, 2] }));
    net.send(0, prepare(hashA, [1, 2]));
    net.broadcast(commit(hashA, [1, 2, 3]));
    const block = createBlock(createHeader({ number: 12n, viewId: 4n }), []);
    net.broadcast({ ...base, view: 4n, kind: "newview", signers: bitmapFromSlots(4, [2]), groups: [], block: block.encode(), cert: null } as ConsensusMessage);
    net.broadcast({ ...base, view: 4n, kind: "viewchange", signers: bitmapFromSlots(4, [1]), lockHash: new Uint8Array(0), claimSignature: new Uint8Array(96), prepared: null } as ConsensusMessage);
    net.penalize("peer", "bad");
    expect(seen).toEqual(["send 0 prepare lines=1", "broadcast commit lines=2", "broadcast newview lines=3", "broadcast viewchange lines=4", "penalize peer bad"]);

    const text = readFileSync(path, "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(`{"kind":"prepare","height":"12","view":"3","blockHash":"${hex(hashA)}","keys":["${hex(keys[1]!)}","${hex(keys[2]!)}"]}`);
    // slot 3 is not ours: a leader's aggregate names others, but the log lists only what we signed
    expect(lines[1]).toBe(`{"kind":"commit","height":"12","view":"3","blockHash":"${hex(hashA)}","keys":["${hex(keys[1]!)}","${hex(keys[2]!)}"]}`);
    expect(lines[2]).toBe(`{"kind":"newview","height":"12","view":"4","blockHash":"${hex(block.hash)}","keys":["${hex(keys[2]!)}"]}`);
    expect(lines[3]).toBe(`{"kind":"viewchange","height":"12","view":"4","blockHash":null,"keys":["${hex(keys[1]!)}"]}`);
    expect(parseVoteLog(text)).toHaveLength(4);
  });

  test("a view change names its lock", () => {
    const m = { ...base, kind: "viewchange", signers: bitmapFromSlots(4, [0]), lockHash: hashB, claimSignature: new Uint8Array(96), prepared: null } as ConsensusMessage;
    expect(voteLogEntry(m, committee, [0]).blockHash).toBe(hex(hashB));
  });

  test("malformed lines are rejected with their line number", () => {
    expect(() => parseVoteLog(`{"kind":"prepare"}\n`)).toThrow(/line 1/);
    expect(() => parseVoteLog(`\nnot json\n`)).toThrow(/line 2: not JSON/);
    expect(() => parseVoteLog(`{"kind":"vote","height":"1","view":"0","blockHash":null,"keys":[]}`)).toThrow(SyntaxError);
  });
});

describe("double-sign check over a vote log", () => {
  const entry = (m: ConsensusMessage, mine: number[]): VoteLogEntry => voteLogEntry(m, committee, mine);

  test("a clean log passes: repeats, other views, other kinds, other keys", () => {
    const log = [
      entry(prepare(hashA, [1]), [1]),
      entry(prepare(hashA, [1]), [1]), // a resend of the same vote
      entry(prepare(hashB, [1], 4n), [1]), // the next view may prepare another block
      entry(prepare(hashB, [2]), [2]), // another key
      entry(commit(hashA, [1]), [1]),
      entry(commit(hashA, [1], 5n), [1]), // the lock carried into a later view
    ];
    expect(findConflictingVotes(log)).toEqual([]);
  });

  test("two PREPAREs of one key for different blocks at one height and view fail", () => {
    const log = parseVoteLog([prepare(hashA, [1, 2]), prepare(hashB, [2])].map((m) => JSON.stringify(entry(m, [1, 2]))).join("\n"));
    const found = findConflictingVotes(log);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(hex(keys[2]!));
    expect(found[0]).toContain("signed two blocks in one view");
  });

  test("COMMITs for different blocks at one height fail, in one view or across views", () => {
    expect(findConflictingVotes([entry(commit(hashA, [0]), [0]), entry(commit(hashB, [0]), [0])])).toHaveLength(1);
    const across = findConflictingVotes([entry(commit(hashA, [0]), [0]), entry(commit(hashB, [0], 6n), [0])]);
    expect(across).toHaveLength(1);
    expect(across[0]).toContain("committed to two blocks at one height");
  });

  test("a view change with and without a lock in one view fails", () => {
    const vc = (lock: Uint8Array) => ({ ...base, kind: "viewchange", signers: bitmapFromSlots(4, [3]), lockHash: lock, claimSignature: new Uint8Array(96), prepared: null }) as ConsensusMessage;
    expect(findConflictingVotes([entry(vc(new Uint8Array(0)), [3]), entry(vc(hashA), [3])])).toHaveLength(1);
  });
});
