/**
 * Signed transactions through `@ethereumjs/tx`: legacy (EIP-155 or unprotected), EIP-2930 and EIP-1559.
 * Blob (EIP-4844) and set-code (EIP-7702) transactions are not accepted. Decoding failures are typed
 * {@link TransactionError}s, because a transaction from a peer or a user is untrusted input.
 */
import { Hardfork, Mainnet, createCustomCommon, type Common } from "@ethereumjs/common";
import {
  type AccessList2930Tx,
  type FeeMarket1559Tx,
  type LegacyTx,
  create1559FeeMarketTxFromBytesArray,
  createAccessList2930TxFromBytesArray,
  createLegacyTxFromBytesArray,
} from "@ethereumjs/tx";
import { keccak256 } from "./_codec.ts";
import { recoverPublicKey } from "../crypto/index.ts";
import { checkEnvelope, decodeEnvelope } from "./_txEnvelope.ts";
import type { ChainConfig } from "./chainConfig.ts";
import { TransactionError, TransactionErrorCode } from "./errors.ts";

/** A signed transaction of a type this chain accepts. */
export type SignedTransaction = LegacyTx | AccessList2930Tx | FeeMarket1559Tx;

/** The EVM rules the chain runs (DESIGN: Cancun). */
export const EVM_HARDFORK = Hardfork.Cancun;

const commons = new Map<bigint, Common>();

function pad32(b: Uint8Array): Uint8Array {
  if (b.length === 32) return b;
  if (b.length > 32) throw new RangeError("signature value longer than 32 bytes");
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

/**
 * `@ethereumjs` ecrecover on crypto's active secp256k1 backend (native/wasm libsecp256k1), so sender
 * recovery of transactions and the ecrecover precompile run on it rather than on the library's own
 * pure-JS recovery. Same contract: v is 0/1, 27/28 or EIP-155 (with chainId); 64-byte X‖Y out. High s
 * is accepted here as in the library (transactions are held to EIP-2 before they ask).
 */
function ecrecover(msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint): Uint8Array {
  const recovery = v === 0n || v === 1n ? v : chainId === undefined ? v - 27n : v - (chainId * 2n + 35n);
  if (recovery !== 0n && recovery !== 1n) throw new Error("Invalid signature v value");
  const sig = new Uint8Array(65);
  sig.set(pad32(r), 0);
  sig.set(pad32(s), 32);
  sig[64] = Number(recovery);
  return recoverPublicKey(msgHash, sig, { allowHighS: true }).subarray(1);
}

/** The hashing and recovery kernels every Common of this node hands to @ethereumjs (tx, EVM). */
const CUSTOM_CRYPTO = { keccak256, ecrecover };

/**
 * The `@ethereumjs/common` of a chain id (Cancun rules), cached. Transactions are decoded and signed
 * against it, and the EVM runs with it.
 */
export function createChainCommon(chainId: bigint): Common {
  let c = commons.get(chainId);
  if (c === undefined) {
    c = createCustomCommon({ chainId: Number(chainId), name: `harmony-${chainId}` }, Mainnet, { hardfork: EVM_HARDFORK, customCrypto: CUSTOM_CRYPTO });
    commons.set(chainId, c);
  }
  return c;
}

/** The Common of shard `shardId` of `config` (chain id = networkId + shardId). */
export function createShardCommon(config: ChainConfig, shardId: number): Common {
  return createChainCommon(config.chainId(shardId));
}

/** Options of {@link decodeTransaction}. */
export interface DecodeTransactionOptions {
  /**
   * Accept legacy transactions without EIP-155 replay protection (v = 27/28). Default true: they are
   * valid in blocks; the txpool turns them away unless configured otherwise.
   */
  allowUnprotected?: boolean;
}

/**
 * Decode a signed transaction from its canonical encoding (`eth_sendRawTransaction`, gossip, block
 * bodies): the one transaction decoder of the node. The RLP is decoded once, the envelope checked
 * (type, field count, chain id, signature value ranges, tip ≤ fee cap, initcode size), then the
 * library builds the transaction from the fields. Only canonical encodings pass, so `raw` is its
 * encoding and keccak256(raw) its hash. The sender is not recovered here.
 * @throws {TransactionError} MALFORMED, UNSUPPORTED_TYPE, UNPROTECTED, WRONG_CHAIN_ID, INVALID_SIGNATURE,
 *   TIP_ABOVE_FEE_CAP or INITCODE_TOO_LARGE.
 */
export function decodeTransaction(raw: Uint8Array, common: Common, opts: DecodeTransactionOptions = {}): SignedTransaction {
  if (!(raw instanceof Uint8Array) || raw.length === 0) {
    throw new TransactionError({ code: TransactionErrorCode.MALFORMED, reason: "empty" }, "invalid transaction: empty");
  }
  const { txType, values } = decodeEnvelope(raw);
  checkEnvelope(txType, values, { chainId: common.chainId(), allowUnprotected: opts.allowUnprotected ?? true });
  let tx: SignedTransaction;
  try {
    // The factories take the field lists; their remaining checks (leading zeros, access list shape,
    // 64-bit nonce and gas) surface as MALFORMED.
    const o = { common: sharedTxCommon(common) };
    if (txType === 0) tx = createLegacyTxFromBytesArray(values as Uint8Array[], o);
    else if (txType === 1) tx = createAccessList2930TxFromBytesArray(values as never, o);
    else tx = create1559FeeMarketTxFromBytesArray(values as never, o);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/\s*\(tx type=.*$/s, "") : String(e);
    throw new TransactionError({ code: TransactionErrorCode.MALFORMED, reason }, `invalid transaction: ${reason}`);
  }
  encodings.set(tx, raw);
  return tx;
}

// The library copies the Common into every transaction it builds and merges its parameter set into
// the copy again (a JSON round trip, more than the rest of decoding a transfer). Transactions only
// read their Common, so all those decoded for one Common share one copy, whose parameters are merged
// the first time.
const txCommons = new WeakMap<Common, Common>();

function sharedTxCommon(common: Common): Common {
  let shared = txCommons.get(common);
  if (shared === undefined) {
    const c = common.copy();
    const merge = c.updateParams.bind(c);
    const merged = new WeakSet<object>();
    c.copy = () => c;
    c.updateParams = (params) => {
      if (merged.has(params)) return;
      merged.add(params);
      merge(params);
    };
    txCommons.set(common, c);
    shared = c;
  }
  return shared;
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
