/**
 * Byzantine behaviours, applied where a node's messages leave it. The node runs the honest state
 * machine; its driver lies:
 * - equivocate: as leader, each ANNOUNCE goes out in two versions, a different block to each half
 *   of the committee, both correctly signed with the leader key;
 * - doubleSign: next to each PREPARE/COMMIT it sends a second, correctly signed vote for another
 *   block at the same height and view.
 */
import {
  type Announce, type Commit, type ConsensusMessage, type Prepare, commitPayload, encodeConsensusMessage, preparePayload, signingBytes,
} from "../../../src/consensus/index.ts";
import type { SimNode } from "./node.ts";
import { encodeSimBlock, simBlockCodec } from "./simBlock.ts";
import type { Simulation } from "./simulation.ts";

function conflictingVote(sim: Simulation, node: SimNode, m: Prepare | Commit): ConsensusMessage {
  const other = sim.rng.bytes(32);
  const payload = m.kind === "prepare" ? preparePayload(other) : commitPayload(m.height, other, m.blockView);
  return { ...m, blockHash: other, signature: node.ctx.signer.sign(node.slots, payload) };
}

function otherAnnounce(sim: Simulation, node: SimNode, m: Announce): Announce {
  const info = simBlockCodec.decodeBlockInfo(m.block);
  const lastCommit = info.lastCommitSig.length > 0 ? { signature: info.lastCommitSig, bitmap: info.lastCommitBitmap } : null;
  const block = encodeSimBlock(info.number, info.parentHash, info.viewId, lastCommit, sim.rng.bytes(32));
  const unsigned: Announce = { ...m, block, blockHash: simBlockCodec.decodeBlockInfo(block).hash, signature: new Uint8Array(0) };
  const leaderSlot = Number(m.view % BigInt(node.params.committee.size));
  return { ...unsigned, signature: node.ctx.signer.sign([leaderSlot], signingBytes(unsigned)) };
}

/** Send `message` from a Byzantine node to `targets`, lying as its behaviour says. */
export function applyByzantineSend(sim: Simulation, node: SimNode, message: ConsensusMessage, targets: number[]): void {
  const wire = encodeConsensusMessage(message);
  if (node.behaviour.equivocate && message.kind === "announce") {
    const alt = encodeConsensusMessage(otherAnnounce(sim, node, message));
    targets.forEach((t, i) => sim.send(node.id, t, i % 2 === 0 ? wire : alt));
    return;
  }
  for (const t of targets) sim.send(node.id, t, wire);
  if (node.behaviour.doubleSign && (message.kind === "prepare" || message.kind === "commit")) {
    const conflicting = encodeConsensusMessage(conflictingVote(sim, node, message));
    for (const t of targets) sim.send(node.id, t, conflicting);
  }
}
