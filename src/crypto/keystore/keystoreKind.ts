/** Telling the two keystore formats apart. */
import { keystoreObject } from "./_json.ts";
import { unsupported } from "./errors.ts";

/** The kinds of key a keystore file holds: `account` (Web3 Secret Storage v3) or `bls` (EIP-2335). */
export type KeystoreKind = "account" | "bls";

/**
 * Which format a keystore (object or JSON text) is in, by its `version` (3 or 4).
 * @throws {KeystoreError} MALFORMED when it is not a JSON object; UNSUPPORTED for another version.
 */
export function getKeystoreKind(json: unknown): KeystoreKind {
  const o = keystoreObject(json);
  if (o.version === 3) return "account";
  if (o.version === 4) return "bls";
  throw unsupported("version", o.version);
}
