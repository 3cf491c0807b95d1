/** Typed errors of the keystore layer (STYLE §9). */
import { NodeError } from "../../util/errors.ts";

/** Codes of {@link KeystoreError}. */
export const KeystoreErrorCode = {
  /** The MAC (v3) or checksum (EIP-2335) does not match: the passphrase is wrong. */
  WRONG_PASSPHRASE: "KEYSTORE_WRONG_PASSPHRASE",
  /** Not JSON, a required field missing, or a field of the wrong type or size. */
  MALFORMED: "KEYSTORE_MALFORMED",
  /** Well-formed but uses a version, KDF, PRF or cipher this node does not implement. */
  UNSUPPORTED: "KEYSTORE_UNSUPPORTED",
  /** Decrypted fine, but the stored address or public key is not the one of the decrypted key. */
  MISMATCH: "KEYSTORE_MISMATCH",
} as const;

/** Metadata of a {@link KeystoreError}. */
export type KeystoreErrorType =
  | { code: typeof KeystoreErrorCode.WRONG_PASSPHRASE; id: string }
  | { code: typeof KeystoreErrorCode.MALFORMED; field: string; reason: string }
  | { code: typeof KeystoreErrorCode.UNSUPPORTED; field: string; value: string }
  | { code: typeof KeystoreErrorCode.MISMATCH; field: string; stored: string; derived: string };

/** Any failure to read or decrypt a keystore file. */
export class KeystoreError extends NodeError<KeystoreErrorType> {}

/** @internal Shorthand for a MALFORMED error. */
export function malformed(field: string, reason: string): KeystoreError {
  return new KeystoreError({ code: KeystoreErrorCode.MALFORMED, field, reason }, `malformed keystore: ${field} ${reason}`);
}

/** @internal Shorthand for an UNSUPPORTED error. */
export function unsupported(field: string, value: unknown): KeystoreError {
  const v = String(value);
  return new KeystoreError({ code: KeystoreErrorCode.UNSUPPORTED, field, value: v }, `unsupported keystore: ${field} "${v}"`);
}

/** @internal The wrong-passphrase error, same wording for both formats. */
export function wrongPassphrase(id: string): KeystoreError {
  return new KeystoreError(
    { code: KeystoreErrorCode.WRONG_PASSPHRASE, id },
    `wrong passphrase for keystore ${id}: the derived key does not match the stored checksum`,
  );
}
