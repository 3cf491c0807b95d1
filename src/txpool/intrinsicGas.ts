/**
 * Intrinsic gas of a transaction under Cancun rules: the gas charged before any code runs.
 * Yellow Paper §6.2 (g0) with EIP-2028 calldata prices, EIP-2930 access lists and EIP-3860 initcode.
 */
import type { PoolTransaction } from "./types.ts";

const TX_GAS = 21000n;
const TX_CREATE_GAS = 32000n; // EIP-2: contract creation by transaction
const DATA_ZERO_GAS = 4n;
const DATA_NONZERO_GAS = 16n; // EIP-2028
const INITCODE_WORD_GAS = 2n; // EIP-3860
const ACCESS_LIST_ADDRESS_GAS = 2400n; // EIP-2930
const ACCESS_LIST_STORAGE_KEY_GAS = 1900n; // EIP-2930

/** Intrinsic gas of `data` sent by a transaction, creating a contract when `isCreate`. */
export function computeDataGas(data: Uint8Array, isCreate: boolean): bigint {
  let zeros = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeros++;
  let gas = BigInt(zeros) * DATA_ZERO_GAS + BigInt(data.length - zeros) * DATA_NONZERO_GAS;
  if (isCreate) gas += TX_CREATE_GAS + INITCODE_WORD_GAS * BigInt(Math.ceil(data.length / 32));
  return gas;
}

/** Gas the EVM charges for a transaction before executing it (Cancun). */
export function computeIntrinsicGas(tx: PoolTransaction): bigint {
  let gas = TX_GAS + computeDataGas(tx.data, tx.to === undefined);
  if ("accessList" in tx) {
    for (const [, keys] of tx.accessList) {
      gas += ACCESS_LIST_ADDRESS_GAS + BigInt(keys.length) * ACCESS_LIST_STORAGE_KEY_GAS;
    }
  }
  return gas;
}
