// DESIGN §Consensus: two valid votes of one key for different blocks at one height and view are evidence.
import { describe, expect, test } from "bun:test";
import { type Commit, type Prepare, bitmapFromSlots, findDoubleSign } from "../../../src/consensus/index.ts";
import { bytes } from "./_fixtures.ts";

const prepare = (hash: Uint8Array, slots: number[], view = 3n, height = 9n): Prepare => ({
  kind: "prepare", height, view, blockHash: hash, signers: bitmapFromSlots(8, slots), signature: bytes(96, slots[0] ?? 0),
});
const commit = (hash: Uint8Array, slots: number[], blockView: bigint, view = 3n): Commit => ({
  kind: "commit", height: 9n, view, blockHash: hash, blockView, signers: bitmapFromSlots(8, slots), signature: bytes(96, 7),
});
const a = bytes(32, 1);
const b = bytes(32, 2);

describe("double-sign evidence", () => {
  test("PREPARE for two blocks at one height and view", () => {
    const ev = findDoubleSign(prepare(a, [1, 2]), prepare(b, [2, 5]));
    expect(ev?.phase).toBe("prepare");
    expect(ev?.slots).toEqual([2]);
    expect(ev?.height).toBe(9n);
    expect(ev?.view).toBe(3n);
    expect(ev?.first.blockHash).toEqual(a);
    expect(ev?.second.blockHash).toEqual(b);
  });

  test("no evidence for the same block, other views, other heights or disjoint signers", () => {
    expect(findDoubleSign(prepare(a, [1]), prepare(a, [1]))).toBeNull();
    expect(findDoubleSign(prepare(a, [1], 3n), prepare(b, [1], 4n))).toBeNull();
    expect(findDoubleSign(prepare(a, [1], 3n, 9n), prepare(b, [1], 3n, 10n))).toBeNull();
    expect(findDoubleSign(prepare(a, [1]), prepare(b, [2]))).toBeNull();
    expect(findDoubleSign(prepare(a, [1]), commit(b, [1], 3n))).toBeNull();
  });

  test("COMMIT compares the signed header view, not the unsigned message view", () => {
    expect(findDoubleSign(commit(a, [4], 3n, 5n), commit(b, [4], 3n, 6n))?.view).toBe(3n);
    expect(findDoubleSign(commit(a, [4], 3n), commit(b, [4], 4n))).toBeNull();
  });
});
