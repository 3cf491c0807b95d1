// DESIGN §Consensus: leader of view v = committee[v mod n]; skip the failed leader's validator's
// consecutive keys and keys absent from the last 4 commit bitmaps; rotate after max(E/n, R) blocks.
import { describe, expect, test } from "bun:test";
import { absentSlots, bitmapFromSlots, blocksPerLeader, createCommittee, leaderSlot, nextView } from "../../../src/consensus/index.ts";
import { bls, secretKeys } from "./_fixtures.ts";

const keys = secretKeys(8).map((sk) => bls.secretToPublic(sk));
// Validator A holds slots 0-2, B slot 3, C slots 4-5, D slots 6-7.
const committee = createCommittee({ keys, validators: [0, 0, 0, 1, 2, 2, 3, 3] });
const all = bitmapFromSlots(8, [0, 1, 2, 3, 4, 5, 6, 7]);

describe("leader schedule", () => {
  test("leader of view v is committee[v mod n]", () => {
    expect([0n, 1n, 7n, 8n, 19n].map((v) => leaderSlot(committee, v))).toEqual([0, 1, 7, 0, 3]);
  });

  test("rotation moves to the next view", () => {
    expect(nextView(committee, 0n, { failed: false, recentBitmaps: [] })).toBe(1n);
    expect(nextView(committee, 7n, { failed: false, recentBitmaps: [] })).toBe(8n);
  });

  test("after a failure, the failed validator's consecutive keys are skipped", () => {
    expect(nextView(committee, 0n, { failed: true, recentBitmaps: [] })).toBe(3n); // A's 1 and 2 skipped → B
    expect(nextView(committee, 1n, { failed: true, recentBitmaps: [] })).toBe(3n);
    expect(nextView(committee, 4n, { failed: true, recentBitmaps: [] })).toBe(6n); // C's 5 skipped → D
    expect(nextView(committee, 6n, { failed: true, recentBitmaps: [] })).toBe(8n); // D's 7 skipped → A again
    expect(nextView(committee, 3n, { failed: true, recentBitmaps: [] })).toBe(4n);
  });

  test("keys absent from all of the last 4 commit bitmaps are skipped", () => {
    const without3 = bitmapFromSlots(8, [0, 1, 2, 4, 5, 6, 7]);
    expect(absentSlots(committee, [without3, without3, without3])).toEqual(new Set()); // fewer than 4 known
    expect(absentSlots(committee, [without3, without3, without3, without3])).toEqual(new Set([3]));
    expect(absentSlots(committee, [all, without3, without3, without3, without3])).toEqual(new Set([3])); // only the last 4 count
    expect(absentSlots(committee, [without3, without3, all, without3])).toEqual(new Set());
    const recent = [without3, without3, without3, without3];
    expect(nextView(committee, 2n, { failed: false, recentBitmaps: recent })).toBe(4n);
    expect(nextView(committee, 0n, { failed: true, recentBitmaps: recent })).toBe(4n); // A skipped, B absent
  });

  test("when every key is excluded the rules relax instead of looping", () => {
    const solo = createCommittee({ keys: keys.slice(0, 2), validators: [0, 0] });
    expect(nextView(solo, 0n, { failed: true, recentBitmaps: [] })).toBe(1n);
    const none = new Uint8Array(1);
    expect(nextView(solo, 5n, { failed: false, recentBitmaps: [none, none, none, none] })).toBe(6n);
  });

  test("blocks per leader = max(floor(E/n), R), or null without rotation", () => {
    expect(blocksPerLeader(32, 4, 4)).toBe(8);
    expect(blocksPerLeader(32, 16, 4)).toBe(4);
    expect(blocksPerLeader(32768, 250, 4)).toBe(131);
    expect(blocksPerLeader(32, 4, 4, false)).toBeNull();
    expect(() => blocksPerLeader(0, 4, 4)).toThrow(RangeError);
    expect(() => blocksPerLeader(32, 4, 0)).toThrow(RangeError);
  });
});
