// The commit-proof invariant of the fault harness (_invariants.ts commitProofError) on proofs made here
// with the repo's BLS: a quorum's aggregate over the commit payload passes; anything else is named.
import { beforeAll, describe, expect, test } from "bun:test";
import { bitmapFromSlots, commitPayload, createCommittee } from "../../src/consensus/index.ts";
import { type BLS, createBLS } from "../../src/crypto/index.ts";
import { commitProofError } from "./_invariants.ts";

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const HASH = `0x${"5a".repeat(32)}`;

describe("commit proof check", () => {
  let bls: BLS;
  let secrets: Uint8Array[];
  let ctx: Parameters<typeof commitProofError>[0];
  const block = { number: 41, hash: HASH, viewId: 7n };
  const proof = (slots: number[], payload = commitPayload(41n, Buffer.from(HASH.slice(2), "hex"), 7n)) => ({
    lastCommitSig: hex(bls.aggregateSignatures(slots.map((s) => bls.sign(secrets[s] as Uint8Array, payload)))),
    lastCommitBitmap: hex(bitmapFromSlots(4, slots)),
    node: "node9",
  });

  beforeAll(async () => {
    bls = await createBLS("auto");
    secrets = [1, 2, 3, 4].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
    ctx = { committee: createCommittee({ keys: secrets.map((s) => bls.secretToPublic(s)) }), bls };
  });

  test("a quorum signing the commit payload proves the block", () => {
    expect(commitProofError(ctx, block, proof([0, 1, 2]))).toBeUndefined();
    expect(commitProofError(ctx, block, proof([0, 1, 2, 3]))).toBeUndefined();
  });

  test("two of four keys are no quorum", () => {
    expect(commitProofError(ctx, block, proof([1, 3]))).toContain("not a quorum");
  });

  test("a signature over another view, another block, or by other keys than the bitmap says fails", () => {
    expect(commitProofError(ctx, block, proof([0, 1, 2], commitPayload(41n, Buffer.from(HASH.slice(2), "hex"), 8n)))).toContain("does not verify");
    expect(commitProofError(ctx, { ...block, hash: `0x${"5b".repeat(32)}` }, proof([0, 1, 2]))).toContain("does not verify");
    const p = proof([0, 1, 2]);
    expect(commitProofError(ctx, block, { ...p, lastCommitBitmap: hex(bitmapFromSlots(4, [1, 2, 3])) })).toContain("does not verify");
  });

  test("a missing proof or a bitmap of the wrong size", () => {
    expect(commitProofError(ctx, block, { lastCommitSig: undefined, lastCommitBitmap: undefined, node: "node9" })).toContain("carries no lastCommitSig");
    expect(commitProofError(ctx, block, { ...proof([0, 1, 2]), lastCommitBitmap: "0x0700" })).toContain("does not fit a committee of 4");
  });
});
