// Issue 9 "bitmaps that reflect availability" (and issue 8 acceptance 4): the next proposer collects
// COMMITs after the quorum, so on a healthy network every key is in (nearly) every header's
// lastCommitBitmap — not only the fastest quorum. Real drivers, real BLS, in-process delivery.
import { describe, expect, test } from "bun:test";
import { startTestNetwork, waitFor } from "./_net.ts";

describe("commit bitmaps on a healthy network", () => {
  test("every key signs ≥ 95% of 40 blocks (late commits reach the next header, handovers included)", async () => {
    // Node 3 is slow: everything to and from it takes 60 ms (of 150 ms blocks), so it is the last to vote.
    const net = await startTestNetwork({ delayMs: (from, to) => (from === 3 || to === 3 ? 60 : 2) });
    try {
      for (const x of net.nodes) x.driver.start();
      await waitFor(() => net.nodes.every((x) => x.chain.head.number >= 43n), 60_000, "43 blocks");
      const chain = net.nodes[0]!.chain;
      const signed = [0, 0, 0, 0];
      // Blocks 3–42 (headers 4–43): the first two rounds are the network's start, where the slow node may not have joined yet.
      for (let h = 4n; h <= 43n; h++) {
        const bitmap = chain.getHeaderByNumber(h)!.lastCommitBitmap;
        for (let slot = 0; slot < 4; slot++) if (((bitmap[0] ?? 0) >> slot) & 1) signed[slot]!++;
      }
      for (const n of signed) expect(n).toBeGreaterThanOrEqual(38);
    } finally {
      await net.stop();
    }
  }, 90_000);
});
