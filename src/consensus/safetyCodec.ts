/**
 * Bytes of a {@link SafetyRecord} for the driver's durable store:
 * `rlp([version, height, view, prepare, commit, viewChange, lock])`, absent entries as empty lists.
 */
import { ConsensusError, ConsensusErrorCode } from "./errors.ts";
import type { SafetyRecord } from "./safety.ts";
import { type Item, boundedBytes, bytes, decodeItem, encodeItem, list, uint, uint64 } from "./_rlp.ts";

const VERSION = Uint8Array.of(1);

/** Encode a safety record. */
export function encodeSafetyRecord(r: SafetyRecord): Uint8Array {
  const opt = (x: Item[] | null): Item => x ?? [];
  return encodeItem([
    VERSION,
    uint(r.height),
    uint(r.view),
    opt(r.prepare && [uint(r.prepare.view), r.prepare.hash]),
    opt(r.commit && [uint(r.commit.view), r.commit.hash, uint(r.commit.blockView)]),
    opt(r.viewChange && [uint(r.viewChange.view), r.viewChange.lockHash]),
    opt(r.lock && [r.lock.block, [r.lock.cert.signature, r.lock.cert.bitmap]]),
  ]);
}

/**
 * Decode a stored safety record.
 * @throws {ConsensusError} SAFETY_RECORD_CORRUPT when the bytes are not one.
 */
export function decodeSafetyRecord(b: Uint8Array): SafetyRecord {
  try {
    const top = list(decodeItem(b, "safety record"), "safety record", 7);
    if (bytes(top[0], "version", [1])[0] !== 1) throw new SyntaxError("unknown safety record version");
    const opt = <T>(item: Item | undefined, n: number, f: (l: Item[]) => T): T | null => {
      const l = list(item, "entry");
      if (l.length === 0) return null;
      if (l.length !== n) throw new SyntaxError(`entry of ${l.length} items, expected ${n}`);
      return f(l);
    };
    return Object.freeze({
      height: uint64(top[1], "height"),
      view: uint64(top[2], "view"),
      prepare: opt(top[3], 2, (l) => ({ view: uint64(l[0], "prepare.view"), hash: bytes(l[1], "prepare.hash", [32]) })),
      commit: opt(top[4], 3, (l) => ({ view: uint64(l[0], "commit.view"), hash: bytes(l[1], "commit.hash", [32]), blockView: uint64(l[2], "commit.blockView") })),
      viewChange: opt(top[5], 2, (l) => ({ view: uint64(l[0], "viewChange.view"), lockHash: bytes(l[1], "viewChange.lockHash", [0, 32]) })),
      lock: opt(top[6], 2, (l) => {
        const [sig, bitmap] = list(l[1], "lock.cert", 2);
        return { block: boundedBytes(l[0], "lock.block", 1, 1 << 30), cert: { signature: bytes(sig, "lock.cert.signature", [96]), bitmap: boundedBytes(bitmap, "lock.cert.bitmap", 1, 1024) } };
      }),
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConsensusError({ code: ConsensusErrorCode.SAFETY_RECORD_CORRUPT, reason }, `corrupt safety record: ${reason}`);
  }
}
