/**
 * A transaction of a block: its checks against the state (nonce, funds, fee floor, gas) as typed
 * errors, then the message it runs. Messages follow geth's wording so RPC can pass them on.
 */
import { bytesToUnprefixedHex } from "@ethereumjs/util";
import {
  type SignedTransaction,
  TransactionError,
  TransactionErrorCode,
  effectiveGasPrice,
  transactionIntrinsicGas,
  txFeeCap,
} from "../core/index.ts";
import { type AccountRecord, EMPTY_ACCOUNT, type WorldState, hasCode } from "../state/index.ts";
import type { Message } from "./message.ts";

/** The message a signed transaction runs, from its recovered sender, at a base fee. */
export function messageFromTransaction(tx: SignedTransaction, sender: Uint8Array, baseFee: bigint): Message {
  const accessList = tx.type === 0 ? [] : tx.accessList.map(([a, keys]) => ({ address: bytesToUnprefixedHex(a), storageKeys: keys.map((k) => bytesToUnprefixedHex(k)) }));
  return {
    from: sender,
    to: tx.to?.bytes,
    value: tx.value,
    data: tx.data,
    gasLimit: tx.gasLimit,
    gasPrice: effectiveGasPrice(tx, baseFee),
    intrinsicGas: transactionIntrinsicGas(tx),
    accessList,
    type: tx.type,
  };
}

/**
 * Check a transaction against the world state before it runs (Yellow Paper §6.2 validity plus the
 * chain's fee floor): gas fits the block, intrinsic gas, fee cap ≥ base fee, sender is an EOA, nonce,
 * and value + gasLimit × feeCap affordable.
 * @throws {TransactionError} the first rule broken.
 */
export function checkTransaction(world: WorldState, tx: SignedTransaction, m: Message, env: { gasAvailable: bigint; baseFee: bigint }): AccountRecord {
  if (tx.gasLimit > env.gasAvailable) {
    throw new TransactionError({ code: TransactionErrorCode.GAS_LIMIT_EXCEEDS_BLOCK, available: env.gasAvailable, gasLimit: tx.gasLimit }, "gas limit reached");
  }
  if (tx.gasLimit < m.intrinsicGas) {
    throw new TransactionError({ code: TransactionErrorCode.INTRINSIC_GAS_TOO_LOW, intrinsic: m.intrinsicGas, gasLimit: tx.gasLimit }, `intrinsic gas too low: have ${tx.gasLimit}, want ${m.intrinsicGas}`);
  }
  const feeCap = txFeeCap(tx);
  if (feeCap < env.baseFee) {
    throw new TransactionError({ code: TransactionErrorCode.GAS_PRICE_TOO_LOW, minimum: env.baseFee, actual: feeCap }, `max fee per gas less than block base fee: have ${feeCap}, want ${env.baseFee}`);
  }
  const acct = world.getAccount(m.from) ?? EMPTY_ACCOUNT;
  if (hasCode(acct)) {
    throw new TransactionError({ code: TransactionErrorCode.SENDER_NOT_EOA, sender: m.from }, "sender not an eoa");
  }
  if (tx.nonce < acct.nonce) {
    throw new TransactionError({ code: TransactionErrorCode.NONCE_TOO_LOW, expected: acct.nonce, actual: tx.nonce }, `nonce too low: next nonce ${acct.nonce}, tx nonce ${tx.nonce}`);
  }
  if (tx.nonce > acct.nonce) {
    throw new TransactionError({ code: TransactionErrorCode.NONCE_TOO_HIGH, expected: acct.nonce, actual: tx.nonce }, `nonce too high: next nonce ${acct.nonce}, tx nonce ${tx.nonce}`);
  }
  const cost = tx.value + tx.gasLimit * feeCap;
  if (acct.balance < cost) {
    throw new TransactionError({ code: TransactionErrorCode.INSUFFICIENT_FUNDS, balance: acct.balance, cost }, `insufficient funds for gas * price + value: have ${acct.balance} want ${cost}`);
  }
  return acct;
}
