/**
 * Raw bytes → transaction, with the checks that need no state and no signature recovery.
 * The envelope is inspected before `@ethereumjs/tx` builds the object, because its constructor
 * throws untyped errors for chain-id, signature-range and fee-cap problems that the pool must
 * report with their own codes (and go-ethereum's wording).
 */
import type { Common } from "@ethereumjs/common";
import { RLP } from "@ethereumjs/rlp";
import {
  create1559FeeMarketTxFromBytesArray,
  createAccessList2930TxFromBytesArray,
  createLegacyTxFromBytesArray,
} from "@ethereumjs/tx";
import { SECP256K1_ORDER, SECP256K1_ORDER_DIV_2, bytesToBigInt } from "@ethereumjs/util";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { TxPoolError, TxPoolErrorCode } from "./errors.ts";
import type { PoolTransaction } from "./types.ts";

/** EIP-3860: initcode may be at most twice the EIP-170 code size limit. */
export const MAX_INITCODE_SIZE = 2 * 24576;

/** What {@link decodeTx} checks against. */
export interface DecodeContext {
  chainId: bigint;
  /** Common of this chain (Cancun rules), handed to `@ethereumjs/tx`. */
  common: Common;
  maxTxBytes: number;
  allowUnprotected: boolean;
}

// Positions of the fields in each envelope (EIP-155, EIP-2930, EIP-1559 payloads).
const LAYOUT = {
  0: { length: 9, chainId: -1, tip: 1, fee: 1, to: 3, data: 5, v: 6 },
  1: { length: 11, chainId: 0, tip: 2, fee: 2, to: 4, data: 6, v: 8 },
  2: { length: 12, chainId: 0, tip: 2, fee: 3, to: 5, data: 7, v: 9 },
} as const;

type Values = (Uint8Array | Values)[];

function invalid(reason: string): TxPoolError {
  return new TxPoolError({ code: TxPoolErrorCode.INVALID_RLP, reason });
}

function bytesAt(values: Values, i: number): Uint8Array {
  const v = values[i];
  if (!(v instanceof Uint8Array)) throw invalid(`field ${i} must be a byte string`);
  return v;
}

function num(values: Values, i: number): bigint {
  return bytesToBigInt(bytesAt(values, i));
}

/** Split `raw` into its type and RLP field list. */
function decodeEnvelope(raw: Uint8Array): { txType: 0 | 1 | 2; values: Values } {
  const first = raw[0];
  if (first === undefined) throw invalid("empty transaction");
  if (first >= 0x80 && first < 0xc0) throw invalid("expected input list for types.LegacyTx");
  if (first < 0x80 && first !== 1 && first !== 2) {
    throw new TxPoolError({ code: TxPoolErrorCode.TX_TYPE_NOT_SUPPORTED, txType: first });
  }
  const txType = first >= 0xc0 ? 0 : (first as 1 | 2);
  let decoded: unknown;
  try {
    decoded = RLP.decode(txType === 0 ? raw : raw.subarray(1));
  } catch (e) {
    throw invalid((e as Error).message);
  }
  if (!Array.isArray(decoded)) throw invalid("expected input list");
  const values = decoded as Values;
  if (values.length !== LAYOUT[txType].length) {
    throw invalid(`type ${txType} transaction needs ${LAYOUT[txType].length} fields, got ${values.length}`);
  }
  return { txType, values };
}

/** Chain id and signature range checks (EIP-155, EIP-2). */
function checkSignatureFields(txType: 0 | 1 | 2, values: Values, ctx: DecodeContext): void {
  const at = LAYOUT[txType];
  const v = num(values, at.v);
  if (txType === 0) {
    if (v === 27n || v === 28n) {
      if (!ctx.allowUnprotected) throw new TxPoolError({ code: TxPoolErrorCode.UNPROTECTED });
    } else if (v >= 35n) {
      const have = (v - 35n) >> 1n;
      if (have !== ctx.chainId) throw new TxPoolError({ code: TxPoolErrorCode.WRONG_CHAIN_ID, have, want: ctx.chainId });
    } else {
      throw new TxPoolError({ code: TxPoolErrorCode.INVALID_SIGNATURE, reason: `invalid legacy v value ${v}` });
    }
  } else {
    // The factories do not reject a zero-padded chain id; we do, so that the input is canonical and
    // its hash is keccak(raw) (go-ethereum: "rlp: non-canonical integer (leading zero bytes)").
    if (bytesAt(values, at.chainId)[0] === 0) throw invalid("non-canonical integer (leading zero bytes) for chainId");
    const have = num(values, at.chainId);
    if (have !== ctx.chainId) throw new TxPoolError({ code: TxPoolErrorCode.WRONG_CHAIN_ID, have, want: ctx.chainId });
    if (v > 1n) throw new TxPoolError({ code: TxPoolErrorCode.INVALID_SIGNATURE, reason: `invalid y parity ${v}` });
  }
  const r = num(values, at.v + 1);
  const s = num(values, at.v + 2);
  if (r === 0n || s === 0n || r >= SECP256K1_ORDER || s > SECP256K1_ORDER_DIV_2) {
    throw new TxPoolError({ code: TxPoolErrorCode.INVALID_SIGNATURE, reason: "invalid transaction v, r, s values" });
  }
}

function checkFields(txType: 0 | 1 | 2, values: Values): void {
  const at = LAYOUT[txType];
  const tipCap = num(values, at.tip);
  const feeCap = num(values, at.fee);
  if (tipCap > feeCap) throw new TxPoolError({ code: TxPoolErrorCode.TIP_ABOVE_FEE_CAP, tipCap, feeCap });
  const data = bytesAt(values, at.data);
  if (bytesAt(values, at.to).length === 0 && data.length > MAX_INITCODE_SIZE) {
    throw new TxPoolError({ code: TxPoolErrorCode.MAX_INITCODE_SIZE_EXCEEDED, size: data.length, limit: MAX_INITCODE_SIZE });
  }
}

/**
 * Decode a signed transaction as received by `eth_sendRawTransaction` or gossip and run the checks
 * that need neither state nor the sender: size, type, encoding, chain id, signature value ranges,
 * tip ≤ fee cap, initcode size. The sender is not recovered here. Only canonical encodings pass,
 * so the transaction hash is `keccak256(raw)`; it is cached on the transaction (pass `hash` when
 * already computed).
 * @throws {TxPoolError} OVERSIZED, INVALID_RLP, TX_TYPE_NOT_SUPPORTED, UNPROTECTED, WRONG_CHAIN_ID,
 *   INVALID_SIGNATURE, TIP_ABOVE_FEE_CAP or MAX_INITCODE_SIZE_EXCEEDED.
 */
export function decodeTx(raw: Uint8Array, ctx: DecodeContext, hash?: Uint8Array): PoolTransaction {
  if (raw.length > ctx.maxTxBytes) {
    throw new TxPoolError({ code: TxPoolErrorCode.OVERSIZED, size: raw.length, limit: ctx.maxTxBytes });
  }
  const { txType, values } = decodeEnvelope(raw);
  checkSignatureFields(txType, values, ctx);
  checkFields(txType, values);
  const tx = build(txType, values, ctx.common);
  tx.cache.hash = hash ?? keccak_256(raw); // saves re-encoding in tx.hash()
  return tx;
}

function build(txType: 0 | 1 | 2, values: Values, common: Common): PoolTransaction {
  const opts = { common };
  try {
    // The factories take the RLP field arrays; their own remaining checks (leading zeros, access
    // list shape, 64-bit nonce and gas) surface as INVALID_RLP.
    if (txType === 0) return createLegacyTxFromBytesArray(values as Uint8Array[], opts);
    if (txType === 1) return createAccessList2930TxFromBytesArray(values as never, opts);
    return create1559FeeMarketTxFromBytesArray(values as never, opts);
  } catch (e) {
    throw invalid((e as Error).message);
  }
}
