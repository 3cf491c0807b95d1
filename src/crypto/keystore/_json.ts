/** Reading a keystore's JSON text or object. */
import { malformed } from "./errors.ts";

/**
 * The top-level object of a keystore given as JSON text or an already-parsed value.
 * @throws {KeystoreError} MALFORMED when it is not JSON or not an object.
 */
export function keystoreObject(json: unknown): Record<string, unknown> {
  let v = json;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw malformed("file", `is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw malformed("file", "must be a JSON object");
  return v as Record<string, unknown>;
}

/**
 * The field `key` of `o` when it is a JSON object.
 * @throws {KeystoreError} MALFORMED naming `field` otherwise.
 */
export function objectField(o: Record<string, unknown>, key: string, field: string): Record<string, unknown> {
  const v = o[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw malformed(field, "must be an object");
  return v as Record<string, unknown>;
}
