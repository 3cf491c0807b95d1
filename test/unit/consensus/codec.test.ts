// Wire codec of the FBFT messages: round trips, and malformed bytes rejected with a typed error.
import { describe, expect, test } from "bun:test";
import { RLP } from "@ethereumjs/rlp";
import {
  type ConsensusMessage, ConsensusError, ConsensusErrorCode, MAX_MESSAGE_BYTES, decodeConsensusMessage, encodeConsensusMessage, signingBytes,
} from "../../../src/consensus/index.ts";
import { bytes } from "./_fixtures.ts";

const hash = bytes(32, 1);
const sig = bytes(96, 2);
const bitmap = Uint8Array.of(0b1011);
const cert = { signature: bytes(96, 3), bitmap: Uint8Array.of(0b0111) };
const base = { height: 77n, view: 5n, signers: Uint8Array.of(0b0010), signature: sig };

const samples: ConsensusMessage[] = [
  { kind: "announce", ...base, blockHash: hash, block: bytes(300, 4) },
  { kind: "prepare", ...base, signers: bitmap, blockHash: hash },
  { kind: "prepared", ...base, blockHash: hash, block: bytes(10, 5), cert },
  { kind: "commit", ...base, blockHash: hash, blockView: 4n },
  { kind: "committed", ...base, blockHash: hash, blockView: 0n, cert },
  { kind: "viewchange", ...base, lockHash: new Uint8Array(0), claimSignature: bytes(96, 6), prepared: null },
  { kind: "viewchange", ...base, lockHash: hash, claimSignature: bytes(96, 6), prepared: { block: bytes(50, 7), cert } },
  { kind: "newview", ...base, groups: [{ lockHash: new Uint8Array(0), signature: bytes(96, 8), bitmap: Uint8Array.of(0b0101) }], block: bytes(40, 9), cert: null },
  {
    kind: "newview", ...base, block: bytes(40, 9), cert,
    groups: [{ lockHash: hash, signature: bytes(96, 8), bitmap: Uint8Array.of(1) }, { lockHash: new Uint8Array(0), signature: bytes(96, 10), bitmap: Uint8Array.of(6) }],
  },
];

function expectMalformed(wire: Uint8Array): void {
  let err: unknown;
  try {
    decodeConsensusMessage(wire);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConsensusError);
  const ce = err as ConsensusError;
  expect(ce.code).toBe(ConsensusErrorCode.MESSAGE_MALFORMED);
  expect(ce.type.code === ConsensusErrorCode.MESSAGE_MALFORMED && ce.type.action).toBe("REJECT");
}

// Re-encode a message with one top-level item replaced.
function withItem(m: ConsensusMessage, index: number, item: Uint8Array | unknown[]): Uint8Array {
  const list = RLP.decode(encodeConsensusMessage(m)) as unknown[];
  list[index] = item;
  return RLP.encode(list as Uint8Array[]);
}

describe("consensus message codec", () => {
  test("every kind round-trips, frozen", () => {
    for (const m of samples) {
      const wire = encodeConsensusMessage(m);
      const back = decodeConsensusMessage(wire);
      expect(back).toEqual(m);
      expect(Object.isFrozen(back)).toBe(true);
      expect(encodeConsensusMessage(back)).toEqual(wire);
    }
  });

  test("signing bytes are the encoding with the signature field empty", () => {
    for (const m of samples) {
      const s = signingBytes(m);
      expect(s).toEqual(encodeConsensusMessage({ ...m, signature: new Uint8Array(0) }));
      expect(s).not.toEqual(encodeConsensusMessage(m));
      expect(signingBytes({ ...m, signature: bytes(96, 99) })).toEqual(s);
    }
  });

  test("rejects malformed bytes with MESSAGE_MALFORMED / REJECT", () => {
    const announce = samples[0] as ConsensusMessage;
    const wire = encodeConsensusMessage(announce);
    expectMalformed(new Uint8Array(0));
    expectMalformed(Uint8Array.of(0xff, 0x01));
    expectMalformed(new Uint8Array([...wire, 0])); // trailing byte
    expectMalformed(wire.subarray(0, wire.length - 1)); // truncated
    expectMalformed(RLP.encode(hash)); // not a list
    expectMalformed(withItem(announce, 0, Uint8Array.of(8))); // unknown kind
    expectMalformed(withItem(announce, 0, Uint8Array.of(0))); // kind 0
    expectMalformed(withItem(announce, 1, Uint8Array.of(0, 1))); // non-canonical height
    expectMalformed(withItem(announce, 2, bytes(9, 1))); // view wider than uint64
    expectMalformed(withItem(announce, 3, new Uint8Array(0))); // empty signer bitmap
    expectMalformed(withItem(announce, 4, bytes(95, 1))); // short signature
    expectMalformed(withItem(announce, 5, bytes(31, 1))); // short block hash
    expectMalformed(withItem(announce, 6, new Uint8Array(0))); // empty block
    expectMalformed(withItem(announce, 6, [bytes(3, 1)])); // block as a list
    const list = RLP.decode(wire) as Uint8Array[];
    expectMalformed(RLP.encode([...list, new Uint8Array(0)])); // extra field
    expectMalformed(RLP.encode(list.slice(0, 6))); // missing field
  });

  test("rejects inconsistent view-change and new-view fields", () => {
    const vcNil = samples[5] as ConsensusMessage;
    const vcLock = samples[6] as ConsensusMessage;
    expectMalformed(withItem(vcNil, 5, hash)); // lock claimed without M1
    expectMalformed(withItem(vcLock, 5, new Uint8Array(0))); // M1 without a lock
    expectMalformed(withItem(vcLock, 5, bytes(20, 1))); // lock hash of 20 bytes
    expectMalformed(withItem(vcLock, 7, [bytes(5, 1)])); // M1 of one item
    const nv = samples[7] as ConsensusMessage;
    expectMalformed(withItem(nv, 5, [])); // no groups
    expectMalformed(withItem(nv, 5, [[new Uint8Array(0), bytes(96, 1)]])); // group of two items
    expectMalformed(withItem(nv, 7, [bytes(96, 1)])); // cert of one item
    expectMalformed(withItem(samples[2] as ConsensusMessage, 7, [bytes(96, 1), new Uint8Array(0)])); // empty cert bitmap
  });

  test("rejects oversize input before parsing", () => {
    expectMalformed(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(() => decodeConsensusMessage("x" as unknown as Uint8Array)).toThrow(TypeError);
  });

  test("encode rejects integers outside uint64", () => {
    expect(() => encodeConsensusMessage({ ...(samples[1] as ConsensusMessage), height: 1n << 64n })).toThrow(RangeError);
  });
});
