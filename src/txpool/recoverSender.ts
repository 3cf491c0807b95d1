/**
 * Sender recovery from a transaction signature (secp256k1, about 330 µs each). The pool does it once
 * per transaction and caches the result by hash.
 */
import { publicToAddress } from "@ethereumjs/util";
import { TxPoolError, TxPoolErrorCode } from "./errors.ts";
import type { PoolTransaction } from "./types.ts";

/** A recovered sender: the address and the 64-byte public key (`tx.cache.senderPubKey` form). */
export interface RecoveredSender {
  readonly address: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Recover the sender of a signed transaction.
 * @throws {TxPoolError} INVALID_SIGNATURE when no public key matches the signature.
 */
export function recoverSender(tx: PoolTransaction): RecoveredSender {
  let publicKey: Uint8Array;
  try {
    publicKey = tx.getSenderPublicKey();
  } catch (e) {
    throw new TxPoolError({ code: TxPoolErrorCode.INVALID_SIGNATURE, reason: "recovery failed" }, { cause: e });
  }
  return { address: publicToAddress(publicKey), publicKey };
}
