// The block codec the node passes to `step`: header fields of real Harmony blocks (src/core).
import { describe, expect, test } from "bun:test";
import { ConsensusError, ConsensusErrorCode, coreBlockCodec } from "../../../src/consensus/index.ts";
import { createBlock, createHeader } from "../../../src/core/index.ts";
import { bytes } from "./_fixtures.ts";

describe("coreBlockCodec", () => {
  test("reads number, hash, parent, view and the parent's commit proof from a core block", () => {
    const header = createHeader({ number: 42n, parentHash: bytes(32, 1), viewId: 17n, lastCommitSig: bytes(96, 2), lastCommitBitmap: Uint8Array.of(0b1011) });
    const block = createBlock(header);
    const info = coreBlockCodec.decodeBlockInfo(block.encode());
    expect(info.number).toBe(42n);
    expect(info.hash).toEqual(block.hash);
    expect(info.parentHash).toEqual(bytes(32, 1));
    expect(info.viewId).toBe(17n);
    expect(info.lastCommitSig).toEqual(bytes(96, 2));
    expect(info.lastCommitBitmap).toEqual(Uint8Array.of(0b1011));
  });

  test("rejects bytes that are not a block with BLOCK_MALFORMED", () => {
    for (const bad of [new Uint8Array(0), Uint8Array.of(0xc0), createHeader({}).encoded]) {
      let err: unknown;
      try {
        coreBlockCodec.decodeBlockInfo(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConsensusError);
      expect((err as ConsensusError).code).toBe(ConsensusErrorCode.BLOCK_MALFORMED);
    }
  });
});
