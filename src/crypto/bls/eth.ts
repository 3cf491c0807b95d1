/**
 * Ethereum consensus-specs wrappers whose edge cases differ from the IETF functions
 * (altair/bls.md: `eth_aggregate_pubkeys`, `eth_fast_aggregate_verify`).
 * @module
 */
import { bytesEqual, G2_POINT_AT_INFINITY } from "./_encoding.ts";
import type { BLS } from "./types.ts";

/**
 * `eth_fast_aggregate_verify`: like `FastAggregateVerify`, except that an empty key list with the
 * infinity signature (`0xc0` then zeros) is valid, as sync committees may have no participants.
 * Never throws.
 */
export function ethFastAggregateVerify(bls: BLS, publicKeys: Uint8Array[], message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKeys.length === 0 && bytesEqual(signature, G2_POINT_AT_INFINITY)) return true;
  return bls.fastAggregateVerify(publicKeys, message, signature);
}

/**
 * `eth_aggregate_pubkeys`: sum of at least one public key, each passing KeyValidate (so no
 * identity and no point outside G1). Same semantics as {@link BLS.aggregatePublicKeys}.
 * @throws {BLSError} EMPTY_AGGREGATE on an empty list, INVALID_PUBLIC_KEY on an invalid key.
 */
export function ethAggregatePublicKeys(bls: BLS, publicKeys: Uint8Array[]): Uint8Array {
  return bls.aggregatePublicKeys(publicKeys);
}
