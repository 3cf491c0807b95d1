// The block encoding with incoming cross-shard proofs (DESIGN §Sharding): `rlp([header, txs])` as
// before when the block credits none, `rlp([header, txs, [proof…]])` when it does; decoding is strict
// (2 or 3 items, no empty third list, well-formed proofs) and bounded by the receipts a block may credit.
import { describe, expect, test } from "bun:test";
import {
  BlockErrorCode, type CxProof, type CxReceipt, DEV_CHAIN_CONFIG, computeCxReceiptsRoot, createBlock, createCxReceipt, createHeader, createShardCommon, decodeBlock, decodeIncoming,
  encodeCxProof, encodeIncoming, keccak256, rlpDecode, rlpEncode,
} from "../../../src/core/index.ts";
import { coreBlockCodec } from "../../../src/consensus/index.ts";
import { createCxProof } from "../../../src/execution/index.ts";

const common = createShardCommon(DEV_CHAIN_CONFIG, 0);
const addr = (b: number) => new Uint8Array(20).fill(b);

/** Shard-1 block 7's proof of `n` receipts to shard 0. */
function proofOf(n: number, seed = 1): CxProof {
  const outgoing: CxReceipt[] = Array.from({ length: n }, (_, i) =>
    createCxReceipt({ from: addr(seed), to: addr(50 + i), fromShard: 1, toShard: 0, amount: BigInt(1 + i), txHash: keccak256(Uint8Array.of(seed, i)) }));
  const header = createHeader({ shardId: 1, number: 7n, outgoingCxReceiptsRoot: computeCxReceiptsRoot(outgoing) });
  return createCxProof(header, outgoing, 0) as CxProof;
}

const header = createHeader({ number: 3n });
const malformed = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: BlockErrorCode.MALFORMED }));

describe("incoming proofs in the block encoding", () => {
  test("no proofs: two elements, the same bytes as before; proofs: a third element that round-trips", () => {
    const plain = createBlock(header, []);
    expect(plain.encode()).toEqual(rlpEncode([rlpDecode(header.encoded, "h") as Uint8Array[], []]));
    expect(decodeBlock(plain.encode(), common).incoming).toEqual([]);
    const proofs = [proofOf(2), proofOf(3, 2)];
    const block = createBlock(header, [], proofs);
    const top = rlpDecode(block.encode(), "block") as unknown[];
    expect(top).toHaveLength(3);
    expect(top[2]).toEqual(proofs.map(encodeCxProof));
    const back = decodeBlock(block.encode(), common);
    expect(back.hash).toEqual(block.hash);
    expect(back.incoming.map((p) => p.receipts)).toEqual(proofs.map((p) => p.receipts));
    expect(back.incoming.map((p) => p.nodes)).toEqual(proofs.map((p) => p.nodes));
    expect(back.encode()).toEqual(block.encode());
    expect(Object.isFrozen(back.incoming)).toBe(true);
    // The consensus layer reads the header of either form.
    expect(coreBlockCodec.decodeBlockInfo(block.encode()).hash).toEqual(block.hash);
    // The stored form of the third element.
    expect(decodeIncoming(encodeIncoming(proofs), 5).map((p) => p.header.hash)).toEqual(proofs.map((p) => p.header.hash));
  });

  test("bounded: at most maxIncomingReceipts receipts in all", () => {
    const block = createBlock(header, [], [proofOf(2), proofOf(3, 2)]);
    expect(decodeBlock(block.encode(), common, { maxIncomingReceipts: 5 }).incoming).toHaveLength(2);
    malformed(() => decodeBlock(block.encode(), common, { maxIncomingReceipts: 4 }));
    malformed(() => decodeBlock(block.encode(), common, { maxIncomingReceipts: 2 }));
    malformed(() => decodeIncoming(encodeIncoming(block.incoming), 4));
  });

  test("malformed: an empty third list, a fourth element, a proof that is a list or does not decode", () => {
    const h = rlpDecode(header.encoded, "h") as Uint8Array[];
    const good = encodeCxProof(proofOf(1));
    malformed(() => decodeBlock(rlpEncode([h, [], []]), common));
    malformed(() => decodeBlock(rlpEncode([h, [], [good], []]), common));
    malformed(() => decodeBlock(rlpEncode([h, []].slice(0, 1) as never), common));
    malformed(() => decodeBlock(rlpEncode([h, [], [[good]]]), common));
    malformed(() => decodeBlock(rlpEncode([h, [], [good.subarray(0, good.length - 1)]]), common));
    malformed(() => decodeBlock(rlpEncode([h, [], good]), common));
    expect(decodeBlock(rlpEncode([h, [], [good]]), common).incoming).toHaveLength(1);
  });
});
