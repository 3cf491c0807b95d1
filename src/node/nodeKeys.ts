/**
 * The keys of a node: its secp256k1 node key (p2p identity; a hex file, created on first start) and
 * its BLS validator keys (EIP-2335 keystores, one passphrase file), placed in the genesis committee
 * of their shard.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type BLS, decryptBLSKeystore, generatePrivateKey, isValidPrivateKey } from "../crypto/index.ts";
import { bytesToHex, equalBytes, hexToBytes, isHex } from "../util/bytes.ts";
import { ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";

function unreadable(path: string, reason: string, cause?: unknown): ValidatorNodeError {
  return new ValidatorNodeError({ code: ValidatorNodeErrorCode.KEY_UNREADABLE, path, reason }, `${path}: ${reason}`, { cause });
}

/**
 * The node key in `path` (`0x` hex, 32 bytes); a new one is written there (mode 0600) when the file
 * does not exist.
 * @throws {ValidatorNodeError} KEY_UNREADABLE when the file cannot be read or holds no valid key.
 */
export function loadOrCreateNodeKey(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT") throw unreadable(path, (e as Error).message, e);
    const key = generatePrivateKey();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${bytesToHex(key)}\n`, { mode: 0o600 });
    return key;
  }
  const key = isHex(text) ? hexToBytes(text) : undefined;
  if (key === undefined || !isValidPrivateKey(key)) throw unreadable(path, "not a hex secp256k1 private key");
  return key;
}

/** A decrypted BLS key. */
export interface BLSKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly path: string;
}

/**
 * Decrypt the keystores with the passphrase in `passphraseFile` (its trailing newline is not part of it).
 * @throws {ValidatorNodeError} KEY_UNREADABLE naming the file that failed.
 */
export async function loadBLSKeys(paths: readonly string[], passphraseFile: string, bls: BLS): Promise<BLSKeyPair[]> {
  if (paths.length === 0) return [];
  let passphrase: string;
  try {
    passphrase = readFileSync(passphraseFile, "utf8").replace(/\r?\n$/, "");
  } catch (e) {
    throw unreadable(passphraseFile, (e as Error).message, e);
  }
  const out: BLSKeyPair[] = [];
  for (const path of paths) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw unreadable(path, `not a keystore file: ${(e as Error).message}`, e);
    }
    try {
      const secretKey = await decryptBLSKeystore(json, passphrase, { bls });
      out.push({ secretKey, publicKey: bls.secretToPublic(secretKey), path });
    } catch (e) {
      throw unreadable(path, (e as Error).message, e);
    }
  }
  return out;
}

/**
 * The shard a node's keys validate: the shard of the genesis committee that holds them; keys not in
 * the genesis (a validator that staked later, elected per epoch) validate `fallbackShard`. Without
 * keys, `fallbackShard` too.
 * @throws {ValidatorNodeError} KEY_NOT_IN_COMMITTEE when genesis keys span shards.
 */
export function placeKeys(committees: readonly (readonly Uint8Array[])[], publicKeys: readonly Uint8Array[], fallbackShard = 0): { shardId: number } {
  let shardId: number | undefined;
  for (const pk of publicKeys) {
    const shard = committees.findIndex((keys) => keys.some((k) => equalBytes(k, pk)));
    if (shard < 0) continue;
    if (shardId !== undefined && shardId !== shard) throw new ValidatorNodeError({ code: ValidatorNodeErrorCode.KEY_NOT_IN_COMMITTEE, key: bytesToHex(pk) }, `BLS key ${bytesToHex(pk)} is in shard ${shard}, other keys in shard ${shardId}`);
    shardId = shard;
  }
  return { shardId: shardId ?? fallbackShard };
}
