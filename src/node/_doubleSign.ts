/**
 * Test-only misbehaviour behind `HARMONY_FAILPOINT=double-sign` (failpoint.ts), for the slashing
 * acceptance test (DESIGN §Slashing): with each COMMIT the node sends, it also sends a conflicting
 * COMMIT — same height, view and header view, signed by the same keys, for another block hash — to
 * the same place. An honest node never does this (its safety record forbids it); this one bypasses the
 * state machine and signs at the network's edge, so any leader that sees both votes holds evidence.
 * The conflicting vote goes first: a leader keeps a vote for another block while it collects, and
 * checks it once the genuine vote is verified; one arriving after the quorum is a late commit, which
 * the state machine drops (a leader verifies and commits faster than the next message arrives).
 */
import type { Commit, ConsensusMessage } from "../consensus/index.ts";
import { commitPayload, keccak256 } from "../core/index.ts";
import type { DriverNet } from "./driverTypes.ts";

/**
 * The COMMIT conflicting with `m`: the same vote for the block hash keccak256(hash) (a block that
 * does not exist), signed by `sign` over its COMMIT payload. Undefined for any other kind of message.
 * `sign` returns the signature of the keys `vote.signers` names in the committee of `vote.height`
 * (their aggregate for several).
 */
export function conflictingCommit(m: ConsensusMessage, sign: (payload: Uint8Array, vote: Commit) => Uint8Array): Commit | undefined {
  if (m.kind !== "commit") return undefined;
  const blockHash = keccak256(m.blockHash);
  return Object.freeze({ ...m, blockHash, signature: sign(commitPayload(m.height, blockHash, m.blockView), m) });
}

/**
 * `net` that sends `conflict(message)` (when defined) right before each message, the same way: to
 * the same slot, or broadcast. Penalties pass through.
 */
export function withDoubleSign(net: DriverNet, conflict: (m: ConsensusMessage) => ConsensusMessage | undefined): DriverNet {
  return {
    send: (slot, m) => {
      const c = conflict(m);
      if (c !== undefined) net.send(slot, c);
      net.send(slot, m);
    },
    broadcast: (m) => {
      const c = conflict(m);
      if (c !== undefined) net.broadcast(c);
      net.broadcast(m);
    },
    penalize: (from, reason) => net.penalize(from, reason),
  };
}

/** The conflict function of the fail point: double-sign from `fromHeight` on (every height when undefined). */
export function doubleSignConflict(fromHeight: bigint | undefined, sign: (payload: Uint8Array, vote: Commit) => Uint8Array): (m: ConsensusMessage) => ConsensusMessage | undefined {
  return (m) => (fromHeight !== undefined && m.height < fromHeight ? undefined : conflictingCommit(m, sign));
}
