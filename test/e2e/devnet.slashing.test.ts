// Issue 9 acceptance 5, on real processes: a devnet validator restarted with HARMONY_FAILPOINT=double-sign
// (a conflicting COMMIT with each COMMIT) is slashed and banned within the next epoch: half of its 10,000-
// token self-stake is taken, half of that paid to the reporter (the coinbase of the leader that included
// the evidence), it is not elected again; honest validators keep their stake and status, and blocks go on.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type TestDevnet, blockNumber, committeeSlots, currentLeader, normalizeKey, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";

let d: TestDevnet | undefined;
afterAll(async () => {
  if (d) await d.stop();
  stopAllDevnets();
});

const RPC = "node4";
const VALIDATORS = ["node0", "node1", "node2", "node3"];
const TOKEN = 10n ** 18n;

describe("a validator that double-signs", () => {
  test("is slashed and banned within the next epoch; the reporter gets its share; honest validators are unaffected", async () => {
    d = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1 });
    const dn = d;
    const genesis = JSON.parse(readFileSync(join(dn.dir, "genesis.json"), "utf8")) as { config: { epochBlocks: number } };
    const E = genesis.config.epochBlocks;
    await waitForHeight(dn, RPC, 3, 60_000);

    // Validator address of each node, by its BLS key.
    const addrs = (await dn.rpc(RPC, "hmy_getAllValidatorAddresses")) as string[];
    const info = (a: string) => dn.rpc(RPC, "hmy_getValidatorInformation", [a]) as Promise<Record<string, any>>;
    const owner = new Map<string, string>();
    for (const a of addrs) for (const k of (await info(a)).validator["bls-public-keys"] as string[]) owner.set(normalizeKey(k), a);
    const addressOf = (node: string) => owner.get(committeeSlots(dn).find((s) => s.node === node)?.key ?? "") as string;
    const leader = await currentLeader(dn, RPC);
    const cheat = VALIDATORS.find((n) => n !== leader) as string;
    const cheatAddr = addressOf(cheat);
    const honest = VALIDATORS.filter((n) => n !== cheat).map(addressOf);
    expect(new Set([cheatAddr, ...honest]).size).toBe(4);
    const balance = async (a: string) => BigInt(await dn.rpc(RPC, "eth_getBalance", [a, "latest"]));
    const before = new Map(await Promise.all(addrs.map(async (a) => [a, await balance(a)] as const)));

    // The cheat comes back double-signing.
    process.kill(dn.node(cheat).pid as number, "SIGKILL");
    await waitFor(`${cheat} to be down`, 10_000, async () => !(await dn.rpc(cheat, "eth_blockNumber").then(() => true, () => false)));
    const from = await blockNumber(dn, RPC);
    dn.restartNode(cheat, { HARMONY_FAILPOINT: "double-sign" });
    const deadline = (Math.floor(from / E) + 2) * E; // the end of the next epoch
    const bannedAt = await waitFor(`${cheat} to be banned`, (deadline - from + 20) * 2_000, async () => {
      const v = await info(cheatAddr);
      return v["active-status"] === "banned" ? await blockNumber(dn, RPC) : undefined;
    }, 500).catch((e) => {
      throw new Error(`${(e as Error).message}\n${cheat}:\n${dn.log(cheat, 40)}\nleader ${leader}:\n${dn.log(leader, 40)}`);
    });
    expect(bannedAt).toBeLessThanOrEqual(deadline);

    const v = await info(cheatAddr);
    expect(v["epos-status"]).toBe("banned");
    expect(BigInt(v["total-delegation"])).toBe(5_000n * TOKEN);
    // Exactly one validator's operator (the coinbase of the block with the evidence) received 2,500 tokens.
    const gains = await Promise.all(addrs.map(async (a) => (await balance(a)) - (before.get(a) as bigint)));
    expect(gains.filter((g) => g === 2_500n * TOKEN).length).toBe(1);
    expect(gains.filter((g) => g !== 0n).length).toBe(1);
    expect(honest).toContain(addrs[gains.findIndex((g) => g !== 0n)] as string);

    // The next election leaves the cheat out; the honest validators keep stake and status; blocks go on.
    const nextEpochEnd = (Math.floor(bannedAt / E) + 1) * E;
    await waitForHeight(dn, RPC, nextEpochEnd + 2, (nextEpochEnd - bannedAt + 30) * 2_000);
    const elected = (await dn.rpc(RPC, "hmy_getElectedValidatorAddresses")) as string[];
    expect(elected).not.toContain(cheatAddr);
    expect([...elected].sort()).toEqual([...honest].sort());
    for (const a of honest) {
      const h = await info(a);
      expect(h["active-status"]).toBe("active");
      expect(BigInt(h["total-delegation"])).toBe(10_000n * TOKEN);
    }
    const h0 = await blockNumber(dn, RPC);
    await waitForHeight(dn, RPC, h0 + 3, 30_000);
  }, 300_000);
});
