// A node that runs a receipt's destination shard sends the proof again, directly to each peer, until
// the destination has credited it (gossip would drop the same bytes for minutes); a node that cannot
// tell sends once.
import { describe, expect, test } from "bun:test";
import { type CxProof, createHeader } from "../../../src/core/index.ts";
import { startCxSender } from "../../../src/node/cxRelay.ts";
import { memoryLogger } from "../p2p/_harness.ts";

const proof = { header: createHeader({ number: 5n, shardId: 1 }), receipts: [{ index: 0, receipt: { from: new Uint8Array(20), to: new Uint8Array(20), fromShard: 1, toShard: 0, amount: 1n, txHash: new Uint8Array(32) } }], nodes: [] } as unknown as CxProof;

function harness(isCredited?: (p: CxProof) => boolean | undefined) {
  const listeners: ((b: unknown) => void)[] = [];
  const sent = { published: 0, direct: [] as string[] };
  const chain = {
    on: (_e: string, fn: (b: unknown) => void) => (listeners.push(fn), () => undefined),
    getOutgoingCxReceipts: () => proof.receipts.map((r) => r.receipt),
    getCxProof: () => proof,
  };
  const p2p = {
    publish: () => ((sent.published++), { id: new Uint8Array(32), peers: 1, duplicate: false }),
    peers: () => [{ id: "p1" }, { id: "p2" }],
    sendTo: (peer: string, topic: string) => (sent.direct.push(`${peer} ${topic}`), true),
  };
  const stop = startCxSender({ chain: chain as never, p2p: p2p as never, logger: memoryLogger(), resendEveryMs: 30, ...(isCredited ? { isCredited } : {}) });
  for (const l of listeners) l({ block: { hash: new Uint8Array(32), number: 5n } });
  return { sent, stop };
}

describe("cross-shard receipt resends", () => {
  test("resent directly to every peer while not credited, and no more once it is", async () => {
    let credited = false;
    const h = harness(() => credited);
    await Bun.sleep(100);
    expect(h.sent.published).toBe(1);
    expect(h.sent.direct.length).toBeGreaterThanOrEqual(2);
    expect(h.sent.direct.slice(0, 2)).toEqual(["p1 cx/0", "p2 cx/0"]);
    credited = true;
    await Bun.sleep(70);
    const after = h.sent.direct.length;
    await Bun.sleep(100);
    expect(h.sent.direct.length).toBe(after);
    h.stop();
  });

  test("a node that cannot tell whether the destination credited it sends once", async () => {
    const h = harness(() => undefined);
    await Bun.sleep(120);
    expect([h.sent.published, h.sent.direct.length]).toEqual([1, 0]);
    h.stop();
  });
});
