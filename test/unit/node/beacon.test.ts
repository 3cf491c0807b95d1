// The random beacon in the consensus driver (issue 5, acceptance 4): leaders put their VRF into each
// beacon header they build, and validators refuse a proposal whose VRF is missing or not the
// proposer's.
import { afterEach, describe, expect, test } from "bun:test";
import { leaderSlot } from "../../../src/consensus/index.ts";
import { Header } from "../../../src/core/index.ts";
import { checkBeaconVRF } from "../../../src/node/_driverBlocks.ts";
import type { BlockOpsContext } from "../../../src/node/_driverBlocks.ts";
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
    const ctx = { committee: n.committee, beacon: { bls: n.bls, params: createRandomnessParams(testConfig()), secretKeyOf: () => undefined } } as unknown as BlockOpsContext;
    const good = chain.getHeaderByNumber(3n)!;
    expect(checkBeaconVRF(ctx, good)).toBeNull();
    const data = good.toData();
    expect(checkBeaconVRF(ctx, new Header({ ...data, vrf: new Uint8Array(0) }))).toContain("VRF missing");
    const otherSlot = (leaderSlot(n.committee, good.viewId) + 1) % n.committee.size;
    const forged = computeVRF(n.bls, n.secretKeys[otherSlot]!, good.parentHash);
    expect(checkBeaconVRF(ctx, new Header({ ...data, vrf: forged }))).toContain("does not verify");
  }, 30_000);
});
