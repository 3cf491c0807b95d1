// DESIGN §Consensus safety record: never sign conflicting messages at one (height, view), never
// commit two blocks at one height, never sign for a lower view; the record survives as bytes.
import { describe, expect, test } from "bun:test";
import {
  ConsensusError, ConsensusErrorCode, checkCommit, checkPrepare, checkViewChange, createSafetyRecord, decodeSafetyRecord, encodeSafetyRecord, lockHashAt,
  recordCommit, recordPrepare, recordViewChange,
} from "../../../src/consensus/index.ts";
import { bytes } from "./_fixtures.ts";

const a = bytes(32, 1);
const b = bytes(32, 2);
const proof = { block: bytes(60, 3), cert: { signature: bytes(96, 4), bitmap: Uint8Array.of(7) } };

describe("safety record", () => {
  test("one PREPARE per (height, view)", () => {
    const r = recordPrepare(createSafetyRecord(10n, 3n), 10n, 3n, a);
    expect(checkPrepare(r, 10n, 3n, a)).toBeNull();
    expect(checkPrepare(r, 10n, 3n, b)).toBe("CONFLICTING_PREPARE");
    expect(checkPrepare(r, 10n, 4n, b)).toBeNull();
    expect(checkPrepare(r, 11n, 3n, b)).toBeNull();
    expect(() => recordPrepare(r, 10n, 3n, b)).toThrow(Error);
  });

  test("never below a signed view", () => {
    const r = recordPrepare(createSafetyRecord(10n, 3n), 10n, 5n, a);
    expect(checkPrepare(r, 10n, 4n, a)).toBe("LOWER_VIEW");
    expect(checkCommit(r, 10n, 4n, a)).toBe("LOWER_VIEW");
    expect(checkViewChange(r, 10n, 4n, new Uint8Array(0))).toBe("LOWER_VIEW");
    expect(checkPrepare(r, 9n, 9n, a)).toBe("LOWER_VIEW");
  });

  test("COMMIT locks the height on one block, in every later view", () => {
    const r = recordCommit(createSafetyRecord(10n, 3n), 10n, 3n, { hash: a, blockView: 3n, proof });
    expect(lockHashAt(r, 10n)).toEqual(a);
    expect(lockHashAt(r, 11n)).toEqual(new Uint8Array(0));
    expect(checkCommit(r, 10n, 9n, b)).toBe("LOCKED_ON_OTHER_BLOCK");
    expect(checkPrepare(r, 10n, 9n, b)).toBe("LOCKED_ON_OTHER_BLOCK");
    expect(checkCommit(r, 10n, 9n, a)).toBeNull();
    const again = recordCommit(r, 10n, 9n, { hash: a, blockView: 3n, proof });
    expect(again.commit).toEqual({ view: 3n, hash: a, blockView: 3n });
    expect(again.view).toBe(9n);
    expect(checkCommit(again, 11n, 9n, b)).toBeNull(); // the next height is free
  });

  test("one VIEWCHANGE claim per (height, view)", () => {
    const r = recordViewChange(createSafetyRecord(10n, 3n), 10n, 4n, new Uint8Array(0));
    expect(checkViewChange(r, 10n, 4n, new Uint8Array(0))).toBeNull();
    expect(checkViewChange(r, 10n, 4n, a)).toBe("CONFLICTING_VIEWCHANGE");
    expect(checkViewChange(r, 10n, 5n, a)).toBeNull();
  });

  test("bytes round trip and corrupt input", () => {
    let r = createSafetyRecord(42n, 7n);
    expect(decodeSafetyRecord(encodeSafetyRecord(r))).toEqual(r);
    r = recordPrepare(r, 42n, 7n, a);
    r = recordCommit(r, 42n, 8n, { hash: a, blockView: 7n, proof });
    r = recordViewChange(r, 42n, 9n, a);
    const back = decodeSafetyRecord(encodeSafetyRecord(r));
    expect(back).toEqual(r);
    for (const bad of [new Uint8Array(0), Uint8Array.of(0xc0), encodeSafetyRecord(r).subarray(1)]) {
      let err: unknown;
      try {
        decodeSafetyRecord(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConsensusError);
      expect((err as ConsensusError).code).toBe(ConsensusErrorCode.SAFETY_RECORD_CORRUPT);
    }
  });
});
