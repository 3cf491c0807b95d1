/**
 * The handshake (DESIGN §P2P). Each side sends HELLO with a fresh 32-byte random challenge, its
 * compressed node public key, network id, genesis hash, shard, advertised URL and head. Each side
 * answers the other's HELLO with AUTH: a secp256k1 signature with its node key over
 * keccak256(DOMAIN ‖ theirChallenge ‖ networkId u64 ‖ genesisHash ‖ shardId u32 ‖ ownListenUrl), which
 * proves the key, binds the URL it advertises and cannot be replayed (the challenge is the verifier's).
 * Mismatched network, genesis or shard is rejected before anything is signed.
 */
import { encodeSignature, keccak256, privateKeyToPublicKey, publicKeyToAddress, signHash, verifySignature } from "../crypto/index.ts";
import { bytesToHex, concatBytes } from "../util/bytes.ts";
import { P2PError, P2PErrorCode, PeerAction, malformed } from "./errors.ts";
import { FrameType, bytesField, encodeFrame, expectFields, numField, stringField, uintField, type Frame } from "./_frame.ts";
import type { Head, PeerId } from "./types.ts";

/** Version of this wire protocol; a peer on another version is rejected. */
export const PROTOCOL_VERSION = 1;
const DOMAIN = new TextEncoder().encode("harmony-ts/p2p/auth/v1");
/** Longest advertised URL accepted. */
export const MAX_URL_LENGTH = 256;

/** What we know about ourselves for the handshake. */
export interface LocalIdentity {
  secretKey: Uint8Array;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  nodeId: PeerId;
  networkId: number;
  genesisHash: Uint8Array;
  shardId: number;
  /** The URL we advertise; "" advertises none (peers cannot dial us back). */
  listenUrl: string;
}

/** A decoded HELLO. */
export interface Hello {
  version: number;
  publicKey: Uint8Array;
  challenge: Uint8Array;
  networkId: number;
  genesisHash: Uint8Array;
  shardId: number;
  /** The URL the peer advertises, normalized; "" when it advertises none. */
  listenUrl: string;
  head: Head;
}

/**
 * Our identity from the node key.
 * @throws {TypeError|RangeError} when `secretKey` is not a valid secp256k1 secret or genesisHash not 32 bytes.
 */
export function createIdentity(opts: Omit<LocalIdentity, "publicKey" | "nodeId">): LocalIdentity {
  if (!(opts.genesisHash instanceof Uint8Array) || opts.genesisHash.length !== 32) throw new RangeError("genesisHash: expected 32 bytes");
  const publicKey = privateKeyToPublicKey(opts.secretKey, true);
  return { ...opts, publicKey, nodeId: nodeIdOf(publicKey) };
}

/** The node id (lowercase `0x` address) of a public key. */
export function nodeIdOf(publicKey: Uint8Array): PeerId {
  return bytesToHex(publicKeyToAddress(publicKey));
}

/** A fresh random challenge from the platform CSPRNG. */
export function newChallenge(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** Encode our HELLO frame. */
export function encodeHello(local: LocalIdentity, challenge: Uint8Array, head: Head): Uint8Array {
  return encodeFrame(FrameType.HELLO, [
    PROTOCOL_VERSION, local.publicKey, challenge, local.networkId, local.genesisHash, local.shardId, local.listenUrl, head.number, head.hash,
  ]);
}

/**
 * Decode a HELLO frame's fields.
 * @throws {P2PError} MALFORMED_FRAME (REJECT).
 */
export function decodeHello(frame: Frame): Hello {
  expectFields(frame, 9);
  const publicKey = bytesField(frame.fields, 1, 33);
  try {
    nodeIdOf(publicKey);
  } catch {
    throw malformed("HELLO: public key is not a point on secp256k1");
  }
  return {
    version: numField(frame.fields, 0),
    publicKey,
    challenge: bytesField(frame.fields, 2, 32),
    networkId: numField(frame.fields, 3),
    genesisHash: bytesField(frame.fields, 4, 32),
    shardId: numField(frame.fields, 5),
    listenUrl: advertisedUrl(frame.fields, 6),
    head: { number: uintField(frame.fields, 7, 8), hash: bytesField(frame.fields, 8, 32) },
  };
}

/**
 * Reject a peer of another protocol version, network, genesis or shard.
 * @throws {P2PError} PROTOCOL_VERSION, NETWORK_MISMATCH, GENESIS_MISMATCH or SHARD_MISMATCH (REJECT).
 */
export function assertCompatible(local: LocalIdentity, hello: Hello): void {
  const R = PeerAction.REJECT;
  if (hello.version !== PROTOCOL_VERSION) {
    throw new P2PError({ code: P2PErrorCode.PROTOCOL_VERSION, action: R, ours: PROTOCOL_VERSION, theirs: hello.version }, `protocol version ${hello.version}, ours ${PROTOCOL_VERSION}`);
  }
  if (hello.networkId !== local.networkId) {
    throw new P2PError({ code: P2PErrorCode.NETWORK_MISMATCH, action: R, ours: local.networkId, theirs: hello.networkId }, `network id ${hello.networkId}, ours ${local.networkId}`);
  }
  const ours = bytesToHex(local.genesisHash);
  const theirs = bytesToHex(hello.genesisHash);
  if (ours !== theirs) throw new P2PError({ code: P2PErrorCode.GENESIS_MISMATCH, action: R, ours, theirs }, `genesis ${theirs}, ours ${ours}`);
  if (hello.shardId !== local.shardId) {
    throw new P2PError({ code: P2PErrorCode.SHARD_MISMATCH, action: R, ours: local.shardId, theirs: hello.shardId }, `shard ${hello.shardId}, ours ${local.shardId}`);
  }
}

/** The digest an AUTH signs: see the module comment. */
export function computeAuthDigest(p: { challenge: Uint8Array; networkId: number; genesisHash: Uint8Array; shardId: number; listenUrl: string }): Uint8Array {
  const nums = new Uint8Array(12);
  const view = new DataView(nums.buffer);
  view.setBigUint64(0, BigInt(p.networkId));
  view.setUint32(8, p.shardId);
  const url = new TextEncoder().encode(p.listenUrl);
  return keccak256(concatBytes(DOMAIN, p.challenge, nums.subarray(0, 8), p.genesisHash, nums.subarray(8), url));
}

/** Our AUTH frame answering the peer's challenge. */
export function encodeAuth(local: LocalIdentity, theirChallenge: Uint8Array): Uint8Array {
  const digest = computeAuthDigest({ ...local, challenge: theirChallenge });
  return encodeFrame(FrameType.AUTH, [encodeSignature(signHash(digest, local.secretKey))]);
}

/**
 * Check the peer's AUTH against our challenge and its HELLO; returns its node id.
 * @throws {P2PError} MALFORMED_FRAME or BAD_SIGNATURE (REJECT).
 */
export function verifyAuth(frame: Frame, hello: Hello, ourChallenge: Uint8Array): PeerId {
  expectFields(frame, 1);
  const sig = bytesField(frame.fields, 0, 65);
  const digest = computeAuthDigest({ ...hello, challenge: ourChallenge });
  if (!verifySignature(digest, sig, hello.publicKey)) {
    throw new P2PError({ code: P2PErrorCode.BAD_SIGNATURE, action: PeerAction.REJECT }, "handshake signature does not verify");
  }
  return nodeIdOf(hello.publicKey);
}

/**
 * Normalize a peer URL (`ws://` or `wss://`, host and port); used for the blocklist and peer store.
 * @throws {P2PError} MALFORMED_FRAME when it is not such a URL.
 */
export function parsePeerUrl(s: string): string {
  const url = tryNormalizeUrl(s);
  if (url === undefined) throw malformed(`not a ws:// or wss:// URL: ${s.slice(0, 80)}`);
  return url;
}

// The URL field of a HELLO: empty is a peer that advertises no address (it only dials out).
function advertisedUrl(fields: Frame["fields"], i: number): string {
  const v = fields[i];
  return v instanceof Uint8Array && v.length === 0 ? "" : parsePeerUrl(stringField(fields, i, MAX_URL_LENGTH));
}

/**
 * True for a normalized URL others can dial: not "" and not an unspecified host (0.0.0.0, [::]), which
 * names "every interface" to a listener but no machine to a dialer.
 */
export function isDialableUrl(url: string): boolean {
  if (url === "") return false;
  try {
    const host = new URL(url).hostname;
    return host !== "0.0.0.0" && host !== "[::]" && host !== "[0:0:0:0:0:0:0:0]";
  } catch {
    return false;
  }
}

/** Normalized `ws(s)://host:port/path`, or undefined when `s` is not such a URL. */
export function tryNormalizeUrl(s: string): string | undefined {
  if (typeof s !== "string" || s.length > MAX_URL_LENGTH) return undefined;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  if ((u.protocol !== "ws:" && u.protocol !== "wss:") || u.hostname === "" || u.username !== "" || u.password !== "") return undefined;
  return `${u.protocol}//${u.host}${u.pathname}${u.search}`;
}
