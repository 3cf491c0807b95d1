/**
 * Double-sign evidence seen by the consensus driver (DESIGN §Consensus, §Slashing): kept in memory
 * for RPC and metrics and written to the store (`nE ‖ height(8) ‖ view(8) ‖ seq(4)` → RLP), so it
 * outlives a restart until staking's slashing consumes it.
 */
import { RLP } from "@ethereumjs/rlp";
import type { DoubleSignEvidence, SignedVote } from "../consensus/index.ts";
import { bigintToBytes, bytesToBigint } from "../core/index.ts";
import type { KVStore } from "../store/index.ts";
import { bytesToHex } from "../util/bytes.ts";

const PREFIX = new TextEncoder().encode("nE");
const MAX_IN_MEMORY = 1024;

/** Evidence kept by a node. */
export interface EvidenceStore {
  /** Keep a piece of evidence (in memory and, with a store, durably). Duplicates are ignored. */
  add(e: DoubleSignEvidence): boolean;
  /** Everything kept, oldest first. */
  list(): readonly DoubleSignEvidence[];
  readonly size: number;
}

function voteItem(v: SignedVote): Uint8Array[] {
  return [v.blockHash, v.blockView === null ? new Uint8Array(0) : Uint8Array.of(1, ...bigintToBytes(v.blockView)), v.signers, v.signature];
}

function voteOf(item: Uint8Array[]): SignedVote {
  const [blockHash, view, signers, signature] = item as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return { blockHash, blockView: view.length === 0 ? null : bytesToBigint(view.subarray(1)), signers, signature };
}

/** RLP of a piece of evidence. */
export function encodeEvidence(e: DoubleSignEvidence): Uint8Array {
  return RLP.encode([new TextEncoder().encode(e.phase), bigintToBytes(e.height), bigintToBytes(e.view), e.slots.map((s) => bigintToBytes(BigInt(s))), voteItem(e.first), voteItem(e.second)]);
}

/** Inverse of {@link encodeEvidence}. @throws {SyntaxError} on bytes that are not evidence. */
export function decodeEvidence(b: Uint8Array): DoubleSignEvidence {
  const l = RLP.decode(b) as unknown as [Uint8Array, Uint8Array, Uint8Array, Uint8Array[], Uint8Array[], Uint8Array[]];
  if (!Array.isArray(l) || l.length !== 6) throw new SyntaxError("evidence: expected 6 items");
  const phase = new TextDecoder().decode(l[0]);
  if (phase !== "prepare" && phase !== "commit") throw new SyntaxError(`evidence: phase ${phase}`);
  return { phase, height: bytesToBigint(l[1]), view: bytesToBigint(l[2]), slots: l[3].map((s) => Number(bytesToBigint(s))), first: voteOf(l[4]), second: voteOf(l[5]) };
}

function keyOf(e: DoubleSignEvidence, seq: number): Uint8Array {
  const k = new Uint8Array(PREFIX.length + 20);
  k.set(PREFIX, 0);
  const v = new DataView(k.buffer);
  v.setBigUint64(PREFIX.length, e.height);
  v.setBigUint64(PREFIX.length + 8, e.view);
  v.setUint32(PREFIX.length + 16, seq);
  return k;
}

/** Evidence in memory, persisted in `kv` when given (and loaded from it). */
export function createEvidenceStore(kv?: Pick<KVStore, "put" | "iterate">): EvidenceStore {
  const items: DoubleSignEvidence[] = [];
  const seen = new Set<string>();
  const id = (e: DoubleSignEvidence) => `${e.phase}:${e.height}:${e.view}:${bytesToHex(e.first.signature)}:${bytesToHex(e.second.signature)}`;
  let seq = 0;
  if (kv !== undefined) {
    for (const [, v] of kv.iterate({ prefix: PREFIX })) {
      try {
        const e = decodeEvidence(v);
        seen.add(id(e));
        items.push(e);
        seq++;
      } catch {
        // Unreadable entries are skipped; evidence is advisory until slashing exists.
      }
    }
    items.splice(0, Math.max(0, items.length - MAX_IN_MEMORY));
  }
  return {
    add(e) {
      const k = id(e);
      if (seen.has(k)) return false;
      seen.add(k);
      items.push(e);
      if (items.length > MAX_IN_MEMORY) items.shift();
      kv?.put(keyOf(e, seq++), encodeEvidence(e));
      return true;
    },
    list: () => [...items],
    get size() {
      return items.length;
    },
  };
}

/** JSON of a piece of evidence (hmy_getDoubleSignEvidence). */
export function evidenceToJSON(e: DoubleSignEvidence): Record<string, unknown> {
  const vote = (v: SignedVote) => ({ blockHash: bytesToHex(v.blockHash), blockView: v.blockView === null ? null : `0x${v.blockView.toString(16)}`, signers: bytesToHex(v.signers), signature: bytesToHex(v.signature) });
  return { phase: e.phase, height: `0x${e.height.toString(16)}`, view: `0x${e.view.toString(16)}`, slots: [...e.slots], first: vote(e.first), second: vote(e.second) };
}
