/**
 * Wire codec of the FBFT messages: `rlp([kind, height, view, signers, signature, …fields])` with
 * kind 1..7 in the order ANNOUNCE, PREPARE, PREPARED, COMMIT, COMMITTED, VIEWCHANGE, NEWVIEW. Decoding
 * is strict (canonical integers, exact lengths, bounded sizes, no trailing bytes) so that one message
 * has one encoding; anything else is a {@link ConsensusError} MESSAGE_MALFORMED with action REJECT.
 */
import { SIGNATURE_LENGTH } from "../crypto/index.ts";
import { bitmapLength } from "./bitmap.ts";
import { MAX_COMMITTEE_SIZE } from "./committee.ts";
import { malformedMessage } from "./errors.ts";
import type { AggregateProof, ConsensusMessage, MessageKind, PreparedProof, ViewChangeGroup } from "./messages.ts";
import { HASH_LENGTH } from "./payload.ts";
import { type Item, boundedBytes, bytes, decodeItem, encodeItem, list, uint, uint64 } from "./_rlp.ts";

/** Largest encoded message accepted (a block plus proofs). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Most M3 groups in a NEWVIEW. */
export const MAX_VIEWCHANGE_GROUPS = 256;

const MAX_BITMAP_BYTES = bitmapLength(MAX_COMMITTEE_SIZE);
const KINDS: readonly MessageKind[] = ["announce", "prepare", "prepared", "commit", "committed", "viewchange", "newview"];
const SIG = [SIGNATURE_LENGTH];
const HASH = [HASH_LENGTH];

function proofItem(p: AggregateProof): Item {
  return [p.signature, p.bitmap];
}

function fieldsOf(m: ConsensusMessage): Item[] {
  switch (m.kind) {
    case "announce":
      return [m.blockHash, m.block];
    case "prepare":
      return [m.blockHash];
    case "prepared":
      return [m.blockHash, m.block, proofItem(m.cert)];
    case "commit":
      return [m.blockHash, uint(m.blockView)];
    case "committed":
      return [m.blockHash, uint(m.blockView), proofItem(m.cert)];
    case "viewchange":
      return [m.lockHash, m.claimSignature, m.prepared ? [m.prepared.block, proofItem(m.prepared.cert)] : []];
    case "newview":
      return [m.groups.map((g) => [g.lockHash, g.signature, g.bitmap]), m.block, m.cert ? proofItem(m.cert) : []];
  }
}

function encodeWith(m: ConsensusMessage, signature: Uint8Array): Uint8Array {
  const kind = Uint8Array.of(KINDS.indexOf(m.kind) + 1);
  return encodeItem([kind, uint(m.height), uint(m.view), m.signers, signature, ...fieldsOf(m)]);
}

/**
 * The wire bytes of a message.
 * @throws {RangeError} when an integer is outside uint64.
 */
export function encodeConsensusMessage(m: ConsensusMessage): Uint8Array {
  return encodeWith(m, m.signature);
}

/**
 * The bytes a self-signed message (ANNOUNCE, PREPARED, COMMITTED, VIEWCHANGE, NEWVIEW) is signed
 * over: its encoding with the signature field empty.
 * @throws {RangeError} when an integer is outside uint64.
 */
export function signingBytes(m: ConsensusMessage): Uint8Array {
  return encodeWith(m, new Uint8Array(0));
}

function proof(item: Item | undefined, field: string): AggregateProof {
  const [sig, bitmap] = list(item, field, 2);
  return { signature: bytes(sig, `${field}.signature`, SIG), bitmap: boundedBytes(bitmap, `${field}.bitmap`, 1, MAX_BITMAP_BYTES) };
}

function block(item: Item | undefined, field: string): Uint8Array {
  return boundedBytes(item, field, 1, MAX_MESSAGE_BYTES);
}

function prepared(item: Item | undefined): PreparedProof | null {
  const l = list(item, "viewchange.prepared");
  if (l.length === 0) return null;
  if (l.length !== 2) throw malformedMessage("viewchange.prepared: expected 0 or 2 items");
  return { block: block(l[0], "viewchange.prepared.block"), cert: proof(l[1], "viewchange.prepared.cert") };
}

function groups(item: Item | undefined): ViewChangeGroup[] {
  const l = list(item, "newview.groups");
  if (l.length === 0 || l.length > MAX_VIEWCHANGE_GROUPS) throw malformedMessage(`newview.groups: ${l.length} groups, expected 1..${MAX_VIEWCHANGE_GROUPS}`);
  return l.map((g, i) => {
    const [lockHash, sig, bitmap] = list(g, `newview.groups[${i}]`, 3);
    return {
      lockHash: bytes(lockHash, `newview.groups[${i}].lockHash`, [0, HASH_LENGTH]),
      signature: bytes(sig, `newview.groups[${i}].signature`, SIG),
      bitmap: boundedBytes(bitmap, `newview.groups[${i}].bitmap`, 1, MAX_BITMAP_BYTES),
    };
  });
}

/**
 * Decode wire bytes into a frozen message.
 * @throws {ConsensusError} MESSAGE_MALFORMED (action REJECT) on anything but a canonical encoding.
 */
export function decodeConsensusMessage(wire: Uint8Array): ConsensusMessage {
  if (!(wire instanceof Uint8Array)) throw new TypeError("decodeConsensusMessage: expected Uint8Array");
  if (wire.length > MAX_MESSAGE_BYTES) throw malformedMessage(`${wire.length} bytes exceed ${MAX_MESSAGE_BYTES}`);
  const top = list(decodeItem(wire, "message"), "message");
  const kindBytes = bytes(top[0], "kind", [1]);
  const kind = KINDS[(kindBytes[0] as number) - 1];
  if (!kind) throw malformedMessage(`unknown kind ${kindBytes[0]}`);
  const arity: Record<MessageKind, number> = { announce: 2, prepare: 1, prepared: 3, commit: 2, committed: 3, viewchange: 3, newview: 3 };
  if (top.length !== 5 + arity[kind]) throw malformedMessage(`${kind}: expected ${5 + arity[kind]} items, got ${top.length}`);
  const base = {
    height: uint64(top[1], `${kind}.height`),
    view: uint64(top[2], `${kind}.view`),
    signers: boundedBytes(top[3], `${kind}.signers`, 1, MAX_BITMAP_BYTES),
    signature: bytes(top[4], `${kind}.signature`, SIG),
  };
  const f = top.slice(5);
  const hash = () => bytes(f[0], `${kind}.blockHash`, HASH);
  let m: ConsensusMessage;
  switch (kind) {
    case "announce":
      m = { kind, ...base, blockHash: hash(), block: block(f[1], "announce.block") };
      break;
    case "prepare":
      m = { kind, ...base, blockHash: hash() };
      break;
    case "prepared":
      m = { kind, ...base, blockHash: hash(), block: block(f[1], "prepared.block"), cert: proof(f[2], "prepared.cert") };
      break;
    case "commit":
      m = { kind, ...base, blockHash: hash(), blockView: uint64(f[1], "commit.blockView") };
      break;
    case "committed":
      m = { kind, ...base, blockHash: hash(), blockView: uint64(f[1], "committed.blockView"), cert: proof(f[2], "committed.cert") };
      break;
    case "viewchange": {
      const lockHash = bytes(f[0], "viewchange.lockHash", [0, HASH_LENGTH]);
      const p = prepared(f[2]);
      if ((lockHash.length === 0) !== (p === null)) throw malformedMessage("viewchange: M1 present exactly when a lock is claimed");
      m = { kind, ...base, lockHash, claimSignature: bytes(f[1], "viewchange.claimSignature", SIG), prepared: p };
      break;
    }
    case "newview": {
      const c = list(f[2], "newview.cert");
      m = { kind, ...base, groups: groups(f[0]), block: block(f[1], "newview.block"), cert: c.length === 0 ? null : proof(c, "newview.cert") };
      break;
    }
  }
  return Object.freeze(m);
}
