// DESIGN §Consensus: COMMIT signs blockNumber(8 bytes LE) ‖ blockHash(32) ‖ viewId(8 bytes LE), 48 bytes.
import { describe, expect, test } from "bun:test";
import { COMMIT_PAYLOAD_LENGTH, commitPayload, preparePayload, viewChangePayload } from "../../../src/consensus/index.ts";
import { hexToBytes } from "../../../src/util/index.ts";

const hash = hexToBytes("0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

describe("vote payloads", () => {
  test("commit payload layout", () => {
    const p = commitPayload(0x0102030405060708n, hash, 0x1122n);
    expect(p.length).toBe(COMMIT_PAYLOAD_LENGTH);
    expect([...p.subarray(0, 8)]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(p.subarray(8, 40)).toEqual(hash);
    expect([...p.subarray(40)]).toEqual([0x22, 0x11, 0, 0, 0, 0, 0, 0]);
  });

  test("commit payload bounds", () => {
    expect([...commitPayload(2n ** 64n - 1n, hash, 0n).subarray(0, 8)]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    expect(() => commitPayload(2n ** 64n, hash, 0n)).toThrow(RangeError);
    expect(() => commitPayload(1n, hash, -1n)).toThrow(RangeError);
    expect(() => commitPayload(1n, hash.subarray(1), 0n)).toThrow(RangeError);
  });

  test("prepare signs the block hash", () => {
    expect(preparePayload(hash)).toEqual(hash);
    expect(() => preparePayload(new Uint8Array(31))).toThrow(RangeError);
  });

  test("view-change claims are domain separated and distinct", () => {
    const nil = viewChangePayload(5n, 9n, new Uint8Array(0));
    expect(nil.length).not.toBe(32);
    expect(nil.length).not.toBe(48);
    expect(viewChangePayload(5n, 9n, hash)).not.toEqual(nil);
    expect(viewChangePayload(5n, 10n, new Uint8Array(0))).not.toEqual(nil);
    expect(() => viewChangePayload(5n, 9n, new Uint8Array(5))).toThrow(RangeError);
  });
});
