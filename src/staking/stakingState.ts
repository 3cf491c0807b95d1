/**
 * The staking records of a shard's state, read and written through the staking contract's storage
 * (see `_storage.ts`): validators, the list of all validator addresses, delegations with the two
 * indexes that find them (a validator's delegators, a delegator's validators), and which validator
 * owns each BLS key (so a key is never registered twice).
 * @module
 */
import { EMPTY_ACCOUNT, type WorldState } from "../state/index.ts";
import { hexToBytes } from "../util/bytes.ts";
import { ContractStorage, addressWord, storageKey, wordAddress } from "./_storage.ts";
import { STAKING_CONTRACT_ADDRESS } from "./abi.ts";
import { type DelegationRecord, type ValidatorRecord, decodeDelegation, decodeValidator, encodeDelegation, encodeValidator } from "./records.ts";

/** The staking contract's address as bytes. */
export const STAKING_ADDRESS_BYTES: Uint8Array = hexToBytes(STAKING_CONTRACT_ADDRESS);

const VALIDATORS = storageKey("harmony-ts/staking/validators");
const validatorKey = (a: Uint8Array) => storageKey("v", a);
const delegationKey = (v: Uint8Array, d: Uint8Array) => storageKey("d", v, d);
const delegatorsKey = (v: Uint8Array) => storageKey("dl", v);
const validatorsOfKey = (d: Uint8Array) => storageKey("dv", d);
const keyOwnerKey = (k: Uint8Array) => storageKey("k", k);

/** Typed access to the staking records in `world`. */
export class StakingState {
  readonly storage: ContractStorage;

  constructor(readonly world: WorldState) {
    this.storage = new ContractStorage(world, STAKING_ADDRESS_BYTES);
  }

  /**
   * Make the contract account non-empty (nonce 1), so that EIP-161's removal of touched empty
   * accounts can never wipe the records kept in its storage.
   */
  ensureAccount(): void {
    const a = this.world.getAccount(STAKING_ADDRESS_BYTES);
    if (a === null) this.world.putAccount(STAKING_ADDRESS_BYTES, { ...EMPTY_ACCOUNT, nonce: 1n });
    else if (a.nonce === 0n) this.world.putAccount(STAKING_ADDRESS_BYTES, { ...a, nonce: 1n });
  }

  /** The validator at `address`, if any. @throws {SyntaxError} on a corrupt record. */
  getValidator(address: Uint8Array): ValidatorRecord | undefined {
    const b = this.storage.getBlob(validatorKey(address));
    return b === undefined ? undefined : decodeValidator(b);
  }

  /** Save a validator; a new one joins the list of validators. */
  putValidator(v: ValidatorRecord): void {
    this.ensureAccount();
    const key = validatorKey(v.address);
    if (!this.storage.hasBlob(key)) this.storage.listPush(VALIDATORS, addressWord(v.address));
    this.storage.putBlob(key, encodeValidator(v));
  }

  /** Every validator address, in creation order (removals are not possible: banned ones stay). */
  validatorAddresses(): Uint8Array[] {
    const n = this.storage.listLength(VALIDATORS);
    return Array.from({ length: n }, (_, i) => wordAddress(this.storage.listGet(VALIDATORS, i)));
  }

  /** Owner of a BLS key, if registered. */
  keyOwner(blsKey: Uint8Array): Uint8Array | undefined {
    const w = this.storage.getWord(keyOwnerKey(blsKey));
    return w.every((b) => b === 0) ? undefined : wordAddress(w);
  }

  /** Register (or with undefined, release) a BLS key. */
  setKeyOwner(blsKey: Uint8Array, owner: Uint8Array | undefined): void {
    this.storage.putWord(keyOwnerKey(blsKey), owner === undefined ? new Uint8Array(0) : addressWord(owner));
  }

  /** The delegation of `delegator` to `validator`, if any. @throws {SyntaxError} on a corrupt record. */
  getDelegation(validator: Uint8Array, delegator: Uint8Array): DelegationRecord | undefined {
    const b = this.storage.getBlob(delegationKey(validator, delegator));
    return b === undefined ? undefined : decodeDelegation(b);
  }

  /** Save a delegation; a new one (indexes -1) is appended to both indexes first. */
  putDelegation(validator: Uint8Array, d: DelegationRecord): void {
    this.ensureAccount();
    const key = delegationKey(validator, d.delegator);
    if (d.indexInValidator < 0) {
      d.indexInValidator = this.storage.listPush(delegatorsKey(validator), addressWord(d.delegator));
      d.indexInDelegator = this.storage.listPush(validatorsOfKey(d.delegator), addressWord(validator));
    }
    this.storage.putBlob(key, encodeDelegation(d));
  }

  /** Delete a delegation and its index entries (the entries moved into their places are re-pointed). */
  removeDelegation(validator: Uint8Array, d: DelegationRecord): void {
    const movedDelegator = this.storage.listSwapRemove(delegatorsKey(validator), d.indexInValidator);
    if (movedDelegator !== undefined) {
      const m = this.getDelegation(validator, wordAddress(movedDelegator));
      if (m !== undefined) this.storage.putBlob(delegationKey(validator, m.delegator), encodeDelegation({ ...m, indexInValidator: d.indexInValidator }));
    }
    const movedValidator = this.storage.listSwapRemove(validatorsOfKey(d.delegator), d.indexInDelegator);
    if (movedValidator !== undefined) {
      const v = wordAddress(movedValidator);
      const m = this.getDelegation(v, d.delegator);
      if (m !== undefined) this.storage.putBlob(delegationKey(v, d.delegator), encodeDelegation({ ...m, indexInDelegator: d.indexInDelegator }));
    }
    this.storage.putBlob(delegationKey(validator, d.delegator), undefined);
  }

  /** Delegator addresses of a validator, in list order (the operator's self-delegation first). */
  delegatorsOf(validator: Uint8Array): Uint8Array[] {
    const k = delegatorsKey(validator);
    return Array.from({ length: this.storage.listLength(k) }, (_, i) => wordAddress(this.storage.listGet(k, i)));
  }

  /** Validators a delegator has delegations with. */
  validatorsOf(delegator: Uint8Array): Uint8Array[] {
    const k = validatorsOfKey(delegator);
    return Array.from({ length: this.storage.listLength(k) }, (_, i) => wordAddress(this.storage.listGet(k, i)));
  }

  /** Every delegation of a validator, in list order. */
  delegationsOf(validator: Uint8Array): DelegationRecord[] {
    return this.delegatorsOf(validator).map((d) => {
      const r = this.getDelegation(validator, d);
      if (r === undefined) throw new Error("staking state: a listed delegation has no record"); // broken invariant
      return r;
    });
  }
}
