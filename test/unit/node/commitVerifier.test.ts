// The production checks of a block's commit proof (DESIGN §Consensus step 5: > 2/3 of the committee's
// power signed `commitPayload(number, hash, viewId)`, bitmap of ceil(n/8) bytes in committee order):
// the verifier block sync uses (createCommitVerifier) and the check of the parent's proof a proposal
// carries (checkCarriedCommit), both asking consensus' commitProofCheck. Each bad proof must be
// rejected by both, on real BLS signatures.
import { afterAll, describe, expect, test } from "bun:test";
import { bitmapFromSlots, commitPayload, createCommittee } from "../../../src/consensus/index.ts";
import { DEV_CHAIN_CONFIG, type Header, createHeader, encodeShardState } from "../../../src/core/index.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { createBLSVerifierPool } from "../../../src/node/blsPool.ts";
import { type BlockOpsContext, checkCarriedCommit } from "../../../src/node/_driverBlocks.ts";
import type { DriverChain } from "../../../src/node/_driverState.ts";
import { createCommitVerifier } from "../../../src/node/_nodeWiring.ts";
import { type CommitteeChain, EpochCommittees } from "../../../src/node/epochCommittees.ts";
import { memoryLogger } from "./_helpers.ts";

const bls = await createBLS("native");
// Six equal-power slots: a quorum is strictly more than 4 (2/3 of 6), so 5 signers; one spare bit
// (6, 7) in the one-byte bitmap to set past the committee.
const N = 6;
const sks = Array.from({ length: N }, (_, i) => bls.keygen(new Uint8Array(32).fill(i + 11)));
const committee = createCommittee({ keys: sks.map((sk) => bls.secretToPublic(sk)) });
const outsider = bls.keygen(new Uint8Array(32).fill(99));
const pool = createBLSVerifierPool(bls, { size: 0 }, { logger: memoryLogger() });
afterAll(() => pool.close());

/** A chain whose every epoch up to `settled` has `committee` (the one committee of these tests). */
function fakeChain(settled: { epoch: bigint }): CommitteeChain & { emitHead(): void } {
  const fns = new Set<(h: Header) => void>();
  const head = createHeader({ number: 0n });
  return {
    config: DEV_CHAIN_CONFIG, shardId: 0, head,
    isEpochSettled: (e) => e <= settled.epoch,
    nextEpoch: (p) => DEV_CHAIN_CONFIG.nextEpoch(p),
    getHeaderByNumber: (n) => (n === 0n ? head : undefined),
    committeeSpecAt: () => ({ keys: committee.keys, power: committee.power, validators: committee.validators, addresses: committee.keys.map(() => new Uint8Array(20)) }),
    on: (_e, fn) => (fns.add(fn), () => fns.delete(fn)),
    emitHead: () => { for (const f of fns) f(head); },
  };
}
const committees = new EpochCommittees(fakeChain({ epoch: 1n << 32n }), []);

const block = createHeader({ number: 7n, viewId: 9n, timestamp: 1_700_000_007n });
const otherBlock = createHeader({ number: 7n, viewId: 9n, timestamp: 1_700_000_008n });

/** Aggregate of `signers` (secret keys) over the commit payload of (number, hash, view). */
function aggregate(signers: Uint8Array[], number: bigint, hash: Uint8Array, view: bigint): Uint8Array {
  const msg = commitPayload(number, hash, view);
  return bls.aggregateSignatures(signers.map((sk) => bls.sign(sk, msg)));
}
const slots = (...s: number[]) => s.map((i) => sks[i] as Uint8Array);
const goodSig = aggregate(slots(0, 1, 2, 3, 4), block.number, block.hash, block.viewId);
const quorum = bitmapFromSlots(N, [0, 1, 2, 3, 4]);

type Case = { name: string; sig: Uint8Array; bitmap: Uint8Array };
const valid: Case[] = [
  { name: "five of six", sig: goodSig, bitmap: quorum },
  { name: "all six", sig: aggregate(slots(0, 1, 2, 3, 4, 5), block.number, block.hash, block.viewId), bitmap: bitmapFromSlots(N, [0, 1, 2, 3, 4, 5]) },
];
const invalid: Case[] = [
  // forged aggregates
  { name: "an outsider's signature in place of slot 4's", sig: aggregate([...slots(0, 1, 2, 3), outsider], block.number, block.hash, block.viewId), bitmap: quorum },
  { name: "signers 0-4 under a bitmap naming 0-3 and 5", sig: goodSig, bitmap: bitmapFromSlots(N, [0, 1, 2, 3, 5]) },
  { name: "one signature counted as a quorum", sig: aggregate(slots(0), block.number, block.hash, block.viewId), bitmap: quorum },
  { name: "96 bytes that are no curve point", sig: new Uint8Array(96).fill(0x5a), bitmap: quorum },
  { name: "a signature of the wrong length", sig: goodSig.subarray(0, 95), bitmap: quorum },
  // under quorum: exactly 2/3 is not more than 2/3
  { name: "four of six, correctly aggregated", sig: aggregate(slots(0, 1, 2, 3), block.number, block.hash, block.viewId), bitmap: bitmapFromSlots(N, [0, 1, 2, 3]) },
  { name: "an empty bitmap", sig: goodSig, bitmap: new Uint8Array(1) },
  // bitmaps longer than the committee
  { name: "a second bitmap byte", sig: goodSig, bitmap: Uint8Array.of(quorum[0] as number, 0) },
  { name: "bit 6 set past the six slots", sig: goodSig, bitmap: Uint8Array.of((quorum[0] as number) | 0x40) },
  { name: "a zero-length bitmap", sig: goodSig, bitmap: new Uint8Array(0) },
  // a proof made for another block
  { name: "a quorum for another block at the same height and view", sig: aggregate(slots(0, 1, 2, 3, 4), otherBlock.number, otherBlock.hash, otherBlock.viewId), bitmap: quorum },
  { name: "a quorum for this block in another view", sig: aggregate(slots(0, 1, 2, 3, 4), block.number, block.hash, block.viewId + 1n), bitmap: quorum },
  { name: "a quorum for this hash at another height", sig: aggregate(slots(0, 1, 2, 3, 4), block.number + 1n, block.hash, block.viewId), bitmap: quorum },
];

describe("commit verifier of block sync (createCommitVerifier)", () => {
  const verify = createCommitVerifier(committees, pool);
  for (const c of valid) test(`accepts ${c.name}`, async () => expect(await verify(block, c.sig, c.bitmap)).toBe(true));
  for (const c of invalid) test(`rejects ${c.name}`, async () => expect(await verify(block, c.sig, c.bitmap)).toBe(false));
});

describe("carried parent commit of a proposal (checkCarriedCommit)", () => {
  // No stored proof for the parent: the check must verify the carried one itself.
  const chain = { getCommitProof: () => undefined } as unknown as DriverChain;
  const ctx = {
    chain, committees, verify: (checks) => pool.verify(checks),
    coinbase: new Uint8Array(20), maxFutureMs: 1000, now: () => 0,
  } satisfies BlockOpsContext;
  const child = (c: Case): Header | null => {
    // The header's field is fixed at 96 bytes; a wrong-length signature cannot even be carried.
    if (c.sig.length !== 96) return null;
    return createHeader({ number: block.number + 1n, parentHash: block.hash, lastCommitSig: c.sig, lastCommitBitmap: c.bitmap });
  };
  for (const c of valid) {
    test(`accepts ${c.name}`, async () => expect(await checkCarriedCommit(ctx, child(c) as Header, block)).toBeNull());
  }
  for (const c of invalid) {
    test(`rejects ${c.name}`, async () => {
      const h = child(c);
      if (h === null) {
        expect(() => createHeader({ lastCommitSig: c.sig })).toThrow(RangeError);
        return;
      }
      expect(await checkCarriedCommit(ctx, h, block)).toMatch(/^last commit (bitmap is not a quorum|bitmap does not fit a committee of 6|signature does not verify)$/);
    });
  }
});

describe("commit proofs of an epoch whose committee is not settled yet", () => {
  const later = createHeader({ number: 7n, viewId: 9n, timestamp: 1_700_000_007n, epoch: 1n });
  const sig = aggregate(slots(0, 1, 2, 3, 4), later.number, later.hash, later.viewId);

  test("are refused without waiting, and verified once the chain settles the epoch", async () => {
    const settled = { epoch: 0n };
    const chain = fakeChain(settled);
    const c = new EpochCommittees(chain, []);
    expect(c.at(1n)).toBeUndefined();
    expect(await c.verifyCommitProof(pool, later, sig, quorum)).toBe(false);
    const waiting = c.verifyCommitProof(pool, later, sig, quorum, { waitMs: 5_000 });
    settled.epoch = 1n;
    chain.emitHead();
    expect(await waiting).toBe(true);
    c.close();
  });

  test("time out as refused; a consensus wait on an epoch two ahead does not wait at all", async () => {
    const c = new EpochCommittees(fakeChain({ epoch: 0n }), []);
    expect(await c.verifyCommitProof(pool, later, sig, quorum, { waitMs: 50 })).toBe(false);
    const t0 = Date.now();
    expect(await c.waitFor(2n, 5_000)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(4_000);
    c.close();
  });

  test("a synced range's own election header supplies the committee of the next epoch", async () => {
    const c = new EpochCommittees(fakeChain({ epoch: 0n }), []);
    const stateWith = (keys: readonly Uint8Array[]) =>
      encodeShardState({ epoch: 1n, shards: [{ shardId: 0, slots: keys.map((blsKey) => ({ blsKey, validator: new Uint8Array(20).fill(1), effectiveStake: 100n })) }] });
    const election = createHeader({ number: 6n, epoch: 0n, timestamp: 1_700_000_006n, shardState: stateWith(committee.keys) });
    expect(await c.verifyCommitProof(pool, later, sig, quorum, { range: [election, later] })).toBe(true);
    // Another committee in the range's election header: the same proof does not verify against it.
    const others = Array.from({ length: N }, (_, i) => bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(i + 51))));
    const forged = createHeader({ number: 6n, epoch: 0n, timestamp: 1_700_000_006n, shardState: stateWith(others) });
    expect(await c.verifyCommitProof(pool, later, sig, quorum, { range: [forged, later] })).toBe(false);
    c.close();
  });
});
