/**
 * Intrinsic gas under Cancun rules: what a transaction pays before any code runs (Yellow Paper §6.2
 * g0, with EIP-2028 calldata prices, EIP-2930 access lists and EIP-3860 initcode words). The one
 * definition: the txpool's admission check, block execution and `eth_call` all ask it.
 */

/** Gas of every transaction. */
export const TX_GAS = 21000n;
/** Extra gas of a contract creation (EIP-2). */
export const TX_CREATE_GAS = 32000n;
const ZERO_BYTE_GAS = 4n;
const NONZERO_BYTE_GAS = 16n; // EIP-2028
const ACCESS_LIST_ADDRESS_GAS = 2400n; // EIP-2930
const ACCESS_LIST_SLOT_GAS = 1900n; // EIP-2930
const INITCODE_WORD_GAS = 2n; // EIP-3860
/** EIP-3860: the largest initcode a creation may carry (twice the EIP-170 code size limit). */
export const MAX_INITCODE_SIZE = 2 * 24576;

/** What intrinsic gas depends on. */
export interface IntrinsicGasInput {
  data: Uint8Array;
  isCreate: boolean;
  /** Number of addresses and of storage keys in the access list. */
  accessListAddresses?: number;
  accessListSlots?: number;
}

/** Intrinsic gas of a message. */
export function computeIntrinsicGas(m: IntrinsicGasInput): bigint {
  let zeros = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i] === 0) zeros++;
  let gas = TX_GAS + BigInt(zeros) * ZERO_BYTE_GAS + BigInt(m.data.length - zeros) * NONZERO_BYTE_GAS;
  if (m.isCreate) gas += TX_CREATE_GAS + BigInt(Math.ceil(m.data.length / 32)) * INITCODE_WORD_GAS;
  gas += BigInt(m.accessListAddresses ?? 0) * ACCESS_LIST_ADDRESS_GAS + BigInt(m.accessListSlots ?? 0) * ACCESS_LIST_SLOT_GAS;
  return gas;
}

/** The fields of a signed transaction intrinsic gas reads (any type this chain accepts). */
export interface IntrinsicGasTx {
  readonly data: Uint8Array;
  readonly to?: unknown;
  readonly accessList?: readonly (readonly [Uint8Array, readonly Uint8Array[]])[];
}

/** Intrinsic gas of a signed transaction. */
export function transactionIntrinsicGas(tx: IntrinsicGasTx): bigint {
  const list = tx.accessList ?? [];
  let slots = 0;
  for (const [, keys] of list) slots += keys.length;
  return computeIntrinsicGas({ data: tx.data, isCreate: tx.to === undefined, accessListAddresses: list.length, accessListSlots: slots });
}
