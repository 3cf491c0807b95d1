/**
 * Signing an EIP-1559 transaction with an account's secp256k1 key, for the node's own command-line
 * clients (`harmony staking …`). The one place besides the decoder that builds transactions.
 * @module
 */
import { createFeeMarket1559Tx } from "@ethereumjs/tx";
import { createChainCommon, encodeTransaction, type SignedTransaction } from "./transaction.ts";

/** Fields of an EIP-1559 transaction. */
export interface FeeMarketFields {
  chainId: bigint;
  nonce: bigint;
  /** 20 bytes; undefined = contract creation. */
  to?: Uint8Array;
  value: bigint;
  data: Uint8Array;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/**
 * The signed transaction and its raw (typed envelope) bytes.
 * @throws {Error} from `@ethereumjs/tx` on invalid fields (e.g. tip above fee cap) or key.
 */
export function signFeeMarketTransaction(fields: FeeMarketFields, privateKey: Uint8Array): { tx: SignedTransaction; raw: Uint8Array } {
  const tx = createFeeMarket1559Tx({ ...fields, type: 2 }, { common: createChainCommon(fields.chainId) }).sign(privateKey) as SignedTransaction;
  return { tx, raw: encodeTransaction(tx) };
}
