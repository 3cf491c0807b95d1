/**
 * Test switch, next to the fail points of failpoint.ts: with `HARMONY_VOTE_LOG=<file>` in its
 * environment a validator appends one JSON line per signed consensus message it sends, after the
 * safety record covering it is durable (the driver persists before it sends) and before the message
 * leaves, synchronously, so the line survives a SIGKILL that follows (the kernel holds the write):
 *
 *   {"kind":"prepare"|"commit"|"viewchange"|"newview"|"announce"|"prepared"|"committed",
 *    "height":"<dec>","view":"<dec>","blockHash":"0x…"|null,"keys":["0x<bls pubkey hex>",…]}
 *
 * `blockHash` is the block the message signs for (a VIEWCHANGE's lock, null without one; a NEWVIEW's
 * block); `keys` are this node's keys that signed it. Safety tests and the fault harness read the file
 * back and look for two lines that sign different blocks for one key, kind, height and view
 * ({@link findConflictingVotes}).
 */
import { appendFileSync } from "node:fs";
import { type Committee, type ConsensusMessage, coreBlockCodec, slotsOfBitmap } from "../consensus/index.ts";
import { bytesToHex } from "../util/bytes.ts";
import type { DriverNet } from "./driverTypes.ts";

/** One line of a vote log. */
export interface VoteLogEntry {
  readonly kind: ConsensusMessage["kind"];
  readonly height: string;
  readonly view: string;
  readonly blockHash: string | null;
  readonly keys: readonly string[];
}

const KINDS: ReadonlySet<string> = new Set(["prepare", "commit", "viewchange", "newview", "announce", "prepared", "committed"]);

/** The hash a message signs for, as the log names it. */
function signedHash(m: ConsensusMessage): string | null {
  switch (m.kind) {
    case "viewchange":
      return m.lockHash.length === 0 ? null : bytesToHex(m.lockHash);
    case "newview":
      try {
        return m.block.length === 0 ? null : bytesToHex(coreBlockCodec.decodeBlockInfo(m.block).hash);
      } catch {
        return null;
      }
    default:
      return bytesToHex(m.blockHash);
  }
}

const EMPTY: Committee = { keys: [], power: [], validators: [], totalPower: 0n, size: 0, bitmapBytes: 0 };

/** The log entry of `message`, signed by those of `mySlots` its signer bitmap names. */
export function voteLogEntry(message: ConsensusMessage, committee: Committee, mySlots: readonly number[]): VoteLogEntry {
  const keys = slotsOfBitmap(message.signers)
    .filter((s) => mySlots.includes(s) && s < committee.size)
    .map((s) => bytesToHex(committee.keys[s] as Uint8Array));
  return { kind: message.kind, height: message.height.toString(), view: message.view.toString(), blockHash: signedHash(message), keys };
}

/**
 * `net` that first appends each message it is given to the vote log at `path` (see the module
 * comment). @throws the file system's error when the line cannot be written: the message is not sent.
 */
export function withVoteLog(net: DriverNet, path: string, committeeAt: (height: bigint) => { committee: Committee; mySlots: readonly number[] } | undefined): DriverNet {
  const record = (m: ConsensusMessage) => {
    const c = committeeAt(m.height);
    appendFileSync(path, `${JSON.stringify(voteLogEntry(m, c?.committee ?? EMPTY, c?.mySlots ?? []))}\n`);
  };
  return {
    send: (slot, m) => {
      record(m);
      net.send(slot, m);
    },
    broadcast: (m) => {
      record(m);
      net.broadcast(m);
    },
    penalize: (from, reason) => net.penalize(from, reason),
  };
}

/**
 * Parse a vote log (blank lines skipped).
 * @throws {SyntaxError} naming the line when one is not an entry of the format above.
 */
export function parseVoteLog(text: string): VoteLogEntry[] {
  const out: VoteLogEntry[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      throw new SyntaxError(`vote log line ${i + 1}: not JSON`);
    }
    const v = e as Record<string, unknown>;
    const ok = typeof v === "object" && v !== null && KINDS.has(v.kind as string) && typeof v.height === "string" && /^\d+$/.test(v.height) &&
      typeof v.view === "string" && /^\d+$/.test(v.view) && (v.blockHash === null || (typeof v.blockHash === "string" && /^0x[0-9a-f]*$/.test(v.blockHash))) &&
      Array.isArray(v.keys) && v.keys.every((k) => typeof k === "string" && /^0x[0-9a-f]{96}$/.test(k));
    if (!ok) throw new SyntaxError(`vote log line ${i + 1}: not a vote entry: ${line.slice(0, 200)}`);
    out.push(v as unknown as VoteLogEntry);
  }
  return out;
}

const LOCK_RULE = "committed to two blocks at one height";

/**
 * Double signs in a vote log: pairs of entries where one key signed different blocks for one kind,
 * height and view, and (the lock rule of DESIGN §Consensus) COMMITs for different blocks at one height
 * in any views. Returns one description per conflict; empty when the log is clean.
 */
export function findConflictingVotes(entries: readonly VoteLogEntry[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, VoteLogEntry>();
  const check = (slotKey: string, key: string, e: VoteLogEntry, rule: string) => {
    const prev = seen.get(slotKey);
    if (prev === undefined) seen.set(slotKey, e);
    // A commit conflict within one view is already reported by the per-view rule.
    else if (prev.blockHash !== e.blockHash && !(rule === LOCK_RULE && prev.view === e.view)) {
      out.push(`${key} ${rule}: ${e.kind} at height ${e.height} view ${prev.view} for ${prev.blockHash} and view ${e.view} for ${e.blockHash}`);
    }
  };
  for (const e of entries) {
    for (const key of e.keys) {
      check(`${key}|${e.kind}|${e.height}|${e.view}`, key, e, "signed two blocks in one view");
      if (e.kind === "commit") check(`${key}|lock|${e.height}`, key, e, LOCK_RULE);
    }
  }
  return out;
}
