// The random beacon in the consensus driver (issue 5, acceptance 4): leaders put their VRF into each
// beacon header they build, and validators refuse a proposal whose VRF is missing or not the
// proposer's.
import { afterEach, describe, expect, test } from "bun:test";
import { leaderSlot } from "../../../src/consensus/index.ts";
import { ChainConfig, Header } from "../../../src/core/index.ts";
import { checkBeaconVRF } from "../../../src/node/_driverBlocks.ts";
import type { BlockOpsContext } from "../../../src/node/_driverBlocks.ts";
import { openChain } from "../../../src/chain/index.ts";
import { RandomBeacon } from "../../../src/node/randomBeacon.ts";
import { memoryLogger } from "./_helpers.ts";
import { computeVRF, createRandomnessParams, verifyVRF } from "../../../src/randomness/index.ts";
import { type TestNetwork, startTestNetwork, testConfig, waitFor } from "./_net.ts";

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.stop();
  net = undefined;
});

describe("random beacon in the driver", () => {
  test("every committed beacon block carries a valid VRF of its view's leader; a wrong or missing one is refused", async () => {
    net = await startTestNetwork();
    for (const x of net.nodes) x.driver.start();
    const n = net;
    await waitFor(() => n.nodes.every((x) => x.chain.head.number >= 6n), 20_000, "6 blocks on every node");
    const chain = n.nodes[0]!.chain;
    for (let h = 1n; h <= 6n; h++) {
      const hd = chain.getHeaderByNumber(h)!;
      expect(hd.epoch).toBe(chain.config.epochOf(h));
      expect(hd.vrf.length).toBe(128);
      const leader = n.committee.keys[leaderSlot(n.committee, hd.viewId)]!;
      expect(verifyVRF(n.bls, leader, hd.parentHash, hd.vrf)).toBe(true);
    }
    const ctx = { committees: n.nodes[0]!.committees, beacon: { bls: n.bls, params: createRandomnessParams(testConfig()) } } as unknown as BlockOpsContext;
    const good = chain.getHeaderByNumber(3n)!;
    expect(checkBeaconVRF(ctx, good)).toBeNull();
    const data = good.toData();
    expect(checkBeaconVRF(ctx, new Header({ ...data, vrf: new Uint8Array(0) }))).toContain("VRF missing");
    const otherSlot = (leaderSlot(n.committee, good.viewId) + 1) % n.committee.size;
    const forged = computeVRF(n.bls, n.secretKeys[otherSlot]!, good.parentHash);
    expect(checkBeaconVRF(ctx, new Header({ ...data, vrf: forged }))).toContain("does not verify");
  }, 30_000);
});

describe("random beacon in the node", () => {
  // 16-block epochs at 250 ms: pRnd after offset 7, the window is offsets [10, 14]; a small T so that
  // the Worker's evaluation (with its start-up) is done before the window opens.
  const E = 16n;
  const beaconNet = (withholdVDF?: (i: number) => boolean) =>
    startTestNetwork({ config: new ChainConfig({ ...testConfig(250).toData(), epochBlocks: Number(E) }), beacon: { overrides: { vdfT: 1 << 12 }, ...(withholdVDF ? { withholdVDF } : {}) } });
  test("each epoch's randomness comes from a VDF included in the window, the same on every node, different per epoch", async () => {
    net = await beaconNet();
    for (const x of net.nodes) x.driver.start();
    const n = net;
    await waitFor(() => n.nodes.every((x) => x.chain.head.number >= 3n * E), 50_000, "3 epochs on every node");
    const values = new Set<string>();
    for (let e = 0n; e < 3n; e++) {
      const r = n.nodes.map((x) => x.beacon!.get(e));
      for (const v of r) expect(v).toEqual(r[0]);
      expect(r[0]!.source).toBe("vdf");
      expect(r[0]!.epoch).toBe(Number(e));
      values.add(r[0]!.randomness);
      const inc = n.nodes[0]!.chain.getHeaderByNumber(BigInt(r[0]!.vdfBlock!))!;
      expect(inc.vdf.length).toBe(544);
    }
    expect(values.size).toBe(3);
    // A restarted node: its chain rebuilds the accumulator from the stored headers and keeps the stored values.
    const x0 = n.nodes[0]!;
    for (const x of n.nodes) await x.driver.stop();
    const reopened = await openChain(x0.chain.kv, { genesis: n.genesis, senderPool: null, logger: memoryLogger(), randomness: x0.chain.randomness!.params });
    const again = new RandomBeacon({ evaluateVDF: false }, { chain: reopened, logger: memoryLogger() });
    expect(again.state).toEqual(x0.chain.randomness!.state);
    expect(again.state.nextNumber).toBe(x0.chain.head.number + 1n);
    for (let e = 0n; e < 3n; e++) expect(again.get(e)).toEqual(x0.beacon!.get(e));
    expect(n.nodes.every((x) => x.logs.every((l) => l.level !== "error"))).toBe(true);
  }, 60_000);

  test("a leader that withholds its VDF output does not stall the chain: another leader of the window includes it", async () => {
    net = await beaconNet((i) => i === 0);
    for (const x of net.nodes) x.driver.start();
    const n = net;
    await waitFor(() => n.nodes.every((x) => x.chain.head.number >= 2n * E), 40_000, "2 epochs on every node");
    for (let e = 0n; e < 2n; e++) {
      const r = n.nodes.map((x) => x.beacon!.get(e));
      for (const v of r) expect(v).toEqual(r[0]);
      expect(r[0]!.source).toBe("vdf");
      // Node 0 never included it.
      const inc = n.nodes[0]!.chain.getHeaderByNumber(BigInt(r[0]!.vdfBlock!))!;
      expect(n.committee.keys[0]).not.toEqual(n.committee.keys[Number(inc.viewId % BigInt(n.committee.size))]);
    }
  }, 60_000);
});
