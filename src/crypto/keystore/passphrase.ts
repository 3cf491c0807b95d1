/** Passphrase → bytes, per keystore format. */

const CONTROL_CODES = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * EIP-2335 "Password requirements": NFKD-normalize, strip the C0 (U+0000–U+001F), DEL (U+007F) and C1
 * (U+0080–U+009F) control codes, then UTF-8 encode. Space stays.
 * @throws {TypeError} when `passphrase` is not a string.
 */
export function normalizeEIP2335Passphrase(passphrase: string): Uint8Array {
  if (typeof passphrase !== "string") throw new TypeError(`passphrase: expected string, got ${typeof passphrase}`);
  return new TextEncoder().encode(passphrase.normalize("NFKD").replace(CONTROL_CODES, ""));
}

/**
 * Web3 Secret Storage v3 uses the passphrase's UTF-8 bytes as they are (go-ethereum `[]byte(auth)`),
 * so that files from geth, ethers and Harmony's `hmy` decrypt with the same passphrase.
 * @throws {TypeError} when `passphrase` is not a string.
 */
export function encodeV3Passphrase(passphrase: string): Uint8Array {
  if (typeof passphrase !== "string") throw new TypeError(`passphrase: expected string, got ${typeof passphrase}`);
  return new TextEncoder().encode(passphrase);
}
