/**
 * Signed transactions through `@ethereumjs/tx`: legacy (EIP-155 or unprotected), EIP-2930 and EIP-1559.
 * Blob (EIP-4844) and set-code (EIP-7702) transactions are not accepted. Decoding failures are typed
 * {@link TransactionError}s, because a transaction from a peer or a user is untrusted input.
 */
import { Hardfork, Mainnet, createCustomCommon, type Common } from "@ethereumjs/common";
import { type AccessList2930Tx, type FeeMarket1559Tx, type LegacyTx, createTxFromRLP } from "@ethereumjs/tx";
import { bytesToBigint, keccak256, rlpDecode } from "./_codec.ts";
import type { ChainConfig } from "./chainConfig.ts";
import { TransactionError, TransactionErrorCode } from "./errors.ts";

/** A signed transaction of a type this chain accepts. */
export type SignedTransaction = LegacyTx | AccessList2930Tx | FeeMarket1559Tx;

/** The EVM rules the chain runs (DESIGN: Cancun). */
export const EVM_HARDFORK = Hardfork.Cancun;

const commons = new Map<bigint, Common>();

/**
 * The `@ethereumjs/common` of a chain id (Cancun rules), cached. Transactions are decoded and signed
 * against it, and the EVM runs with it.
 */
export function createChainCommon(chainId: bigint): Common {
  let c = commons.get(chainId);
  if (c === undefined) {
    c = createCustomCommon({ chainId: Number(chainId), name: `harmony-${chainId}` }, Mainnet, { hardfork: EVM_HARDFORK });
    commons.set(chainId, c);
  }
  return c;
}

/** The Common of shard `shardId` of `config` (chain id = networkId + shardId). */
export function createShardCommon(config: ChainConfig, shardId: number): Common {
  return createChainCommon(config.chainId(shardId));
}

/**
 * Decode a signed transaction from its canonical encoding (`eth_sendRawTransaction`, block bodies).
 * @throws {TransactionError} MALFORMED, UNSUPPORTED_TYPE, WRONG_CHAIN_ID or INVALID_SIGNATURE.
 */
export function decodeTransaction(raw: Uint8Array, common: Common): SignedTransaction {
  if (!(raw instanceof Uint8Array) || raw.length === 0) {
    throw new TransactionError({ code: TransactionErrorCode.MALFORMED, reason: "empty" }, "invalid transaction: empty");
  }
  const first = raw[0] as number;
  if (first < 0xc0 && first !== 1 && first !== 2) {
    throw new TransactionError({ code: TransactionErrorCode.UNSUPPORTED_TYPE, txType: first }, `transaction type ${first} not supported`);
  }
  let tx: SignedTransaction;
  try {
    tx = createTxFromRLP(raw, { common }) as SignedTransaction;
  } catch (e) {
    throw classifyDecodeError(raw, common, e);
  }
  if (!tx.isSigned()) {
    throw new TransactionError({ code: TransactionErrorCode.INVALID_SIGNATURE, reason: "unsigned" }, "invalid transaction: not signed");
  }
  // The decoder accepts canonical encodings only, so the input is the transaction's encoding.
  encodings.set(tx, raw);
  return tx;
}

function classifyDecodeError(raw: Uint8Array, common: Common, e: unknown): TransactionError {
  const reason = e instanceof Error ? e.message.replace(/\s*\(tx type=.*$/s, "") : String(e);
  const chainId = embeddedChainId(raw);
  if (chainId !== undefined && chainId !== common.chainId()) {
    return new TransactionError(
      { code: TransactionErrorCode.WRONG_CHAIN_ID, expected: common.chainId(), actual: chainId },
      `invalid chain id: have ${chainId}, want ${common.chainId()}`,
    );
  }
  if (/signature|s-value|yParity|\bv\b/i.test(reason)) {
    return new TransactionError({ code: TransactionErrorCode.INVALID_SIGNATURE, reason }, `invalid transaction signature: ${reason}`);
  }
  return new TransactionError({ code: TransactionErrorCode.MALFORMED, reason }, `invalid transaction: ${reason}`);
}

// The chain id a transaction commits to, read without the tx library (undefined when absent or unreadable).
function embeddedChainId(raw: Uint8Array): bigint | undefined {
  try {
    if ((raw[0] as number) >= 0xc0) {
      const items = rlpDecode(raw, "tx");
      if (!Array.isArray(items) || !(items[6] instanceof Uint8Array)) return undefined;
      const v = bytesToBigint(items[6]);
      return v >= 35n ? (v - 35n) >> 1n : undefined;
    }
    const items = rlpDecode(raw.subarray(1), "tx");
    return Array.isArray(items) && items[0] instanceof Uint8Array ? bytesToBigint(items[0]) : undefined;
  } catch {
    return undefined;
  }
}

const encodings = new WeakMap<SignedTransaction, Uint8Array>();

/** The canonical encoding of a transaction (what its hash and the tx root are computed over); memoized. */
export function encodeTransaction(tx: SignedTransaction): Uint8Array {
  let enc = encodings.get(tx);
  if (enc === undefined) {
    enc = tx.serialize();
    encodings.set(tx, enc);
  }
  return enc;
}

/**
 * keccak256 of the encoding: the transaction hash. Filled into the library's own per-transaction
 * cache (frozen transactions), so `tx.hash()` returns it too without encoding again.
 */
export function transactionHash(tx: SignedTransaction): Uint8Array {
  const cached = tx.cache.hash;
  if (cached !== undefined) return cached;
  const h = keccak256(encodeTransaction(tx));
  if (Object.isFrozen(tx)) tx.cache.hash = h;
  return h;
}

/** True for EIP-1559 transactions. */
export function isFeeMarketTx(tx: SignedTransaction): tx is FeeMarket1559Tx {
  return tx.type === 2;
}

/** The most a transaction pays per gas: gasPrice, or maxFeePerGas for EIP-1559. */
export function txFeeCap(tx: SignedTransaction): bigint {
  return isFeeMarketTx(tx) ? tx.maxFeePerGas : tx.gasPrice;
}

/** The tip cap: gasPrice, or maxPriorityFeePerGas for EIP-1559. */
export function txTipCap(tx: SignedTransaction): bigint {
  return isFeeMarketTx(tx) ? tx.maxPriorityFeePerGas : tx.gasPrice;
}

/**
 * Gas price actually paid at `baseFee`: min(maxFee, baseFee + maxPriorityFee) for EIP-1559, else
 * gasPrice. Everything paid is burnt (DESIGN §3).
 */
export function effectiveGasPrice(tx: SignedTransaction, baseFee: bigint): bigint {
  if (!isFeeMarketTx(tx)) return tx.gasPrice;
  const withTip = baseFee + tx.maxPriorityFeePerGas;
  return withTip < tx.maxFeePerGas ? withTip : tx.maxFeePerGas;
}
