/**
 * The consensus driver's network (DESIGN §P2P): FBFT messages on the `consensus` gossip topic, votes
 * sent directly to the peer holding the leader's key, and a BLS key → peer map learned from signed
 * identity bindings (`consensus/id`: a node proves, with the aggregate BLS signature of its keys over
 * its p2p node id, which keys it holds — keys, not slots, so a binding outlives the epoch whose
 * committee numbered them). A message's signers are slots of the committee of its height's epoch;
 * a message of the next epoch waits (boundedly) for the block that settles that committee. Every
 * message, gossiped or direct, takes one path:
 * it must decode and its outer signature must verify before the state machine sees it (through the
 * pool's cache, so the state machine does not pay for it twice); invalid messages are REJECTed, which
 * scores the sending peer down until the p2p layer disconnects it. Checks that arrive together (the
 * votes of a phase) are verified as one batch; votes that do not come from a validator's peer wait in
 * a serial lane, so forgeries cannot crowd honest votes out of the verifier.
 */
import {
  type Committee, type ConsensusMessage, SELF_SIGNED_KINDS, type SignatureCheck, commitPayload, decodeConsensusMessage, encodeConsensusMessage,
  isValidBitmap, keysOfBitmap, preparePayload, signingBytes, slotsOfBitmap,
} from "../consensus/index.ts";
import { RLP } from "@ethereumjs/rlp";
import { PUBLIC_KEY_LENGTH } from "../crypto/index.ts";
import { type GossipMessage, type P2P, type PeerId, Topic, ValidationResult } from "../p2p/index.ts";
import { bytesToHex, concatBytes, hexToBytes } from "../util/bytes.ts";
import type { Logger } from "../util/logger.ts";
import type { AsyncVoteVerifier } from "./blsPool.ts";
import { createSerialVerifier, createVerifyBatcher } from "./_verifyBatcher.ts";
import type { EpochCommittee } from "./epochCommittees.ts";

/** Topic of the slot bindings (direct messages only). */
export const IDENTITY_TOPIC = "consensus/id";
const IDENTITY_TAG = new TextEncoder().encode("harmony-ts/consensus/id/v2");
/** Most keys one binding may name (a validator has at most 106). */
export const MAX_BOUND_KEYS = 128;

/** The committees a message is checked against (an `EpochCommittees` fits). */
export interface NetCommittees {
  epochOfHeight(height: bigint): bigint;
  /** False when the epoch of `height` cannot be told yet (a shard's blocks beyond the next one). */
  isEpochCertain(height: bigint): boolean;
  at(epoch: bigint): EpochCommittee | undefined;
  /** The committee of `epoch`, waiting up to `ms` for it to settle (undefined: not in time). */
  waitFor(epoch: bigint, ms: number): Promise<EpochCommittee | undefined>;
}

/** Options of {@link createConsensusNet}. */
export interface ConsensusNetOptions {
  readonly committees: NetCommittees;
  /** Our BLS public keys (none for an RPC node), elected or not. */
  readonly ownKeys: readonly Uint8Array[];
  readonly genesisHash: Uint8Array;
  /** Aggregate signature of all our keys over `message` (for the identity binding). */
  readonly sign?: (message: Uint8Array) => Uint8Array;
  /** Height the node is deciding; gossip more than 2 heights below is ignored, not relayed. */
  readonly currentHeight?: () => bigint;
  /** How long a message of the next epoch waits for its committee to settle, ms (default 10,000). */
  readonly nextEpochWaitMs?: number;
}

/** Services of {@link createConsensusNet}. */
export interface ConsensusNetModules {
  readonly p2p: Pick<P2P, "publish" | "subscribe" | "sendTo" | "peers" | "on" | "reportInvalid" | "nodeId">;
  readonly verifier: AsyncVoteVerifier;
  readonly logger: Logger;
  /** An accepted ANNOUNCE or NEWVIEW carried a block; `arrivedAt` is when its frame arrived (ms, wall clock). */
  readonly onProposal?: (block: Uint8Array, arrivedAt: number) => void;
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
  /** Send to the peer holding `slot` (of the committee of the message's epoch), or broadcast when it is unknown or unreachable. */
  send(slot: number, message: ConsensusMessage): void;
  /** Score down the peer a message came from (ignored for "" and local sources). */
  penalize(from: string, reason: string): void;
  /** The peer that proved it holds this BLS key. */
  peerOfKey(publicKey: Uint8Array): PeerId | undefined;
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
  const { committees } = opts;
  const { p2p, verifier, logger: log } = modules;
  /** Hex BLS key → the peer that proved it holds it. */
  const keyPeer = new Map<string, PeerId>();
  const waitMs = opts.nextEpochWaitMs ?? 10_000;
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
    let keys: Uint8Array[];
    let sig: Uint8Array;
    try {
      const l = RLP.decode(msg.data) as unknown;
      if (!Array.isArray(l) || l.length !== 2 || !Array.isArray(l[0]) || !(l[1] instanceof Uint8Array)) throw new SyntaxError("expected [[key…], sig]");
      keys = l[0] as Uint8Array[];
      sig = l[1] as Uint8Array;
      if (keys.length === 0 || keys.length > MAX_BOUND_KEYS || !keys.every((k) => k instanceof Uint8Array && k.length === PUBLIC_KEY_LENGTH)) throw new SyntaxError("bad key list");
      if (new Set(keys.map(bytesToHex)).size !== keys.length) throw new SyntaxError("duplicate key");
    } catch {
      return ValidationResult.REJECT;
    }
    // The aggregate signature proves possession of every key (keys are checked for proofs of possession when staked).
    const [ok] = await verifier.verify([{ publicKeys: keys, message: identityPayload(opts.genesisHash, from), signature: sig }]);
    if (!ok) return ValidationResult.REJECT;
    for (const k of keys) keyPeer.set(bytesToHex(k), from);
    log.debug("peer holds keys", { peer: from, keys: keys.length });
    return ValidationResult.ACCEPT;
  }

  const peerOfSlot = (committee: Committee, slot: number): PeerId | undefined => {
    const k = committee.keys[slot];
    return k === undefined ? undefined : keyPeer.get(bytesToHex(k));
  };

  // A vote is sent by its signers' node: directly from the peer bound to its slots, or gossiped when
  // the leader's peer is unknown and then relayed by validators. A vote from anyone else (a peer with
  // no slot, or claiming slots bound to another peer) is most likely forged: it is still checked and
  // its sender still pays, but one at a time, behind the honest votes.
  function trusted(committee: Committee, m: ConsensusMessage, from: PeerId, direct: boolean): boolean {
    if (m.kind !== "prepare" && m.kind !== "commit") return true;
    if (direct) return slotsOfBitmap(m.signers).every((s) => peerOfSlot(committee, s) === from);
    for (const p of keyPeer.values()) if (p === from) return true;
    return false;
  }

  function stale(m: ConsensusMessage): boolean {
    const h = opts.currentHeight?.();
    return h !== undefined && m.height + 2n < h;
  }

  async function onConsensus(sink: MessageSink, msg: GossipMessage, from: PeerId): Promise<ValidationResult> {
    // Taken before any await: the handler runs in the tick the frame arrived in.
    const arrivedAt = Date.now();
    let m: ConsensusMessage;
    try {
      m = decodeConsensusMessage(msg.data);
    } catch {
      stats.rejected++;
      return ValidationResult.REJECT;
    }
    if (stale(m)) {
      stats.ignored++;
      return ValidationResult.IGNORE;
    }
    const ec = await committees.waitFor(committees.epochOfHeight(m.height), waitMs);
    if (ec === undefined) {
      // Too far ahead, or its epoch did not settle in time: not provably bad, not ours to relay.
      stats.ignored++;
      return ValidationResult.IGNORE;
    }
    const committee = ec.committee;
    // A shard message beyond the next block may belong to an epoch we cannot tell yet: not provably bad.
    const refuse = () => {
      const certain = committees.isEpochCertain(m.height);
      stats[certain ? "rejected" : "ignored"]++;
      return certain ? ValidationResult.REJECT : ValidationResult.IGNORE;
    };
    if (!isValidBitmap(m.signers, committee.size) || slotsOfBitmap(m.signers).length === 0) return refuse();
    // Direct votes are checked too (issue 8 item 3): an unverified vote reaching the leader's state
    // machine would cost it a verification round while the forger pays nothing; REJECT makes the
    // sender pay at the p2p layer, frame by frame.
    const ok = trusted(committee, m, from, msg.direct) ? await verifyOne(outerCheck(committee, m)) : await verifySuspect(outerCheck(committee, m));
    if (ok === null) {
      stats.ignored++;
      return ValidationResult.IGNORE;
    }
    if (!ok) return refuse();
    stats.received++;
    if (msg.direct) stats.direct++;
    if ((m.kind === "announce" || m.kind === "newview") && m.block.length > 0) modules.onProposal?.(m.block, arrivedAt);
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
      if (opts.sign !== undefined && opts.ownKeys.length > 0) {
        binding = RLP.encode([opts.ownKeys.map((k) => k.slice()), opts.sign(identityPayload(opts.genesisHash, p2p.nodeId))]);
      }
      offs.push(
        p2p.subscribe(Topic.CONSENSUS, (msg, from) => onConsensus(sink, msg, from)),
        p2p.subscribe(IDENTITY_TOPIC, onIdentity),
        p2p.on("peer:connect", (info) => sendBinding(info.id)),
        p2p.on("peer:disconnect", ({ peer }) => {
          for (const [k, p] of keyPeer) if (p === peer.id) keyPeer.delete(k);
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
      const ec = committees.at(committees.epochOfHeight(m.height));
      const peer = ec === undefined ? undefined : peerOfSlot(ec.committee, slot);
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
    peerOfKey: (k) => keyPeer.get(bytesToHex(k)),
    stats: () => ({ ...stats }),
  };
}
