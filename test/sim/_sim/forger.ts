/**
 * A forger (issue 8 item 3): a peer outside the committee, holding no key, that races every honest
 * PREPARE/COMMIT to the leader with a vote for the same block whose signature is bad and whose
 * signer bitmap claims just under a quorum — the honest sender's slots and others, never the
 * leader's. If the leader booked slots before checking signatures, the honest votes for those
 * slots would be shut out and the round would fail.
 */
import { type Commit, type Prepare, bitmapFromSlots, commitPayload, isQuorum, leaderSlot, preparePayload, slotsOfBitmap, slotsPower } from "../../../src/consensus/index.ts";
import type { Simulation } from "./simulation.ts";

/** Sender index of the forger in delivery events. */
export const FORGER = -1;
/** Peer id the forger's messages arrive from. */
export const FORGER_ID = "forger";

/** The forged twin of an honest vote. */
export function forgeVote(sim: Simulation, honest: Prepare | Commit): Prepare | Commit {
  const committee = sim.nodes[0]?.params.committee;
  if (!committee) throw new Error("no committee");
  const leader = leaderSlot(committee, honest.view);
  const claim: number[] = [];
  const candidates = [...slotsOfBitmap(honest.signers), ...committee.keys.map((_, i) => i)].filter((s, i, all) => s !== leader && all.indexOf(s) === i);
  for (const s of candidates) if (!isQuorum(slotsPower(committee, [...claim, s]), committee.totalPower)) claim.push(s);
  // A well-formed signature by a key outside the committee: it parses, and fails verification.
  const payload = honest.kind === "prepare" ? preparePayload(honest.blockHash) : commitPayload(honest.height, honest.blockHash, honest.blockView);
  const signature = sim.bls.sign(sim.bls.keygen(sim.rng.bytes(32)), payload);
  return { ...honest, signers: bitmapFromSlots(committee.size, claim), signature };
}
