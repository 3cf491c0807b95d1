// The chain's `stages` event (issue 12 item 4): a block validated and committed by insertBlock reports
// every validation stage once and its commit; a proposal built reports `build`; a block committed
// after verifyBlock does not run validation again. The node turns these into a histogram.
import { describe, expect, test } from "bun:test";
import { BLOCK_STAGES, type BlockStageTimes } from "../../../src/chain/index.ts";
import { addrs, candidates, devChain, produce, tx } from "./_helpers.ts";

function record(chain: Awaited<ReturnType<typeof devChain>>): BlockStageTimes[] {
  const seen: BlockStageTimes[] = [];
  chain.on("stages", (t) => void seen.push(t));
  return seen;
}

describe("block stage timings", () => {
  test("insertBlock reports validate, senders, execute, finalize, roots, commit and import of its block", async () => {
    const a = await devChain();
    const b = await devChain();
    const built = await produce(a, [tx(0, 0n, { to: addrs[1], value: 5n }), tx(1, 0n, { to: addrs[2], value: 7n })]);
    const seen = record(b);
    await b.insertBlock(built.block);
    expect(seen.map((t) => t.number)).toEqual([1n, 1n]);
    const stages = Object.assign({}, ...seen.map((t) => t.ms)) as Record<string, number>;
    expect(Object.keys(stages).sort()).toEqual(["commit", "execute", "finalize", "import", "receipts_root", "senders", "state_root", "validate"]);
    for (const k of Object.keys(stages)) expect(BLOCK_STAGES).toContain(k as never);
    for (const v of Object.values(stages)) expect(v).toBeGreaterThanOrEqual(0);
    // The whole insert is at least its commit and its transactions' execution.
    expect(stages.import).toBeGreaterThanOrEqual((stages.commit as number) + (stages.execute as number));
  });

  test("a proposal reports build; committing it after verification reports only commit and import", async () => {
    const a = await devChain();
    const b = await devChain();
    const seenA = record(a);
    const built = await a.proposeBlock(candidates([tx(0, 0n, { to: addrs[1], value: 5n })]), { timestamp: a.head.timestamp + 1n });
    expect(seenA).toHaveLength(1);
    expect(Object.keys(seenA[0]?.ms ?? {})).toEqual(["build"]);
    const seenB = record(b);
    await b.verifyBlock(built.block);
    expect(Object.keys(seenB[0]?.ms ?? {})).toContain("execute");
    seenB.length = 0;
    await b.commitBlock(built.block, { sig: new Uint8Array(96), bitmap: new Uint8Array(1) });
    expect(seenB.map((t) => Object.keys(t.ms).sort())).toEqual([["commit", "import"]]);
  });
});
