/**
 * The EVM's view of state (STYLE §4): `@ethereumjs/common`'s StateManagerInterface over a
 * {@link WorldState}. The EVM never sees the database; checkpoints map to the world state's journal.
 */
import type { AccountFields, StateManagerInterface } from "@ethereumjs/common";
import { Account, type Address } from "@ethereumjs/util";
import { EMPTY_TRIE_ROOT } from "../core/index.ts";
import type { AccountRecord } from "./account.ts";
import { StateError, StateErrorCode } from "./errors.ts";
import type { StateStore } from "./stateStore.ts";
import { WorldState } from "./worldState.ts";

function toAccount(a: AccountRecord): Account {
  return new Account(a.nonce, a.balance, a.storageRoot, a.codeHash);
}

function toRecord(a: Account): AccountRecord {
  return { nonce: a.nonce, balance: a.balance, storageRoot: a.storageRoot, codeHash: a.codeHash };
}

/** StateManagerInterface adapter; swap `world` to run on another change set. */
export class EVMStateManager implements StateManagerInterface {
  world: WorldState;

  /** Original (pre-transaction) storage values, as EIP-2200/3529 gas rules need them. */
  readonly originalStorageCache: { get(address: Address, key: Uint8Array): Promise<Uint8Array>; clear(): void };

  constructor(world: WorldState) {
    this.world = world;
    this.originalStorageCache = {
      get: async (address, key) => this.world.getOriginalStorage(address.bytes, key),
      clear: () => this.world.beginTx(),
    };
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const a = this.world.getAccount(address.bytes);
    return a === null ? undefined : toAccount(a);
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    if (account === undefined) {
      this.world.putAccount(address.bytes, null);
      return;
    }
    // The storage root is the world state's business (folded at commit); keep the one it has.
    const cur = this.world.getAccount(address.bytes);
    this.world.putAccount(address.bytes, { ...toRecord(account), storageRoot: cur?.storageRoot ?? EMPTY_TRIE_ROOT });
  }

  async deleteAccount(address: Address): Promise<void> {
    this.world.putAccount(address.bytes, null);
  }

  async modifyAccountFields(address: Address, fields: AccountFields): Promise<void> {
    const cur = this.world.getAccount(address.bytes);
    const base: AccountRecord = cur ?? { nonce: 0n, balance: 0n, storageRoot: EMPTY_TRIE_ROOT, codeHash: new Account().codeHash };
    this.world.putAccount(address.bytes, {
      nonce: fields.nonce ?? base.nonce,
      balance: fields.balance ?? base.balance,
      storageRoot: base.storageRoot,
      codeHash: fields.codeHash ?? base.codeHash,
    });
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    this.world.putCode(address.bytes, value);
  }

  async getCode(address: Address): Promise<Uint8Array> {
    return this.world.getCode(address.bytes);
  }

  async getCodeSize(address: Address): Promise<number> {
    return this.world.getCode(address.bytes).length;
  }

  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    if (key.length !== 32) throw new RangeError("storage key must be 32 bytes");
    return this.world.getStorage(address.bytes, key);
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    if (key.length !== 32) throw new RangeError("storage key must be 32 bytes");
    if (value.length > 32) throw new RangeError("storage value longer than 32 bytes");
    this.world.putStorage(address.bytes, key, value);
  }

  async clearStorage(address: Address): Promise<void> {
    this.world.wipeStorage(address.bytes);
  }

  async checkpoint(): Promise<void> {
    this.world.checkpoint();
  }

  async commit(): Promise<void> {
    this.world.commitCheckpoint();
  }

  async revert(): Promise<void> {
    this.world.revert();
  }

  async getStateRoot(): Promise<Uint8Array> {
    return this.world.stateRoot();
  }

  /** Continue on a fresh change set at `stateRoot`. @throws {StateError} UNKNOWN_ROOT. */
  async setStateRoot(stateRoot: Uint8Array): Promise<void> {
    if (!(await this.hasStateRoot(stateRoot))) throw new StateError({ code: StateErrorCode.UNKNOWN_ROOT, root: stateRoot }, "unknown state root");
    this.world = new WorldState(this.world.store, stateRoot);
  }

  async hasStateRoot(root: Uint8Array): Promise<boolean> {
    return root.length === 32 && (equal(root, EMPTY_TRIE_ROOT) || this.world.store.hasNode(root));
  }

  clearCaches(): void {}

  /** A manager on a fresh change set at the committed base, as if every checkpoint were reverted. */
  shallowCopy(): StateManagerInterface {
    return new EVMStateManager(new WorldState(this.world.store, this.world.baseRoot()));
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The adapter for a world state (factory, STYLE §14). */
export function createEVMStateManager(world: WorldState): EVMStateManager {
  return new EVMStateManager(world);
}

/** A world state at `root` over `store`. */
export function createWorldState(store: StateStore, root: Uint8Array): WorldState {
  return new WorldState(store, root);
}
