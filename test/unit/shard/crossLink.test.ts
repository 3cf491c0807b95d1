// DESIGN §Sharding (crosslinks), issue 10 acceptance 2 (crosslink half, the validation function): a
// crosslink = a shard block's number, view, epoch, hash and its own commit proof, in Harmony's RLP field
// order, decoded strictly; verified against the shard's committee of its epoch (bitmap shape, a quorum of
// > 2/3 of the voting power, the signers' aggregate over the 48-byte commit payload), and sequenced per
// shard (the next block after the last crosslinked one, same or next epoch).
import { beforeAll, describe, expect, test } from "bun:test";
import { commitPayload, createHeader, rlpDecode, rlpEncode, type ShardState } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import {
  type CommitteeSpec,
  type CrossLink,
  CrossLinkErrorCode,
  GENESIS_CROSSLINK_TIP,
  MAX_CROSSLINKS_PER_BLOCK,
  checkCrossLinkSequence,
  createCrossLink,
  decodeCrossLink,
  decodeCrossLinks,
  encodeCrossLink,
  encodeCrossLinks,
  getCommitteeSpec,
  verifyCrossLink,
} from "../../../src/shard/index.ts";

let bls: BLS;
let sks: Uint8Array[];
let pks: Uint8Array[];

beforeAll(async () => {
  bls = await createBLS();
  sks = [1, 2, 3, 4, 5, 6, 7].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  pks = sks.map((sk) => bls.secretToPublic(sk));
});

const slot = (i: number, stake = 0n) => ({ blsKey: pks[i] as Uint8Array, validator: new Uint8Array(20), effectiveStake: stake });
/** Epoch 0: shard 1 = keys 0..3; epoch 1: shard 1 = keys 4..6 (a reshuffled committee). */
const epoch0 = (): ShardState => ({ epoch: 0n, shards: [{ shardId: 0, slots: [] }, { shardId: 1, slots: [0, 1, 2, 3].map((i) => slot(i)) }] });
const epoch1 = (): ShardState => ({ epoch: 1n, shards: [{ shardId: 0, slots: [] }, { shardId: 1, slots: [4, 5, 6].map((i) => slot(i)) }] });
const committee = (s: ShardState): CommitteeSpec => getCommitteeSpec(s, 1) as CommitteeSpec;

/** A crosslink of shard 1 signed by key indexes `signers` (the bitmap lists `slots` of the committee). */
function link(fields: { number?: bigint; view?: bigint; epoch?: bigint; hash?: Uint8Array; signers: number[]; slots: number[]; bitmapBytes?: number }): CrossLink {
  const number = fields.number ?? 5n;
  const viewId = fields.view ?? 7n;
  const blockHash = fields.hash ?? new Uint8Array(32).fill(0xab);
  const msg = commitPayload(number, blockHash, viewId);
  const signature = fields.signers.length === 0 ? new Uint8Array(96) : bls.aggregateSignatures(fields.signers.map((i) => bls.sign(sks[i] as Uint8Array, msg)));
  const bitmap = new Uint8Array(fields.bitmapBytes ?? 1);
  for (const s of fields.slots) bitmap[s >> 3] = (bitmap[s >> 3] as number) | (1 << (s & 7));
  return { shardId: 1, blockNumber: number, viewId, epoch: fields.epoch ?? 0n, blockHash, signature, bitmap };
}

describe("crosslink codec", () => {
  test("round trip in Harmony's field order; the header list; none is no bytes", () => {
    const l = link({ signers: [0, 1, 2], slots: [0, 1, 2] });
    const enc = encodeCrossLink(l);
    const fields = rlpDecode(enc, "t") as Uint8Array[];
    expect(fields[0]).toEqual(l.blockHash); // hash, number, view, signature, bitmap, shard, epoch
    expect(fields[3]).toEqual(l.signature);
    expect(fields[5]).toEqual(Uint8Array.of(1));
    expect(decodeCrossLink(enc)).toEqual(l);
    const two = [l, { ...l, blockNumber: 6n }];
    expect(decodeCrossLinks(encodeCrossLinks(two))).toEqual(two);
    expect(encodeCrossLinks([])).toEqual(new Uint8Array(0));
    expect(decodeCrossLinks(new Uint8Array(0))).toEqual([]);
  });

  test("from a shard header and its commit proof", () => {
    const h = createHeader({ shardId: 2, number: 9n, viewId: 11n, epoch: 3n });
    const proof = { signature: new Uint8Array(96).fill(1), bitmap: Uint8Array.of(7) };
    expect(createCrossLink(h, proof)).toEqual({ shardId: 2, blockNumber: 9n, viewId: 11n, epoch: 3n, blockHash: h.hash, signature: proof.signature, bitmap: proof.bitmap });
  });

  test("strict decoding: each malformed encoding is a typed MALFORMED error with REJECT", () => {
    const l = link({ signers: [0], slots: [0] });
    const item = rlpDecode(encodeCrossLink(l), "t") as Uint8Array[];
    const bad = [
      Uint8Array.of(0xc0), // empty list
      new Uint8Array([...encodeCrossLink(l), 0]), // trailing byte
      rlpEncode(item.slice(0, 6)), // a field missing
      rlpEncode([...item, new Uint8Array(0)]), // an extra field
      rlpEncode([new Uint8Array(31), ...item.slice(1)]), // short hash
      rlpEncode([...item.slice(0, 3), new Uint8Array(95), ...item.slice(4)]), // short signature
      rlpEncode([item[0] as Uint8Array, Uint8Array.of(0, 5), ...item.slice(2)]), // non-canonical number
      rlpEncode([...item.slice(0, 5), Uint8Array.of(1, 0, 0, 0, 0), item[6] as Uint8Array]), // shard id past uint32
      rlpEncode([...item.slice(0, 4), new Uint8Array(1025), ...item.slice(5)]), // bitmap past 8192 slots
      rlpEncode([...item.slice(0, 4), [new Uint8Array(1)], ...item.slice(5)]), // bitmap as a list
    ];
    for (const b of bad) {
      let err: unknown;
      try {
        decodeCrossLink(b);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: CrossLinkErrorCode.MALFORMED, type: { action: "REJECT" } });
    }
    expect(() => decodeCrossLinks(Uint8Array.of(0xc0))).toThrow(expect.objectContaining({ code: CrossLinkErrorCode.MALFORMED }));
    const many = Array.from({ length: MAX_CROSSLINKS_PER_BLOCK + 1 }, () => item);
    expect(() => decodeCrossLinks(rlpEncode(many))).toThrow(/at most 16/);
    expect(() => encodeCrossLinks(Array.from({ length: 17 }, () => l))).toThrow(RangeError);
    expect(decodeCrossLinks(rlpEncode(Array.from({ length: 16 }, () => item)))).toHaveLength(16);
  });
});

describe("verifyCrossLink", () => {
  test("a quorum's aggregate over the commit payload is accepted", () => {
    expect(verifyCrossLink(link({ signers: [0, 1, 2], slots: [0, 1, 2] }), committee(epoch0()), bls)).toEqual({ ok: true });
    expect(verifyCrossLink(link({ signers: [0, 1, 2, 3], slots: [0, 1, 2, 3] }), committee(epoch0()), bls)).toEqual({ ok: true });
  });

  test("a bad signature is refused", () => {
    const c = committee(epoch0());
    const good = link({ signers: [0, 1, 2], slots: [0, 1, 2] });
    const cases = [
      { ...good, blockHash: new Uint8Array(32).fill(0xcd) }, // signed another block
      { ...good, viewId: 8n }, // signed another view
      { ...good, blockNumber: 6n }, // signed another height
      link({ signers: [0, 1, 3], slots: [0, 1, 2] }), // a signer outside the bitmap
      { ...good, signature: new Uint8Array(96).fill(0xff) }, // not a point
    ];
    for (const l of cases) expect(verifyCrossLink(l, c, bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BAD_SIGNATURE });
  });

  test("an under-quorum bitmap is refused (2/3 exactly is not a quorum), by voting power", () => {
    expect(verifyCrossLink(link({ signers: [0, 1], slots: [0, 1] }), committee(epoch0()), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.NO_QUORUM });
    expect(verifyCrossLink(link({ signers: [4, 5], slots: [0, 1], epoch: 1n }), committee(epoch1()), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.NO_QUORUM });
    // Staked: slot 0 holds 70 of 100 power, so it alone is a quorum; slots 1-3 together are not.
    const staked: ShardState = { epoch: 0n, shards: [{ shardId: 1, slots: [slot(0, 70n), slot(1, 10n), slot(2, 10n), slot(3, 10n)] }] };
    expect(verifyCrossLink(link({ signers: [0], slots: [0] }), committee(staked), bls)).toEqual({ ok: true });
    expect(verifyCrossLink(link({ signers: [1, 2, 3], slots: [1, 2, 3] }), committee(staked), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.NO_QUORUM });
    expect(verifyCrossLink(link({ signers: [], slots: [] }), committee(epoch0()), { verifyChecks: () => [true] })).toMatchObject({ ok: false, code: CrossLinkErrorCode.NO_QUORUM });
  });

  test("a bitmap of the wrong shape is refused", () => {
    const c = committee(epoch0());
    expect(verifyCrossLink(link({ signers: [0, 1, 2], slots: [0, 1, 2], bitmapBytes: 2 }), c, bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BITMAP_SHAPE });
    expect(verifyCrossLink({ ...link({ signers: [0, 1, 2], slots: [0, 1, 2] }), bitmap: new Uint8Array(0) }, c, bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BITMAP_SHAPE });
    expect(verifyCrossLink(link({ signers: [0, 1, 2], slots: [0, 1, 2, 4] }), c, bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BITMAP_SHAPE, reason: expect.stringContaining("slot 4") });
  });

  test("the wrong epoch's committee: signed by epoch 0's committee, checked against epoch 1's, and back", () => {
    const byEpoch0 = link({ signers: [0, 1, 2], slots: [0, 1, 2], epoch: 1n });
    expect(verifyCrossLink(byEpoch0, committee(epoch1()), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BAD_SIGNATURE });
    const byEpoch1 = link({ signers: [4, 5, 6], slots: [0, 1, 2], epoch: 0n });
    expect(verifyCrossLink(byEpoch1, committee(epoch1()), bls)).toEqual({ ok: true });
    expect(verifyCrossLink(byEpoch1, committee(epoch0()), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.BAD_SIGNATURE });
  });

  test("no committee for the shard, and the beacon shard's own blocks, are refused", () => {
    const l = link({ signers: [0, 1, 2], slots: [0, 1, 2] });
    expect(verifyCrossLink({ ...l, shardId: 2 }, getCommitteeSpec(epoch0(), 2), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.NO_COMMITTEE });
    expect(verifyCrossLink({ ...l, shardId: 0 }, committee(epoch0()), bls)).toMatchObject({ ok: false, code: CrossLinkErrorCode.NOT_A_SHARD });
  });
});

describe("checkCrossLinkSequence", () => {
  const at = (blockNumber: bigint, epoch: bigint) => ({ ...link({ signers: [0], slots: [0] }), blockNumber, epoch });
  test("the next block of the shard, same or next epoch, not past the beacon block's epoch", () => {
    expect(checkCrossLinkSequence(at(1n, 0n), GENESIS_CROSSLINK_TIP, 0n)).toEqual({ ok: true });
    expect(checkCrossLinkSequence(at(6n, 2n), { blockNumber: 5n, epoch: 2n }, 2n)).toEqual({ ok: true });
    expect(checkCrossLinkSequence(at(6n, 3n), { blockNumber: 5n, epoch: 2n }, 3n)).toEqual({ ok: true });
  });
  test("duplicate, out of order and wrong epoch are refused with their codes", () => {
    const tip = { blockNumber: 5n, epoch: 2n };
    expect(checkCrossLinkSequence(at(5n, 2n), tip, 9n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.DUPLICATE });
    expect(checkCrossLinkSequence(at(3n, 2n), tip, 9n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.DUPLICATE });
    expect(checkCrossLinkSequence(at(7n, 2n), tip, 9n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.OUT_OF_ORDER });
    expect(checkCrossLinkSequence(at(6n, 4n), tip, 9n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.WRONG_EPOCH });
    expect(checkCrossLinkSequence(at(6n, 1n), tip, 9n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.WRONG_EPOCH });
    expect(checkCrossLinkSequence(at(6n, 3n), tip, 2n)).toMatchObject({ ok: false, code: CrossLinkErrorCode.WRONG_EPOCH });
  });
});
