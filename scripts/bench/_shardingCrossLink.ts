/**
 * Crosslink verification cost for `make bench sharding` (issue 10 acceptance 5), in this process on the
 * node's own functions: `getCrossLinkCheck` (bitmap shape, quorum, the signers' keys) then
 * `bls.verifyChecks` — one link, and 16 links in one call as a beacon block carries them — against a
 * 250-slot committee; the baseline is one block's commit proof (`commitProofCheck` + `verifyChecks`),
 * what a shard node checks for every block it imports. Every link and proof carries a signature not seen
 * before (the BLS signature cache would otherwise skip the decompression a beacon node pays for a link
 * it receives); the committee's keys are decoded once first, as a node does once per epoch.
 */
import { commitProofCheck, createCommittee } from "../../src/consensus/index.ts";
import { commitPayload } from "../../src/core/index.ts";
import { type AggregateCheck, type BLS, aggregateSecretKeys } from "../../src/crypto/index.ts";
import { type CommitteeSpec, type CrossLink, MAX_CROSSLINKS_PER_BLOCK, getCrossLinkCheck } from "../../src/shard/index.ts";

/** Slots of the committee the links are verified against. */
export const CROSSLINK_COMMITTEE = 250;
// Signers: a quorum with a few slots missing, as on a live shard (> 2/3 of 250 equal powers).
const SIGNERS = 240;
const ROUNDS = 40;

/** Microseconds of CPU-bound work (wall = CPU here: one thread, nothing awaited) per unit. */
export interface CrossLinkCost {
  backend: string;
  /** One commit proof of a shard block (the baseline). */
  commitProofUs: number;
  /** One crosslink verified alone. */
  linkUs: number;
  /** Per link, 16 verified in one call. */
  batchLinkUs: number;
  /** The first check, which decodes and subgroup-checks the 250 keys (once per epoch on a node). */
  coldKeysUs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** A committee of 250 keys with their secret keys, and a signer of fresh commit proofs over it. */
function fixture(bls: BLS) {
  const sks = Array.from({ length: CROSSLINK_COMMITTEE }, (_, i) => {
    const ikm = new Uint8Array(32).fill(0x5a);
    new DataView(ikm.buffer).setUint32(0, i + 1);
    return bls.keygen(ikm);
  });
  const keys = sks.map((sk) => bls.secretToPublic(sk));
  const spec: CommitteeSpec = { keys, power: keys.map(() => 1n), validators: keys.map((_, i) => i), addresses: keys.map(() => new Uint8Array(20)) };
  const bitmap = new Uint8Array((CROSSLINK_COMMITTEE + 7) >> 3);
  for (let i = 0; i < SIGNERS; i++) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  // One signature with the signers' summed key is byte for byte their aggregate (BLS is linear in the key).
  const summed = aggregateSecretKeys(sks.slice(0, SIGNERS));
  if (summed === null) throw new Error("signer keys cancel");
  let seq = 0n;
  const nextLink = (): CrossLink => {
    seq++;
    const blockHash = new Uint8Array(32);
    new DataView(blockHash.buffer).setBigUint64(24, seq);
    blockHash[0] = 0xc1;
    const viewId = seq + 7n;
    return { shardId: 1, blockNumber: seq, viewId, epoch: 3n, blockHash, bitmap, signature: bls.sign(summed, commitPayload(seq, blockHash, viewId)) };
  };
  return { spec, committee: createCommittee({ keys, power: spec.power, validators: spec.validators }), nextLink };
}

function checkOf(link: CrossLink, spec: CommitteeSpec): AggregateCheck {
  const c = getCrossLinkCheck(link, spec);
  if (!c.ok) throw new Error(`crosslink refused: ${c.reason}`);
  return c.check;
}

function timed(fn: () => boolean[]): number {
  const t0 = performance.now();
  const verdicts = fn();
  const us = (performance.now() - t0) * 1000;
  if (!verdicts.every((v) => v)) throw new Error("a valid crosslink or commit proof did not verify");
  return us;
}

/**
 * Time crosslink and commit-proof checks on `bls`; each round takes fresh signatures, rounds alternate
 * the three kinds so that load drift hits them alike.
 * @throws {Error} when a valid link or proof does not verify (the measurement would be meaningless).
 */
export function measureCrossLinkCost(bls: BLS): CrossLinkCost {
  const f = fixture(bls);
  const first = f.nextLink();
  const coldKeysUs = timed(() => bls.verifyChecks([checkOf(first, f.spec)]));
  // Sign everything first: signing is not part of what is measured.
  const rounds = Array.from({ length: ROUNDS }, () => ({
    proof: f.nextLink(),
    link: f.nextLink(),
    batch: Array.from({ length: MAX_CROSSLINKS_PER_BLOCK }, () => f.nextLink()),
  }));
  const proofUs: number[] = [];
  const linkUs: number[] = [];
  const batchUs: number[] = [];
  for (const r of rounds) {
    proofUs.push(timed(() => {
      const c = commitProofCheck(f.committee, { number: r.proof.blockNumber, hash: r.proof.blockHash, viewId: r.proof.viewId }, r.proof.signature, r.proof.bitmap);
      if (!c.ok) throw new Error(`commit proof refused: ${c.reason}`);
      return bls.verifyChecks([c.check]);
    }));
    linkUs.push(timed(() => bls.verifyChecks([checkOf(r.link, f.spec)])));
    batchUs.push(timed(() => bls.verifyChecks(r.batch.map((l) => checkOf(l, f.spec)))) / MAX_CROSSLINKS_PER_BLOCK);
  }
  // A forged link must fail, or the timings above measured nothing.
  const forged = { ...f.nextLink(), viewId: 1n };
  if (bls.verifyChecks([checkOf(forged, f.spec)])[0] !== false) throw new Error("a forged crosslink verified");
  return { backend: bls.backend, commitProofUs: median(proofUs), linkUs: median(linkUs), batchLinkUs: median(batchUs), coldKeysUs };
}
