/**
 * Read-only state at a root (the head, or an older block's root for `eth_getBalance` at N,
 * `eth_call` at a block): accounts, code, storage, and EIP-1186 proofs.
 */
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, HashNode, type NodeRef, createTrieProof, keccak256 } from "../core/index.ts";
import { type AccountRecord, sameBytes } from "./account.ts";
import { StateError, StateErrorCode } from "./errors.ts";
import type { StateStore } from "./stateStore.ts";
import { WorldState } from "./worldState.ts";

/** EIP-1186 proof of an account and some of its storage slots. */
export interface AccountProof {
  address: Uint8Array;
  balance: bigint;
  nonce: bigint;
  codeHash: Uint8Array;
  storageHash: Uint8Array;
  accountProof: Uint8Array[];
  storageProof: { key: Uint8Array; value: bigint; proof: Uint8Array[] }[];
}

function ref(root: Uint8Array): NodeRef | null {
  return sameBytes(root, EMPTY_TRIE_ROOT) ? null : new HashNode(root);
}

/** A read-only view of the state at one root. */
export class StateReader {
  readonly root: Uint8Array;
  readonly #store: StateStore;
  readonly #world: WorldState;

  /** @throws {StateError} UNKNOWN_ROOT when the root is not stored. */
  constructor(store: StateStore, root: Uint8Array) {
    if (!sameBytes(root, EMPTY_TRIE_ROOT) && !store.hasNode(root)) {
      throw new StateError({ code: StateErrorCode.UNKNOWN_ROOT, root }, "state not available (unknown or pruned root)");
    }
    this.root = root;
    this.#store = store;
    this.#world = new WorldState(store, root);
  }

  /** The account, or null. */
  getAccount(address: Uint8Array): AccountRecord | null {
    return this.#world.getAccount(address);
  }

  /** Balance in wei (0 for a missing account). */
  getBalance(address: Uint8Array): bigint {
    return this.getAccount(address)?.balance ?? 0n;
  }

  /** Account nonce (0 for a missing account). */
  getNonce(address: Uint8Array): bigint {
    return this.getAccount(address)?.nonce ?? 0n;
  }

  /** Code (empty for a missing account or an EOA). */
  getCode(address: Uint8Array): Uint8Array {
    return this.#world.getCode(address);
  }

  /** A storage slot as 32 bytes. */
  getStorage(address: Uint8Array, slot: Uint8Array): Uint8Array {
    if (slot.length !== 32) throw new RangeError("storage slot must be 32 bytes");
    const v = this.#world.getStorage(address, slot);
    const out = new Uint8Array(32);
    out.set(v, 32 - v.length);
    return out;
  }

  /** EIP-1186 proof (`eth_getProof`); slots are 32 bytes. */
  getProof(address: Uint8Array, slots: readonly Uint8Array[]): AccountProof {
    const acct = this.getAccount(address);
    const storageRoot = acct?.storageRoot ?? EMPTY_TRIE_ROOT;
    const sref = ref(storageRoot);
    return {
      address,
      balance: acct?.balance ?? 0n,
      nonce: acct?.nonce ?? 0n,
      codeHash: acct?.codeHash ?? EMPTY_CODE_HASH,
      storageHash: storageRoot,
      accountProof: createTrieProof(ref(this.root), keccak256(address), this.#store),
      storageProof: slots.map((key) => {
        if (key.length !== 32) throw new RangeError("storage slot must be 32 bytes");
        const v = this.#world.getStorage(address, key);
        let value = 0n;
        for (const b of v) value = (value << 8n) | BigInt(b);
        return { key, value, proof: createTrieProof(sref, keccak256(key), this.#store) };
      }),
    };
  }

  /** A mutable copy of this state (e.g. for a simulated call), never committed. */
  toWorldState(): WorldState {
    return new WorldState(this.#store, this.root);
  }
}
