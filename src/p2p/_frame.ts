/**
 * Wire frames: `[type u8][RLP list of fields]`, one per WebSocket binary message. The size limit is
 * checked on the raw bytes before any decoding; every field is then checked for shape, so a frame
 * either decodes into exactly the expected fields or is a MALFORMED_FRAME (REJECT).
 */
import { RLP, type NestedUint8Array } from "@ethereumjs/rlp";
import { P2PError, P2PErrorCode, PeerAction, malformed } from "./errors.ts";

/** Frame type bytes. */
export const FrameType = {
  HELLO: 0x01,
  AUTH: 0x02,
  STATUS: 0x03,
  SUBSCRIPTIONS: 0x04,
  GOSSIP: 0x10,
  IHAVE: 0x11,
  IWANT: 0x12,
  GRAFT: 0x13,
  PRUNE: 0x14,
  DIRECT: 0x15,
  REQUEST: 0x20,
  RESPONSE: 0x21,
} as const;
/** One of {@link FrameType}. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

const KNOWN = new Set<number>(Object.values(FrameType));

/** A decoded frame: its type and the top-level RLP list. */
export interface Frame {
  type: FrameType;
  fields: (Uint8Array | NestedUint8Array)[];
}

/** Any value RLP encodes: bytes, strings, non-negative integers and nested lists of them. */
export type FieldValue = Uint8Array | string | number | bigint | FieldValue[];

/** Encode one frame. Integers are minimal big-endian, strings UTF-8. */
export function encodeFrame(type: FrameType, fields: FieldValue[]): Uint8Array {
  const body = RLP.encode(fields.map(toInput));
  const out = new Uint8Array(1 + body.length);
  out[0] = type;
  out.set(body, 1);
  return out;
}

type Input = Uint8Array | number | bigint | Input[];
const enc = new TextEncoder();
function toInput(v: FieldValue): Input {
  if (typeof v === "string") return enc.encode(v);
  if (Array.isArray(v)) return v.map(toInput);
  return v;
}

/**
 * Decode one frame, enforcing `maxBytes` first.
 * @throws {P2PError} FRAME_TOO_LARGE or MALFORMED_FRAME, both REJECT.
 */
export function decodeFrame(data: string | Uint8Array, maxBytes: number): Frame {
  if (typeof data === "string") throw malformed("text frame");
  if (data.length > maxBytes) throw frameTooLarge(data.length, maxBytes);
  if (data.length < 2) throw malformed("frame shorter than 2 bytes");
  const type = data[0] as number;
  if (!KNOWN.has(type)) throw malformed(`unknown frame type 0x${type.toString(16)}`);
  let decoded: Uint8Array | NestedUint8Array;
  try {
    decoded = RLP.decode(data.subarray(1));
  } catch (e) {
    throw malformed(`bad RLP: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(decoded)) throw malformed("frame body is not a list");
  return { type: type as FrameType, fields: decoded };
}

/** The FRAME_TOO_LARGE error (REJECT) for a frame of `size` bytes. */
export function frameTooLarge(size: number, max: number): P2PError {
  return new P2PError({ code: P2PErrorCode.FRAME_TOO_LARGE, action: PeerAction.REJECT, size, max }, `frame of ${size} bytes exceeds ${max}`);
}

/** A field that must be a byte string (optionally of an exact length). */
export function bytesField(fields: Frame["fields"], i: number, len?: number): Uint8Array {
  const v = fields[i];
  if (!(v instanceof Uint8Array)) throw malformed(`field ${i}: expected bytes`);
  if (len !== undefined && v.length !== len) throw malformed(`field ${i}: expected ${len} bytes, got ${v.length}`);
  return v;
}

/** A field that must be a canonical unsigned integer of at most `maxBytes` bytes. */
export function uintField(fields: Frame["fields"], i: number, maxBytes = 6): bigint {
  const v = bytesField(fields, i);
  if (v.length > maxBytes) throw malformed(`field ${i}: integer longer than ${maxBytes} bytes`);
  if (v.length > 0 && v[0] === 0) throw malformed(`field ${i}: integer with a leading zero`);
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
}

/** {@link uintField} as a safe JS number (≤ 6 bytes). */
export function numField(fields: Frame["fields"], i: number): number {
  return Number(uintField(fields, i, 6));
}

const dec = new TextDecoder("utf-8", { fatal: true });

/** A field that must be valid UTF-8 of 1..maxLen bytes. */
export function stringField(fields: Frame["fields"], i: number, maxLen: number): string {
  const v = bytesField(fields, i);
  if (v.length === 0 || v.length > maxLen) throw malformed(`field ${i}: string length ${v.length} not in 1..${maxLen}`);
  try {
    return dec.decode(v);
  } catch {
    throw malformed(`field ${i}: invalid UTF-8`);
  }
}

/** A field that must be a list of at most `maxItems` byte strings. */
export function bytesListField(fields: Frame["fields"], i: number, maxItems: number): Uint8Array[] {
  const v = fields[i];
  if (!Array.isArray(v)) throw malformed(`field ${i}: expected a list`);
  if (v.length > maxItems) throw malformed(`field ${i}: ${v.length} items, max ${maxItems}`);
  for (const x of v) if (!(x instanceof Uint8Array)) throw malformed(`field ${i}: nested list inside a byte list`);
  return v as Uint8Array[];
}

/** Require exactly `n` top-level fields. */
export function expectFields(frame: Frame, n: number): void {
  if (frame.fields.length !== n) throw malformed(`frame type 0x${frame.type.toString(16)}: expected ${n} fields, got ${frame.fields.length}`);
}
