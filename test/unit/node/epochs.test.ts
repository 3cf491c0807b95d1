// Issue 9 acceptance 7 in-process: committees per epoch with staking on. Five validators are staked
// in the genesis, but the genesis committee has four of them (keys 0–3); the fifth (key 4) has the
// largest stake, so the first election (end of epoch 0) puts it in and votes the smallest (key 3) out.
// Node 4 runs from the start as an observer and joins at the boundary without a restart; node 3
// stops signing there; the boundary costs no view change. Real drivers, chains and BLS.
import { afterAll, describe, expect, test } from "bun:test";
import { keysOfBitmap } from "../../../src/consensus/index.ts";
import { ChainConfig, type GenesisValidator, TOKEN, createDevGenesis } from "../../../src/core/index.ts";
import { DEC_ONE } from "../../../src/staking/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";
import { type TestNetwork, startTestNetwork, testConfig, waitFor } from "./_net.ts";

let net: TestNetwork | undefined;
afterAll(async () => net?.stop());

const EPOCH = 8n;
const stakeOf = [200n, 200n, 200n, 150n, 300n];

function validator(i: number, key: Uint8Array): GenesisValidator {
  return {
    address: Uint8Array.of(...new Uint8Array(19), 0xa0 + i), blsKeys: [key], stake: stakeOf[i]! * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n,
    maxChangeRate: DEC_ONE / 20n, minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: `v${i}`,
  };
}

describe("committees per epoch", () => {
  test("an elected observer joins at the boundary, a voted-out key stops signing there, no view change", async () => {
    const base = testConfig();
    const config = new ChainConfig({ ...base.toData(), epochBlocks: Number(EPOCH), activationEpochs: { ...base.activationEpochs, staking: 0n } });
    net = await startTestNetwork({
      n: 5, config,
      genesis: (keys, cfg) => ({ ...createDevGenesis({ config: cfg, committees: [keys.slice(0, 4)] }), validators: keys.map((k, i) => validator(i, k)) }),
    });
    const n = net;
    for (const x of n.nodes) x.driver.start();
    expect(n.nodes[4]!.driver.status().validator).toBe(false);
    await waitFor(() => n.nodes.every((x) => x.chain.head.number >= 2n * EPOCH + 2n), 60_000, "two epochs on every node");
    const chain = n.nodes[0]!.chain;
    const hex = (k: Uint8Array) => bytesToHex(k);
    const keyOf = (i: number) => hex(n.committee.keys[i]!);
    const epoch0 = chain.committeeSpecAt(0n)!.keys.map(hex);
    const epoch1 = chain.committeeSpecAt(1n)!.keys.map(hex);
    expect(epoch0).toEqual([0, 1, 2, 3].map(keyOf));
    expect(new Set(epoch1)).toEqual(new Set([0, 1, 2, 4].map(keyOf)));
    // Who signed each block (its commit proof is carried by the next header, against its own epoch's committee).
    const signersOf = (h: bigint) => {
      const spec = chain.committeeSpecAt(config.epochOf(h))!;
      const committee = { keys: spec.keys, power: spec.power, validators: spec.validators, totalPower: 0n, size: spec.keys.length, bitmapBytes: 1 };
      return new Set(keysOfBitmap(committee, chain.getHeaderByNumber(h + 1n)!.lastCommitBitmap).map(hex));
    };
    const firstOf1 = EPOCH;
    for (let h = firstOf1; h < 2n * EPOCH; h++) expect(signersOf(h).has(keyOf(3))).toBe(false);
    const signedBy4 = [...Array(Number(EPOCH))].filter((_, i) => signersOf(firstOf1 + BigInt(i)).has(keyOf(4))).length;
    expect(signedBy4).toBeGreaterThan(0);
    expect(n.nodes[4]!.driver.status().validator).toBe(true);
    expect(n.nodes[3]!.driver.status().validator).toBe(false);
    // No view change anywhere on the way (leader rotation moves the view too, and is no failure).
    for (const x of n.nodes) {
      const vc = x.driver.stats().viewChanges;
      expect([vc.timeout ?? 0, vc.newview ?? 0]).toEqual([0, 0]);
    }
  }, 90_000);
});
