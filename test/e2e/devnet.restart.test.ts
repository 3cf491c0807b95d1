// Issue 8 item 7: `harmony devnet` started a second time on its data dir resumes blocks within two view
// timeouts (devnet base 3 s), instead of every validator waiting out the doppelganger guard's listening
// rounds by timeouts: the validators see a quorum of the committee restarting with them
// (src/node/listenQuorum.ts) and sign again, with no doppelganger alarm and the same chain as before.
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEV_CHAIN_CONFIG } from "../../src/core/index.ts";
import { type TestDevnet, blockAt, blockNumber, startDevnet, stopAllDevnets, waitFor, waitForHeight } from "./_devnet.ts";
import { removeDir, tempDir } from "./_node.ts";

const root = tempDir("harmony-restart-");
const dir = join(root, "net");
let d: TestDevnet | undefined;
afterAll(async () => {
  if (d) await d.stop();
  stopAllDevnets();
  removeDir(root);
});

const RPC = "node4";
const VALIDATORS = ["node0", "node1", "node2", "node3"];

describe("devnet restart on its data", () => {
  test("blocks resume within two view timeouts, the guard ends by a restart quorum, the chain is kept", async () => {
    const first = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, dataDir: dir });
    d = first;
    await waitForHeight(first, RPC, 6, 90_000);
    const before = await blockAt(first, RPC, 5);
    expect(await first.stop()).toBe(0);
    d = undefined;

    const spawnedAt = Date.now();
    const second = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 1, dataDir: dir });
    d = second;
    const servingAt = Date.now();
    const heads = await Promise.all([...VALIDATORS, RPC].map((n) => blockNumber(second, n)));
    const top = Math.max(...heads);
    const bound = 2 * DEV_CHAIN_CONFIG.consensus.viewChangeBaseMs;
    const resumedAt = await waitFor(`a block above ${top} after the restart`, 60_000, async () => ((await blockNumber(second, RPC)) > top ? Date.now() : undefined), 100);
    console.log(`restart: serving ${servingAt - spawnedAt} ms after spawn; first new block ${resumedAt - servingAt} ms after serving (bound ${bound} ms)`);
    if (resumedAt - servingAt > bound) {
      const logs = VALIDATORS.map((n) => `--- ${n}\n${second.log(n, 30)}`).join("\n");
      throw new Error(`blocks resumed ${resumedAt - servingAt} ms after the restart, more than two view timeouts (${bound} ms)\n${logs}`);
    }

    // The guard ended by the quorum of restarting peers, not by timeouts, and raised no alarm.
    for (const n of VALIDATORS) {
      await waitFor(`${n} to end its listening by the restart quorum:\n${second.log(n)}`, 15_000, () => second.log(n, 400).includes("a quorum of the committee is restarting too"));
      expect(second.log(n, 400)).not.toContain("DOPPELGANGER");
    }
    // The chain from before the restart is kept.
    expect((await blockAt(second, RPC, 5))?.hash).toBe(before?.hash as string);
    expect(await second.stop()).toBe(0);
    d = undefined;
  }, 300_000);
});
