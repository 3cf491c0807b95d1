// Issue 5 acceptance 4, on real processes (`dist/harmony devnet`, 4 validators + 1 RPC node, 1 s blocks,
// 16-block epochs: the shortest whose window keeps every phase of the schedule, see randomness/params.ts): over 3 epochs each epoch's randomness is produced from a VDF output a beacon leader
// included, every node (each verified the VDF when it validated or imported the block) returns the same
// value from hmy_getEpochRandomness, and the 3 values differ. One validator runs with
// HARMONY_WITHHOLD_VDF=1 (restarted by hand at the start): it never includes the VDF output, yet the
// chain does not stall and the outcome is still the VDF (another leader of the window includes it).
import { afterAll, describe, expect, test } from "bun:test";
import { isProcessAlive } from "../../src/cli/_devnetProcess.ts";
import { type TestDevnet, blockAt, committeeSlots, normalizeKey, startDevnet, toNumber, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  if (d) await d.stop();
  stopAllDevnets();
});

const NODES = ["node0", "node1", "node2", "node3", "node4"];
const EPOCH_BLOCKS = 16;
// The schedule's defaults for E = 16: VRFs at offsets 0..7, the VDF evaluated over k = 2 blocks, included from 10.
const VDF_WINDOW_START = 10;

describe("random beacon on a 4-validator devnet", () => {
  test("3 epochs of VDF randomness, the same on every node, all different; a withholding validator changes nothing", async () => {
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, extraArgs: ["--epoch-blocks", String(EPOCH_BLOCKS)] });
    const dn = d;
    // node0 withholds its VDF output from now on.
    const pid = dn.node("node0").pid as number;
    process.kill(pid, "SIGKILL");
    await waitFor("node0 to exit", 10_000, () => !isProcessAlive(pid));
    const withholder = dn.restartNode("node0", { HARMONY_WITHHOLD_VDF: "1" });
    await waitFor("node0 to serve again", 30_000, () => dn.rpc("node0", "eth_blockNumber").then(() => true));

    // Epoch 2's randomness is final after block 3·E − 2.
    await waitForHeight(dn, "node4", 3 * EPOCH_BLOCKS, 200_000);
    const values = new Set<string>();
    for (let e = 0; e < 3; e++) {
      const answers = await waitFor(`epoch ${e} randomness on every node`, 20_000, async () => {
        const all = await Promise.all(NODES.map((n) => dn.rpc(n, "hmy_getEpochRandomness", [e])));
        return all as Record<string, unknown>[];
      });
      for (const a of answers) expect(a).toEqual(answers[0] as Record<string, unknown>);
      const r = answers[0] as { epoch: number; randomness: string; pRnd: string; vdfProof: string | null; vdfBlock: number | null; source: string };
      expect(r.epoch).toBe(e);
      expect(r.source).toBe("vdf");
      expect(r.randomness).toMatch(/^0x[0-9a-f]{64}$/);
      expect(r.vdfProof?.length).toBe(2 + 2 * 512);
      expect(r.vdfBlock! % EPOCH_BLOCKS).toBeGreaterThanOrEqual(VDF_WINDOW_START);
      expect(r.vdfBlock! % EPOCH_BLOCKS).toBeLessThanOrEqual(EPOCH_BLOCKS - 2);
      values.add(r.randomness);
      // The block that included it was not led by the withholding node0 (slots in the epoch's order:
      // committees are reshuffled at every epoch end).
      const inc = await blockAt(dn, "node4", r.vdfBlock!);
      const keys = (await dn.rpc("node4", "hmy_getValidatorKeys", [e])) as string[];
      const leaderKey = normalizeKey(keys[(toNumber(inc?.viewID) ?? 0) % keys.length] as string);
      expect(committeeSlots(dn).find((s) => s.key === leaderKey)?.node).toBeDefined();
      expect(committeeSlots(dn).find((s) => s.key === leaderKey)?.node).not.toBe("node0");
    }
    expect(values.size).toBe(3);
    // An epoch that is not final yet is an error.
    await expect(dn.rpc("node4", "hmy_getEpochRandomness", [1000])).rejects.toThrow("not final");
    expect(withholder.proc.exitCode).toBeNull();
    expect(dn.log("node0", 400)).toContain("HARMONY_WITHHOLD_VDF=1");
  }, 280_000);
});
