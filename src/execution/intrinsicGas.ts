/**
 * Intrinsic gas of a message under Cancun rules (Yellow Paper §6.2 with EIP-2028 calldata, EIP-2930
 * access lists and EIP-3860 initcode words): what a transaction pays before any code runs.
 */

/** Gas of every transaction. */
export const TX_GAS = 21000n;
/** Extra gas of a contract creation. */
export const TX_CREATE_GAS = 32000n;
const ZERO_BYTE_GAS = 4n;
const NONZERO_BYTE_GAS = 16n;
const ACCESS_LIST_ADDRESS_GAS = 2400n;
const ACCESS_LIST_SLOT_GAS = 1900n;
const INITCODE_WORD_GAS = 2n;
/** EIP-3860: the largest initcode a creation may carry. */
export const MAX_INITCODE_SIZE = 49152;

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
