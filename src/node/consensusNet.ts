/**
 * The consensus driver's network (DESIGN §P2P): FBFT messages on the `consensus` gossip topic, votes
 * sent directly to the peer holding the leader's slot, and a slot → peer map learned from signed
 * identity bindings (`consensus/id`: a node proves, with the aggregate BLS signature of its keys over
 * its p2p node id, which committee slots it holds). Every message, gossiped or direct, takes one path:
 * it must decode and its outer signature must verify before the state machine sees it (through the
 * pool's cache, so the state machine does not pay for it twice); invalid messages are REJECTed, which
 * scores the sending peer down until the p2p layer disconnects it. Checks that arrive together (the
 * votes of a phase) are verified as one batch; votes that do not come from a validator's peer wait in
 * a serial lane, so forgeries cannot crowd honest votes out of the verifier.
 */
import {
  type Committee, type ConsensusMessage, SELF_SIGNED_KINDS, type SignatureCheck, bitmapFromSlots, commitPayload, decodeConsensusMessage, encodeConsensusMessage,
  isValidBitmap, keysOfBitmap, preparePayload, signingBytes, slotsOfBitmap,
} from "../consensus/index.ts";
import { RLP } from "@ethereumjs/rlp";
import { type GossipMessage, type P2P, type PeerId, Topic, ValidationResult } from "../p2p/index.ts";
import { concatBytes, hexToBytes } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";
import { createSerialVerifier, createVerifyBatcher } from "./_verifyBatcher.ts";

/** Topic of the slot bindings (direct messages only). */
export const IDENTITY_TOPIC = "consensus/id";
const IDENTITY_TAG = new TextEncoder().encode("harmony-ts/consensus/id/v1");

/** Options of {@link createConsensusNet}. */
export interface ConsensusNetOptions {
  readonly committee: Committee;
  /** Our slots (empty for an observer). */
  readonly mySlots: readonly number[];
  readonly genesisHash: Uint8Array;
  /** Aggregate signature of our keys of `slots` over `message` (for the identity binding). */
  readonly sign?: (slots: readonly number[], message: Uint8Array) => Uint8Array;
  /** Height the node is deciding; gossip more than 2 heights below is ignored, not relayed. */
  readonly currentHeight?: () => bigint;
}

/** Services of {@link createConsensusNet}. */
export interface ConsensusNetModules {
  readonly p2p: Pick<P2P, "publish" | "subscribe" | "sendTo" | "peers" | "on" | "reportInvalid" | "nodeId">;
  readonly verifier: AsyncVoteVerifier;
  readonly logger: Logger;
}

/** Counters for `/metrics`. */
export interface ConsensusNetStats {
  received: number;
  sent: number;
  direct: number;
  rejected: number;
  ignored: number;
  /** Votes sent by broadcast because the leader's peer was unknown or unreachable. */
  fallbacks: number;
}

/** What the driver does with a message. `verified` says its outer signature was checked (always, now). */
export type MessageSink = (message: ConsensusMessage, from: PeerId, verified: boolean) => void;

/** The consensus side of p2p. */
export interface ConsensusNet {
  /** Subscribe the topics and announce our slots to connected peers. */
  start(sink: MessageSink): void;
  stop(): void;
  broadcast(message: ConsensusMessage): void;
  /** Send to the peer holding `slot`, or broadcast when it is unknown or unreachable. */
  send(slot: number, message: ConsensusMessage): void;
  /** Score down the peer a message came from (ignored for "" and local sources). */
  penalize(from: string, reason: string): void;
  peerOfSlot(slot: number): PeerId | undefined;
  stats(): ConsensusNetStats;
}

/** The bytes a node's keys sign to bind its slots to its node id. */
export function identityPayload(genesisHash: Uint8Array, nodeId: PeerId): Uint8Array {
  return concatBytes(IDENTITY_TAG, genesisHash, hexToBytes(nodeId));
}

/** The check of a message's outer signature (what its signers signed). */
export function outerCheck(committee: Committee, m: ConsensusMessage): SignatureCheck {
  const publicKeys = keysOfBitmap(committee, m.signers);
  if (SELF_SIGNED_KINDS.has(m.kind)) return { publicKeys, message: signingBytes(m), signature: m.signature };
  const message = m.kind === "commit" ? commitPayload(m.height, m.blockHash, m.blockView) : m.kind === "prepare" ? preparePayload(m.blockHash) : new Uint8Array(0);
  return { publicKeys, message, signature: m.signature };
}

/** Create the consensus network over `p2p`. */
export function createConsensusNet(opts: ConsensusNetOptions, modules: ConsensusNetModules): ConsensusNet {
  const { committee } = opts;
  const { p2p, verifier, logger: log } = modules;
  const slotPeer = new Map<number, PeerId>();
  const stats: ConsensusNetStats = { received: 0, sent: 0, direct: 0, rejected: 0, ignored: 0, fallbacks: 0 };
  const offs: (() => void)[] = [];
  const verifyOne = createVerifyBatcher(verifier);
  const verifySuspect = createSerialVerifier(verifier);
  let binding: Uint8Array | undefined;

  function sendBinding(peer: PeerId): void {
    if (binding !== undefined) p2p.sendTo(peer, IDENTITY_TOPIC, binding);
  }

  async function onIdentity(msg: GossipMessage, from: PeerId): Promise<ValidationResult> {
    if (!msg.direct) return ValidationResult.IGNORE;
    let bitmap: Uint8Array;
    let sig: Uint8Array;
    try {
      const l = RLP.decode(msg.data) as unknown;
      if (!Array.isArray(l) || l.length !== 2 || !(l[0] instanceof Uint8Array) || !(l[1] instanceof Uint8Array)) throw new SyntaxError("expected [bitmap, sig]");
      [bitmap, sig] = l as [Uint8Array, Uint8Array];
    } catch {
      return ValidationResult.REJECT;
    }
    if (!isValidBitmap(bitmap, committee.size) || slotsOfBitmap(bitmap).length === 0) return ValidationResult.REJECT;
    const [ok] = await verifier.verify([{ publicKeys: keysOfBitmap(committee, bitmap), message: identityPayload(opts.genesisHash, from), signature: sig }]);
    if (!ok) return ValidationResult.REJECT;
    for (const s of slotsOfBitmap(bitmap)) slotPeer.set(s, from);
    log.debug("peer holds slots", { peer: from, slots: slotsOfBitmap(bitmap) });
    return ValidationResult.ACCEPT;
  }

  // A vote is sent by its signers' node: directly from the peer bound to its slots, or gossiped when
  // the leader's peer is unknown and then relayed by validators. A vote from anyone else (a peer with
  // no slot, or claiming slots bound to another peer) is most likely forged: it is still checked and
  // its sender still pays, but one at a time, behind the honest votes.
  function trusted(m: ConsensusMessage, from: PeerId, direct: boolean): boolean {
    if (m.kind !== "prepare" && m.kind !== "commit") return true;
    if (direct) return slotsOfBitmap(m.signers).every((s) => slotPeer.get(s) === from);
    for (const p of slotPeer.values()) if (p === from) return true;
    return false;
  }

  function stale(m: ConsensusMessage): boolean {
    const h = opts.currentHeight?.();
    return h !== undefined && m.height + 2n < h;
  }

  async function onConsensus(sink: MessageSink, msg: GossipMessage, from: PeerId): Promise<ValidationResult> {
    let m: ConsensusMessage;
    try {
      m = decodeConsensusMessage(msg.data);
    } catch {
      stats.rejected++;
      return ValidationResult.REJECT;
    }
    if (!isValidBitmap(m.signers, committee.size) || slotsOfBitmap(m.signers).length === 0) {
      stats.rejected++;
      return ValidationResult.REJECT;
    }
    if (stale(m)) {
      stats.ignored++;
      return ValidationResult.IGNORE;
    }
    // Direct votes are checked too (issue 8 item 3): an unverified vote reaching the leader's state
    // machine would cost it a verification round while the forger pays nothing; REJECT makes the
    // sender pay at the p2p layer, frame by frame.
    const ok = trusted(m, from, msg.direct) ? await verifyOne(outerCheck(committee, m)) : await verifySuspect(outerCheck(committee, m));
    if (ok === null) {
      stats.ignored++;
      return ValidationResult.IGNORE;
    }
    if (!ok) {
      stats.rejected++;
      return ValidationResult.REJECT;
    }
    stats.received++;
    if (msg.direct) stats.direct++;
    sink(m, from, true);
    return ValidationResult.ACCEPT;
  }

  function broadcastBytes(bytes: Uint8Array): void {
    const r = p2p.publish(Topic.CONSENSUS, bytes);
    // A message sent again (a VIEWCHANGE re-sent while waiting) is a duplicate for the gossip
    // seen-cache, and right after start the mesh may not have formed yet: send it to every peer
    // directly instead.
    if (r.duplicate || r.peers === 0) for (const p of p2p.peers()) p2p.sendTo(p.id, Topic.CONSENSUS, bytes);
    stats.sent++;
  }

  return {
    start(sink) {
      if (opts.sign !== undefined && opts.mySlots.length > 0) {
        const bitmap = bitmapFromSlots(committee.size, opts.mySlots);
        binding = RLP.encode([bitmap, opts.sign(opts.mySlots, identityPayload(opts.genesisHash, p2p.nodeId))]);
      }
      offs.push(
        p2p.subscribe(Topic.CONSENSUS, (msg, from) => onConsensus(sink, msg, from)),
        p2p.subscribe(IDENTITY_TOPIC, onIdentity),
        p2p.on("peer:connect", (info) => sendBinding(info.id)),
        p2p.on("peer:disconnect", ({ peer }) => {
          for (const [s, p] of slotPeer) if (p === peer.id) slotPeer.delete(s);
        }),
      );
      for (const p of p2p.peers()) sendBinding(p.id);
    },
    stop() {
      for (const off of offs.splice(0)) off();
    },
    broadcast(m) {
      broadcastBytes(encodeConsensusMessage(m));
    },
    send(slot, m) {
      const peer = slotPeer.get(slot);
      const bytes = encodeConsensusMessage(m);
      if (peer !== undefined && p2p.sendTo(peer, Topic.CONSENSUS, bytes)) {
        stats.sent++;
        return;
      }
      stats.fallbacks++;
      broadcastBytes(bytes);
    },
    penalize(from, reason) {
      if (from.startsWith("0x")) p2p.reportInvalid(from, `consensus: ${reason}`.slice(0, 120));
    },
    peerOfSlot: (slot) => slotPeer.get(slot),
    stats: () => ({ ...stats }),
  };
}
