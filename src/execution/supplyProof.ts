/**
 * Proofs of a shard's supply totals (DESIGN §Sharding): a block's header with an EIP-1186 proof of
 * the supply account and its four slots under the header's stateRoot. A node that does not run the
 * shard checks the header against the block hash the beacon chain crosslinked (signed by the shard's
 * committee and verified by every beacon node), then the proofs against that header's stateRoot: the
 * totals are then the shard's own consensus, not the word of the peer that sent them.
 * @module
 */
import { type Header, asBytes, asList, bigintToBytes, decodeHeader, decodeInt, keccak256, rlpDecode, rlpEncode, verifyTrieProof } from "../core/index.ts";
import { type StateReader, decodeAccount } from "../state/index.ts";
import { NodeError } from "../util/errors.ts";
import { SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS, type SupplyTotals } from "./supplyAccount.ts";

/** A block's header with the proofs of its supply totals. */
export interface ShardSupplyProof {
  readonly header: Header;
  /** The totals the sender claims (checked against the proofs, never taken on trust). */
  readonly totals: SupplyTotals;
  /** Trie nodes from the state root to the supply account. */
  readonly accountProof: readonly Uint8Array[];
  /** Trie nodes from the account's storage root to each slot, in slot order. */
  readonly storageProofs: readonly (readonly Uint8Array[])[];
}

/** Codes of {@link SupplyProofError}. */
export const SupplyProofErrorCode = {
  /** Not a proof: bad RLP, a wrong shape, a malformed header or trie node. */
  MALFORMED: "SUPPLY_PROOF_MALFORMED",
  /** The header is not the block asked for: its hash, shard or number is not the crosslinked one. */
  HEADER_MISMATCH: "SUPPLY_PROOF_HEADER_MISMATCH",
  /** The account or a slot does not verify against the header's stateRoot, or a claimed total differs from the proven one. */
  PROOF_INVALID: "SUPPLY_PROOF_INVALID",
} as const;

/** Metadata of a {@link SupplyProofError}. */
export type SupplyProofErrorType =
  | { code: typeof SupplyProofErrorCode.MALFORMED; reason: string }
  | { code: typeof SupplyProofErrorCode.HEADER_MISMATCH; field: "hash" | "shardId" | "number"; expected: string; actual: string }
  | { code: typeof SupplyProofErrorCode.PROOF_INVALID; reason: string };

/** A supply proof that does not prove what it claims; the peer that sent it sent invalid data. */
export class SupplyProofError extends NodeError<SupplyProofErrorType> {}

const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
const totalsList = (t: SupplyTotals) => [t.issued, t.burnt, t.cxOut, t.cxIn];

/**
 * The proof of the supply totals at `header`, read from `state` (a reader at `header.stateRoot`).
 * @throws {TrieError} when that state is not stored.
 */
export function createShardSupplyProof(header: Header, state: Pick<StateReader, "getProof">): ShardSupplyProof {
  const p = state.getProof(SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS);
  const [issued, burnt, cxOut, cxIn] = p.storageProof.map((s) => s.value) as [bigint, bigint, bigint, bigint];
  return { header, totals: { issued, burnt, cxOut, cxIn }, accountProof: p.accountProof, storageProofs: p.storageProof.map((s) => s.proof) };
}

/** `rlp([header, [issued, burnt, cxOut, cxIn], accountProof, [slotProof × 4]])`. */
export function encodeShardSupplyProof(p: ShardSupplyProof): Uint8Array {
  return rlpEncode([p.header.encoded, totalsList(p.totals).map(bigintToBytes), [...p.accountProof], p.storageProofs.map((s) => [...s])]);
}

const nodes = (v: unknown, f: string) => (asList(v, f) as unknown[]).map((x, i) => asBytes(x, `${f}[${i}]`));

/** @throws {SupplyProofError} MALFORMED. */
export function decodeShardSupplyProof(bytes: Uint8Array): ShardSupplyProof {
  try {
    const [header, values, account, storage] = asList(rlpDecode(bytes, "supply proof"), "supply proof", 4);
    const [issued, burnt, cxOut, cxIn] = asList(values, "supply proof.totals", 4).map((v, i) => decodeInt(v, `supply proof.totals[${i}]`, 32)) as [bigint, bigint, bigint, bigint];
    const storageProofs = asList(storage, "supply proof.storage", SUPPLY_SLOTS.length).map((s, i) => nodes(s, `supply proof.storage[${i}]`));
    return { header: decodeHeader(asBytes(header, "supply proof.header")), totals: { issued, burnt, cxOut, cxIn }, accountProof: nodes(account, "supply proof.account"), storageProofs };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new SupplyProofError({ code: SupplyProofErrorCode.MALFORMED, reason }, `malformed supply proof: ${reason}`, { cause: e });
  }
}

/** The block a proof must be of: the one the beacon chain crosslinked for the shard. */
export interface SupplyProofTarget {
  readonly shardId: number;
  readonly blockNumber: bigint;
  readonly blockHash: Uint8Array;
}

/**
 * Check `p` against the crosslinked block `target` and return the proven totals.
 * @throws {SupplyProofError} HEADER_MISMATCH (not the crosslinked block), PROOF_INVALID (a proof that
 * does not verify under the header's stateRoot, or a claimed total that is not the proven one), MALFORMED.
 */
export function verifyShardSupplyProof(p: ShardSupplyProof, target: SupplyProofTarget): SupplyTotals {
  const h = p.header;
  const mismatch = (field: "hash" | "shardId" | "number", expected: string, actual: string) =>
    new SupplyProofError({ code: SupplyProofErrorCode.HEADER_MISMATCH, field, expected, actual }, `supply proof header: ${field} ${actual}, the crosslinked block has ${expected}`);
  if (hex(h.hash) !== hex(target.blockHash)) throw mismatch("hash", hex(target.blockHash), hex(h.hash));
  if (h.shardId !== target.shardId) throw mismatch("shardId", String(target.shardId), String(h.shardId));
  if (h.number !== target.blockNumber) throw mismatch("number", String(target.blockNumber), String(h.number));
  const invalid = (reason: string) => new SupplyProofError({ code: SupplyProofErrorCode.PROOF_INVALID, reason }, `supply proof of shard ${target.shardId} block ${target.blockNumber}: ${reason}`);
  const proven = (root: Uint8Array, key: Uint8Array, proof: readonly Uint8Array[], what: string) => {
    try {
      return verifyTrieProof(root, keccak256(key), proof);
    } catch (e) {
      throw invalid(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (p.storageProofs.length !== SUPPLY_SLOTS.length) throw invalid(`${p.storageProofs.length} slot proofs, expected ${SUPPLY_SLOTS.length}`);
  const raw = proven(h.stateRoot, SUPPLY_ACCOUNT_BYTES, p.accountProof, "account proof");
  // No account: the block is genesis, or a block before this rule (totals zero); the claim must say so.
  let storageRoot: Uint8Array | undefined;
  if (raw !== undefined) {
    try {
      storageRoot = decodeAccount(raw).storageRoot;
    } catch (e) {
      throw invalid(`account: ${(e as Error).message}`);
    }
  }
  const claimed = totalsList(p.totals);
  SUPPLY_SLOTS.forEach((slot, i) => {
    const v = storageRoot === undefined ? undefined : proven(storageRoot, slot, p.storageProofs[i] as readonly Uint8Array[], `slot ${i} proof`);
    let value = 0n;
    if (v !== undefined) {
      try {
        value = decodeInt(rlpDecode(v, "slot value"), "slot value", 32);
      } catch (e) {
        throw invalid(`slot ${i}: ${(e as Error).message}`);
      }
    }
    if (value !== claimed[i]) throw invalid(`slot ${i} claims ${claimed[i]}, the proof shows ${value}`);
  });
  return p.totals;
}
