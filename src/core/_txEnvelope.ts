/**
 * The checks on a transaction's RLP envelope that `@ethereumjs/tx` would otherwise report as untyped
 * errors (or not at all): type byte, field count, canonical chain id, EIP-155 / EIP-2 signature value
 * ranges, tip ≤ fee cap and the EIP-3860 initcode limit. Run on the decoded field list before the
 * library builds the object, so every rejection carries its own {@link TransactionErrorCode}.
 */
import { bytesToBigint } from "./primitives.ts";
import { TransactionError, TransactionErrorCode } from "./errors.ts";
import { MAX_INITCODE_SIZE } from "./intrinsicGas.ts";
import { RLP } from "@ethereumjs/rlp";

/** The transaction types this chain accepts: legacy, EIP-2930, EIP-1559. */
export type TxType = 0 | 1 | 2;
/** An RLP field list as decoded. */
export type TxValues = (Uint8Array | TxValues)[];

/** What the envelope is checked against. */
export interface EnvelopeRules {
  chainId: bigint;
  /** Accept legacy transactions without EIP-155 replay protection (v = 27/28). */
  allowUnprotected: boolean;
}

// Positions of the fields in each envelope (EIP-155, EIP-2930, EIP-1559 payloads).
const LAYOUT = {
  0: { length: 9, chainId: -1, tip: 1, fee: 1, to: 3, data: 5, v: 6 },
  1: { length: 11, chainId: 0, tip: 2, fee: 2, to: 4, data: 6, v: 8 },
  2: { length: 12, chainId: 0, tip: 2, fee: 3, to: 5, data: 7, v: 9 },
} as const;

// secp256k1 group order n, and n / 2 (EIP-2: s above it is malleable).
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SECP256K1_HALF_N = SECP256K1_N >> 1n;

function malformed(reason: string): TransactionError {
  return new TransactionError({ code: TransactionErrorCode.MALFORMED, reason }, `invalid transaction: ${reason}`);
}

function bytesAt(values: TxValues, i: number): Uint8Array {
  const v = values[i];
  if (!(v instanceof Uint8Array)) throw malformed(`field ${i} must be a byte string`);
  return v;
}

function num(values: TxValues, i: number): bigint {
  return bytesToBigint(bytesAt(values, i));
}

/**
 * Split `raw` into its type and RLP field list, with the field count checked.
 * @throws {TransactionError} MALFORMED or UNSUPPORTED_TYPE.
 */
export function decodeEnvelope(raw: Uint8Array): { txType: TxType; values: TxValues } {
  const first = raw[0];
  if (first === undefined) throw malformed("empty");
  if (first >= 0x80 && first < 0xc0) throw malformed("expected input list for types.LegacyTx");
  if (first < 0x80 && first !== 1 && first !== 2) {
    throw new TransactionError({ code: TransactionErrorCode.UNSUPPORTED_TYPE, txType: first }, `transaction type ${first} not supported`);
  }
  const txType: TxType = first >= 0xc0 ? 0 : (first as 1 | 2);
  let decoded: unknown;
  try {
    decoded = RLP.decode(txType === 0 ? raw : raw.subarray(1));
  } catch (e) {
    throw malformed((e as Error).message);
  }
  if (!Array.isArray(decoded)) throw malformed("expected input list");
  const values = decoded as TxValues;
  if (values.length !== LAYOUT[txType].length) throw malformed(`type ${txType} transaction needs ${LAYOUT[txType].length} fields, got ${values.length}`);
  return { txType, values };
}

/**
 * Chain id (EIP-155 / typed), signature value ranges (EIP-2), tip ≤ fee cap and initcode size.
 * @throws {TransactionError} MALFORMED, UNPROTECTED, WRONG_CHAIN_ID, INVALID_SIGNATURE, TIP_ABOVE_FEE_CAP
 *   or INITCODE_TOO_LARGE.
 */
export function checkEnvelope(txType: TxType, values: TxValues, rules: EnvelopeRules): void {
  const at = LAYOUT[txType];
  const v = num(values, at.v);
  let chainId: bigint | undefined;
  if (txType === 0) {
    if (v === 27n || v === 28n) {
      if (!rules.allowUnprotected) throw new TransactionError({ code: TransactionErrorCode.UNPROTECTED }, "only replay-protected (EIP-155) transactions allowed");
    } else if (v >= 35n) {
      chainId = (v - 35n) >> 1n;
    } else {
      throw invalidSignature(`invalid legacy v value ${v}`);
    }
  } else {
    // The library does not reject a zero-padded chain id; we do, so that the input is canonical and
    // its hash is keccak(raw) (go-ethereum: "rlp: non-canonical integer (leading zero bytes)").
    if (bytesAt(values, at.chainId)[0] === 0) throw malformed("non-canonical integer (leading zero bytes) for chainId");
    chainId = num(values, at.chainId);
  }
  if (chainId !== undefined && chainId !== rules.chainId) {
    throw new TransactionError({ code: TransactionErrorCode.WRONG_CHAIN_ID, expected: rules.chainId, actual: chainId }, `invalid chain id: have ${chainId}, want ${rules.chainId}`);
  }
  if (txType !== 0 && v > 1n) throw invalidSignature(`invalid y parity ${v}`);
  const r = num(values, at.v + 1);
  const s = num(values, at.v + 2);
  if (r === 0n || s === 0n || r >= SECP256K1_N || s > SECP256K1_HALF_N) throw invalidSignature("invalid transaction v, r, s values");
  const tipCap = num(values, at.tip);
  const feeCap = num(values, at.fee);
  if (tipCap > feeCap) {
    throw new TransactionError({ code: TransactionErrorCode.TIP_ABOVE_FEE_CAP, tipCap, feeCap }, `max priority fee per gas higher than max fee per gas: ${tipCap} > ${feeCap}`);
  }
  const data = bytesAt(values, at.data);
  if (bytesAt(values, at.to).length === 0 && data.length > MAX_INITCODE_SIZE) {
    throw new TransactionError({ code: TransactionErrorCode.INITCODE_TOO_LARGE, size: data.length, limit: MAX_INITCODE_SIZE }, `max initcode size exceeded: code size ${data.length}, limit ${MAX_INITCODE_SIZE}`);
  }
}

function invalidSignature(reason: string): TransactionError {
  return new TransactionError({ code: TransactionErrorCode.INVALID_SIGNATURE, reason }, `invalid transaction signature: ${reason}`);
}
