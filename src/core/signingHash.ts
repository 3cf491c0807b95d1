/**
 * The hash a transaction's signature signs, cut from its canonical encoding: the same payload the
 * library rebuilds from the fields (EIP-2718 typed: `type ‖ rlp(fields without v, r, s)`; legacy
 * EIP-155: `rlp(six fields ‖ chainId ‖ 0 ‖ 0)`; legacy unprotected: `rlp(six fields)`), without
 * turning every field back into bytes. Sender recovery computes it for every transaction of a block.
 */
import { bigintToBytes, keccak256 } from "./primitives.ts";
import { type SignedTransaction, encodeTransaction } from "./transaction.ts";

// Start and end of the payload of the RLP list at `o` (a canonical encoding: checked when decoded).
function listPayload(b: Uint8Array, o: number): [number, number] {
  const x = b[o] as number;
  if (x < 0xc0) throw new SyntaxError("transaction: expected an RLP list");
  if (x <= 0xf7) return [o + 1, o + 1 + x - 0xc0];
  const ll = x - 0xf7;
  let n = 0;
  for (let i = 1; i <= ll; i++) n = n * 256 + (b[o + i] as number);
  return [o + 1 + ll, o + 1 + ll + n];
}

function itemEnd(b: Uint8Array, o: number): number {
  const x = b[o] as number;
  if (x < 0x80) return o + 1;
  if (x <= 0xb7) return o + 1 + x - 0x80;
  if (x < 0xc0) {
    const ll = x - 0xb7;
    let n = 0;
    for (let i = 1; i <= ll; i++) n = n * 256 + (b[o + i] as number);
    return o + 1 + ll + n;
  }
  return listPayload(b, o)[1];
}

function listHeader(len: number): number[] {
  if (len < 56) return [0xc0 + len];
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 255);
  return [0xf7 + bytes.length, ...bytes];
}

function rlpInteger(n: bigint): number[] {
  const b = bigintToBytes(n);
  if (b.length === 1 && (b[0] as number) < 0x80) return [b[0] as number];
  return [0x80 + b.length, ...b];
}

/** keccak256 of the payload a signed transaction's signature signs. */
export function transactionSigningHash(tx: SignedTransaction): Uint8Array {
  const enc = encodeTransaction(tx);
  const typed = tx.type !== 0;
  const [start, end] = listPayload(enc, typed ? 1 : 0);
  // Every field but the last three (v, r, s).
  const items: number[] = [];
  for (let o = start; o < end; o = itemEnd(enc, o)) items.push(o);
  const fieldsEnd = items[items.length - 3] as number;
  const fields = enc.subarray(start, fieldsEnd);
  let suffix: number[] = [];
  if (!typed) {
    const v = tx.v as bigint;
    // EIP-155: v = chainId · 2 + 35|36 signs the chain id too; 27|28 signs the six fields alone.
    if (v !== 27n && v !== 28n) suffix = [...rlpInteger(tx.common.chainId()), 0x80, 0x80];
  }
  const header = listHeader(fields.length + suffix.length);
  const msg = new Uint8Array((typed ? 1 : 0) + header.length + fields.length + suffix.length);
  let o = 0;
  if (typed) msg[o++] = tx.type;
  msg.set(header, o);
  o += header.length;
  msg.set(fields, o);
  msg.set(suffix, o + fields.length);
  return keccak256(msg);
}
