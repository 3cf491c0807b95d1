// P2P.reportInvalid: a handler that finds a message invalid after delivery (consensus, after its
// signature checks) scores the peer down like a REJECT verdict, which disconnects it in the end.
import { afterEach, describe, expect, test } from "bun:test";
import { startNode, stopAll, waitFor } from "./_harness.ts";

afterEach(stopAll);

describe("reportInvalid", () => {
  test("lowers the score and disconnects below the threshold; unknown peers are ignored", async () => {
    const a = await startNode();
    const b = await startNode({ bootnodes: [a.url] });
    await waitFor(() => a.p2p.peerCount() === 1 && b.p2p.peerCount() === 1, 3000, "connection");
    const bId = b.p2p.nodeId;
    a.p2p.reportInvalid("0x0000000000000000000000000000000000000001", "nobody");
    a.p2p.reportInvalid(bId, "bad vote");
    expect(a.p2p.scoreOf(bId)).toBeLessThan(0);
    expect(a.p2p.peerCount()).toBe(1);
    a.p2p.reportInvalid(bId, "bad vote");
    a.p2p.reportInvalid(bId, "bad vote");
    await waitFor(() => a.p2p.peerCount() === 0, 3000, "disconnect");
    expect(a.p2p.getMetrics().disconnects.low_score ?? 0).toBeGreaterThanOrEqual(1);
  });
});
