// Proofs of a shard's supply totals (EIP-1186 account + storage proofs of the supply account under a
// header's stateRoot, checked against the crosslinked block): a valid proof gives the chain's totals;
// a forged value, a forged or missing trie node, another block's header or state, another shard, and
// bytes that are no proof are each refused with their SupplyProofError code.
import { describe, expect, test } from "bun:test";
import type { Header } from "../../../src/core/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import {
  type ShardSupplyProof, SupplyProofError, SupplyProofErrorCode, createShardSupplyProof, decodeShardSupplyProof, encodeShardSupplyProof, verifyShardSupplyProof,
} from "../../../src/execution/index.ts";
import { StateReader } from "../../../src/state/index.ts";
import { addrs, devChain, produce, tx } from "../chain/_helpers.ts";

const proofAt = (chain: Chain, n: bigint) => {
  const h = chain.getHeaderByNumber(n) as Header;
  return createShardSupplyProof(h, new StateReader(chain.state, h.stateRoot));
};
const targetOf = (h: Header) => ({ shardId: h.shardId, blockNumber: h.number, blockHash: h.hash });

async function chainWithFees(): Promise<Chain> {
  const chain = await devChain();
  for (let i = 0; i < 3; i++) await produce(chain, [tx(0, BigInt(i), { to: addrs[1], value: 1n, tip: BigInt(i) })]);
  return chain;
}

function refused(p: ShardSupplyProof, target: ReturnType<typeof targetOf>, code: SupplyProofError["code"]): SupplyProofError {
  let err: unknown;
  try {
    verifyShardSupplyProof(p, target);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SupplyProofError);
  expect((err as SupplyProofError).code).toBe(code);
  return err as SupplyProofError;
}

describe("shard supply proofs", () => {
  test("a valid proof at a block gives the chain's totals of that block, through its encoding", async () => {
    const chain = await chainWithFees();
    for (const n of [0n, 1n, 2n, 3n]) {
      const p = decodeShardSupplyProof(encodeShardSupplyProof(proofAt(chain, n)));
      const r = chain.getBurntFees(p.header.hash);
      const totals = verifyShardSupplyProof(p, targetOf(p.header));
      expect(totals).toEqual({ issued: r?.cumulativeIssued ?? 0n, burnt: r?.cumulativeBurnt ?? 0n, cxOut: 0n, cxIn: 0n });
    }
    expect(verifyShardSupplyProof(proofAt(chain, 3n), targetOf(chain.head)).burnt).toBeGreaterThan(0n);
  });

  test("a forged value (claimed or in the trie) is PROOF_INVALID", async () => {
    const chain = await chainWithFees();
    const p = proofAt(chain, 2n);
    const target = targetOf(p.header);
    expect(refused({ ...p, totals: { ...p.totals, burnt: p.totals.burnt + 1n } }, target, SupplyProofErrorCode.PROOF_INVALID).message).toMatch(/slot 1 claims/);
    // Another block's leaf for slot 1 (another value): its hash is not the one the storage root names.
    const other = proofAt(chain, 3n);
    const slot1 = [...(p.storageProofs[1] as Uint8Array[])];
    slot1[slot1.length - 1] = (other.storageProofs[1] as Uint8Array[]).at(-1) as Uint8Array;
    refused({ ...p, totals: { ...p.totals, burnt: other.totals.burnt }, storageProofs: [p.storageProofs[0] as Uint8Array[], slot1, ...p.storageProofs.slice(2)] }, target, SupplyProofErrorCode.PROOF_INVALID);
    // A genesis proof (no account) claiming totals.
    const g = proofAt(chain, 0n);
    expect(verifyShardSupplyProof(g, targetOf(g.header))).toEqual({ issued: 0n, burnt: 0n, cxOut: 0n, cxIn: 0n });
    refused({ ...g, totals: { ...g.totals, issued: 1n } }, targetOf(g.header), SupplyProofErrorCode.PROOF_INVALID);
    // Missing nodes: an account proof cut short, or no slot proofs.
    refused({ ...p, accountProof: p.accountProof.slice(0, -1) }, target, SupplyProofErrorCode.PROOF_INVALID);
    refused({ ...p, storageProofs: p.storageProofs.slice(0, 3) }, target, SupplyProofErrorCode.PROOF_INVALID);
  });

  test("a header that is not the crosslinked block is HEADER_MISMATCH; the right header with another block's proofs is PROOF_INVALID", async () => {
    const chain = await chainWithFees();
    const linked = chain.getHeaderByNumber(2n) as Header;
    const p3 = proofAt(chain, 3n);
    expect(refused(p3, targetOf(linked), SupplyProofErrorCode.HEADER_MISMATCH).type).toMatchObject({ field: "hash" });
    expect(refused(proofAt(chain, 2n), { ...targetOf(linked), shardId: 1 }, SupplyProofErrorCode.HEADER_MISMATCH).type).toMatchObject({ field: "shardId" });
    expect(refused(proofAt(chain, 2n), { ...targetOf(linked), blockNumber: 7n }, SupplyProofErrorCode.HEADER_MISMATCH).type).toMatchObject({ field: "number" });
    // Block 2's header (the crosslinked one) with block 3's state proofs and figures: they do not verify under block 2's stateRoot.
    refused({ ...p3, header: linked }, targetOf(linked), SupplyProofErrorCode.PROOF_INVALID);
  });

  test("bytes that are no proof are MALFORMED", async () => {
    const chain = await chainWithFees();
    const good = encodeShardSupplyProof(proofAt(chain, 1n));
    for (const bad of [new Uint8Array([0xc0]), new Uint8Array([0xff, 1]), good.subarray(0, good.length - 3)]) {
      expect(() => decodeShardSupplyProof(bad)).toThrow(SupplyProofError);
      try {
        decodeShardSupplyProof(bad);
      } catch (e) {
        expect((e as SupplyProofError).code).toBe(SupplyProofErrorCode.MALFORMED);
      }
    }
  });
});
