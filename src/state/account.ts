/** Accounts as the state trie stores them: rlp([nonce, balance, storageRoot, codeHash]). */
import { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, bigintToBytes, bytesToBigint } from "../core/index.ts";
import { RLP } from "@ethereumjs/rlp";

/** An account's state. Immutable: a change makes a new record. */
export interface AccountRecord {
  readonly nonce: bigint;
  readonly balance: bigint;
  readonly storageRoot: Uint8Array;
  readonly codeHash: Uint8Array;
}

/** A new account with nothing in it. */
export const EMPTY_ACCOUNT: AccountRecord = Object.freeze({ nonce: 0n, balance: 0n, storageRoot: EMPTY_TRIE_ROOT, codeHash: EMPTY_CODE_HASH });

/** True for accounts EIP-161 deletes when touched: no nonce, no balance, no code. */
export function isEmptyAccount(a: AccountRecord): boolean {
  return a.nonce === 0n && a.balance === 0n && sameBytes(a.codeHash, EMPTY_CODE_HASH);
}

/** True when the account has code. */
export function hasCode(a: AccountRecord | null): boolean {
  return a !== null && !sameBytes(a.codeHash, EMPTY_CODE_HASH);
}

/** The trie value of an account. */
export function encodeAccount(a: AccountRecord): Uint8Array {
  return RLP.encode([bigintToBytes(a.nonce), bigintToBytes(a.balance), a.storageRoot, a.codeHash]);
}

/**
 * Decode a trie value into an account.
 * @throws {SyntaxError} on a malformed value.
 */
export function decodeAccount(bytes: Uint8Array): AccountRecord {
  const raw = RLP.decode(bytes) as unknown;
  if (!Array.isArray(raw) || raw.length !== 4 || !raw.every((x) => x instanceof Uint8Array)) throw new SyntaxError("account: expected a list of 4 byte strings");
  const [nonce, balance, storageRoot, codeHash] = raw as Uint8Array[];
  if ((storageRoot as Uint8Array).length !== 32 || (codeHash as Uint8Array).length !== 32) throw new SyntaxError("account: roots must be 32 bytes");
  return { nonce: bytesToBigint(nonce as Uint8Array), balance: bytesToBigint(balance as Uint8Array), storageRoot: storageRoot as Uint8Array, codeHash: codeHash as Uint8Array };
}

/** Byte equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
