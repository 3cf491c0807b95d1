// Chain.verifyBlock / proposeBlock / commitBlock (issue 4): a proposal is validated and executed
// without being committed, committed later without re-execution, with its commit proof in the same
// batch (surviving a reopen); an invalid proposal writes nothing.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockError, createBlock, createHeader, createDevGenesis } from "../../../src/core/index.ts";
import { openDataDir } from "../../../src/store/index.ts";
import { addrs, candidates, devChain, tx } from "./_helpers.ts";

const PROOF = { sig: new Uint8Array(96).fill(7), bitmap: Uint8Array.of(0x0f) };

describe("chain proposals", () => {
  test("a built proposal is not committed until commitBlock, which stores its proof", async () => {
    const chain = await devChain();
    const built = await chain.proposeBlock(candidates([tx(0, 0n, { to: addrs[1], value: 5n })]), { timestamp: 1n, viewId: 3n });
    expect(chain.head.number).toBe(0n);
    expect(chain.getBlockByHash(built.block.hash)).toBeUndefined();
    const res = await chain.commitBlock(built.block, PROOF);
    expect(res.timings.validateBody).toBe(0); // from the cache: not validated or executed again
    expect(chain.head.hash).toEqual(built.block.hash);
    expect(chain.stateAt().getBalance(addrs[1] as Uint8Array)).toBeGreaterThan(0n);
    expect(chain.getCommitProof(built.block.hash)).toEqual(PROOF);
  });

  test("a validator's verifyBlock executes once; an invalid block is refused and nothing is written", async () => {
    const leader = await devChain();
    const validator = await devChain();
    const built = await leader.proposeBlock(candidates([tx(0, 0n, { to: addrs[2], value: 9n })]), { timestamp: 1n });
    const v = await validator.verifyBlock(built.block);
    expect(v.block.hash).toEqual(built.block.hash);
    expect(validator.head.number).toBe(0n);
    const res = await validator.commitBlock(built.block, PROOF);
    expect(res.timings.validateBody).toBe(0);
    // A tampered state root fails validation and leaves the chain as it was.
    const bad = createBlock(createHeader({ ...leader.genesis, parentHash: leader.head.hash, number: 2n, timestamp: 2n, stateRoot: new Uint8Array(32).fill(1), gasLimit: leader.config.blockGasLimit, txRoot: built.block.header.txRoot, receiptsRoot: built.block.header.receiptsRoot, shardState: new Uint8Array(0), extraData: new Uint8Array(0) }), []);
    await leader.commitBlock(built.block, PROOF);
    await expect(leader.verifyBlock(bad)).rejects.toBeInstanceOf(BlockError);
    expect(leader.head.number).toBe(1n);
  });

  test("commitBlock of a block never verified validates and executes it", async () => {
    const a = await devChain();
    const b = await devChain();
    const built = await a.proposeBlock(candidates([tx(3, 0n, { to: addrs[4], value: 1n })]), { timestamp: 1n });
    const res = await b.commitBlock(built.block, PROOF);
    expect(res.block.hash).toEqual(built.block.hash);
    expect(b.getCommitProof(built.block.hash)).toEqual(PROOF);
    // The proof of a block below the head comes from the next header.
    const next = await b.proposeBlock([], { timestamp: 2n, lastCommitSig: PROOF.sig, lastCommitBitmap: PROOF.bitmap });
    await b.commitBlock(next.block, { sig: new Uint8Array(96).fill(9), bitmap: Uint8Array.of(7) });
    expect(b.getCommitProof(built.block.hash)).toEqual(PROOF);
    expect(b.getCommitProof(b.genesis.hash)).toBeUndefined();
  });

  test("the head's commit proof survives a reopen of the store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "harmony-commit-"));
    try {
      const kv = openDataDir(dir);
      const chain = await devChain(kv, createDevGenesis());
      const built = await chain.proposeBlock([], { timestamp: 1n });
      await chain.commitBlock(built.block, PROOF);
      await chain.close();
      kv.close();
      const kv2 = openDataDir(dir);
      const again = await devChain(kv2, createDevGenesis());
      expect(again.head.hash).toEqual(built.block.hash);
      expect(again.getCommitProof(again.head.hash)).toEqual(PROOF);
      await again.close();
      kv2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
