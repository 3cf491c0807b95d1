// The sync wire codec (src/sync/messages.ts): round trips, and strict rejection of malformed bytes.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import { PeerAction } from "../../../src/p2p/index.ts";
import {
  SyncError,
  SyncErrorCode,
  decodeCommitRequest,
  decodeCommitResponse,
  decodeItems,
  decodeRangeRequest,
  encodeCommitRequest,
  encodeCommitResponse,
  encodeItems,
  encodeRangeRequest,
} from "../../../src/sync/index.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SyncError) {
      expect(e.action).toBe(PeerAction.REJECT);
      return e.code;
    }
    throw e;
  }
  throw new Error("expected a SyncError");
}

describe("sync messages", () => {
  test("range and commit requests round-trip", () => {
    expect(decodeRangeRequest(encodeRangeRequest({ from: 0n, count: 1 }), 512)).toEqual({ from: 0n, count: 1 });
    expect(decodeRangeRequest(encodeRangeRequest({ from: (1n << 64n) - 1n, count: 512 }), 512)).toEqual({ from: (1n << 64n) - 1n, count: 512 });
    expect(decodeCommitRequest(encodeCommitRequest(0n))).toBe(0n);
    expect(decodeCommitRequest(encodeCommitRequest(123456789n))).toBe(123456789n);
    expect(() => encodeRangeRequest({ from: 1n, count: 0 })).toThrow(RangeError);
    expect(() => encodeCommitRequest(-1n)).toThrow(RangeError);
  });

  test("malformed requests are REJECT errors", () => {
    const bad = [
      new Uint8Array(0), // no RLP item
      Uint8Array.of(0xc2, 0x01), // truncated list
      RLP.encode(Uint8Array.of(1)), // not a list
      RLP.encode([Uint8Array.of(1)]), // one item
      RLP.encode([Uint8Array.of(1), Uint8Array.of(1), Uint8Array.of(1)]), // three items
      RLP.encode([Uint8Array.of(0, 1), Uint8Array.of(1)]), // leading zero
      RLP.encode([new Uint8Array(9).fill(1), Uint8Array.of(1)]), // over uint64
      RLP.encode([Uint8Array.of(1), new Uint8Array(0)]), // count 0
      RLP.encode([Uint8Array.of(1), Uint8Array.of(2, 1)]), // count 513
      RLP.encode([[Uint8Array.of(1)], Uint8Array.of(1)]), // nested list
      Uint8Array.from([...RLP.encode([Uint8Array.of(1), Uint8Array.of(1)]), 0]), // trailing byte
    ];
    for (const b of bad) expect(codeOf(() => decodeRangeRequest(b, 512))).toBe(SyncErrorCode.MALFORMED_REQUEST);
    expect(codeOf(() => decodeCommitRequest(RLP.encode([])))).toBe(SyncErrorCode.MALFORMED_REQUEST);
    expect(codeOf(() => decodeCommitRequest(RLP.encode([Uint8Array.of(0)])))).toBe(SyncErrorCode.MALFORMED_REQUEST);
    expect(codeOf(() => decodeCommitRequest(RLP.encode(Uint8Array.of(5))))).toBe(SyncErrorCode.MALFORMED_REQUEST);
  });

  test("responses: item lists and commit proofs, strictly", () => {
    const items = [Uint8Array.of(1, 2), new Uint8Array(0), new Uint8Array(100).fill(7)];
    expect(decodeItems(encodeItems(items), 3)).toEqual(items);
    expect(decodeItems(encodeItems([]), 3)).toEqual([]);
    expect(codeOf(() => decodeItems(encodeItems(items), 2))).toBe(SyncErrorCode.MALFORMED_RESPONSE);
    expect(codeOf(() => decodeItems(RLP.encode([[Uint8Array.of(1)]]), 2))).toBe(SyncErrorCode.MALFORMED_RESPONSE);
    expect(codeOf(() => decodeItems(RLP.encode(Uint8Array.of(1)), 2))).toBe(SyncErrorCode.MALFORMED_RESPONSE);

    const proof = { sig: new Uint8Array(96).fill(3), bitmap: Uint8Array.of(0x0f) };
    expect(decodeCommitResponse(encodeCommitResponse(proof))).toEqual(proof);
    expect(decodeCommitResponse(encodeCommitResponse(undefined))).toBeUndefined();
    expect(codeOf(() => decodeCommitResponse(RLP.encode([new Uint8Array(95), Uint8Array.of(1)])))).toBe(SyncErrorCode.MALFORMED_RESPONSE);
    expect(codeOf(() => decodeCommitResponse(RLP.encode([new Uint8Array(96), new Uint8Array(1025)])))).toBe(SyncErrorCode.MALFORMED_RESPONSE);
    expect(codeOf(() => decodeCommitResponse(RLP.encode([new Uint8Array(96)])))).toBe(SyncErrorCode.MALFORMED_RESPONSE);
  });
});
