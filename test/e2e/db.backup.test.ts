// Issue 12 acceptance 4 on real processes: `harmony db backup` of a running validator's data dir, then a
// new RPC node (own port, own node key, no BLS keys) started on the copy holds the chain up to the backup
// by itself, catches up with the devnet once given its bootnodes, and agrees on block hashes.
import { afterAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type TestDevnet, blockAt, blockNumber, rpcCall, startDevnet, stopAllDevnets, toNumber, waitFor, waitForHeight } from "./_devnet.ts";
import { freePort, harmonyBinary, removeDir, tempDir } from "./_node.ts";

let d: TestDevnet | undefined;
const procs: ChildProcess[] = [];
const work = tempDir("harmony-backup-");
afterAll(async () => {
  for (const p of procs) p.kill("SIGKILL");
  if (d) await d.stop();
  stopAllDevnets();
  removeDir(work);
});

const RPC = "node4";

function startNode(configFile: string, logFile: string): ChildProcess {
  const fd = openSync(logFile, "a");
  const p = spawn(harmonyBinary(), ["node", "--config", configFile], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  procs.push(p);
  return p;
}

async function headOf(url: string): Promise<number> {
  return toNumber(await rpcCall(url, "eth_blockNumber", [], 3000)) ?? -1;
}

describe("harmony db backup", () => {
  test("a node started on a running validator's backup continues and agrees on hashes", async () => {
    d = await startDevnet({ validators: 4, rpcNodes: 1 });
    const dn = d;
    await waitForHeight(dn, RPC, 3, 30_000);
    const source = join(dn.dir, "node0");
    const out = join(work, "copy");

    const bad = spawnSync(harmonyBinary(), ["db", "backup", "--data-dir", join(work, "nothing"), out], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(join(work, "nothing"));

    const before = await blockNumber(dn, "node0");
    const r = spawnSync(harmonyBinary(), ["db", "backup", "--data-dir", source, out], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).stores).toEqual([join("chain", "store.sqlite")]);
    expect(existsSync(join(out, "consensus", "safety.rlp"))).toBe(true);
    // Keys stay behind: the copy holds only the store and the safety record.
    const cfg0 = JSON.parse(readFileSync(join(source, "config.json"), "utf8")) as Record<string, unknown>;
    expect(readdirSync(out).sort()).toEqual(["chain", "consensus"]);
    expect(existsSync(join(out, "chain", "LOCK"))).toBe(false);

    const again = spawnSync(harmonyBinary(), ["db", "backup", "--data-dir", source, out], { encoding: "utf8" });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(out);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = (bootnodes: string[]) => ({
      dataDir: out, host: "127.0.0.1", port, genesis: cfg0.genesis, blsKeystores: [], nodeKeyFile: join(work, "node.key"),
      bootnodes, shardId: 0, ...(cfg0.shardEndpoints ? { shardEndpoints: cfg0.shardEndpoints } : {}),
    });
    mkdirSync(work, { recursive: true });
    const logFile = join(work, "node.log");
    const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n") : "");

    // Alone (no bootnodes), the node serves the chain the copy holds: at least what node0 had before the backup.
    writeFileSync(join(work, "alone.json"), JSON.stringify(config([])));
    const alone = startNode(join(work, "alone.json"), logFile);
    const ownHead = await waitFor(`the node on the copy to serve\n${log()}`, 20_000, async () => {
      if (alone.exitCode !== null) throw new Error(`node exited:\n${log()}`);
      return await headOf(url).catch(() => undefined);
    });
    expect(ownHead).toBeGreaterThanOrEqual(before);
    alone.kill("SIGINT");
    await new Promise((res) => (alone.exitCode !== null ? res(null) : alone.once("exit", res)));

    // With the devnet's bootnodes it catches up past the devnet's current head.
    const bootnodes = [...(cfg0.bootnodes as string[]), `ws://127.0.0.1:${String(cfg0.port)}/p2p`];
    writeFileSync(join(work, "joined.json"), JSON.stringify(config(bootnodes)));
    const joined = startNode(join(work, "joined.json"), logFile);
    const target = (await blockNumber(dn, RPC)) + 2;
    const head = await waitFor(`the node on the copy to reach ${target}\n${log()}`, 30_000, async () => {
      if (joined.exitCode !== null) throw new Error(`node exited:\n${log()}`);
      const h = await headOf(url).catch(() => -1);
      return h >= target ? h : undefined;
    });
    for (const n of [1, ownHead, head]) {
      const mine = (await rpcCall(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false], 3000)) as { hash?: string } | null;
      const theirs = await blockAt(dn, RPC, n);
      expect(mine?.hash).toBeDefined();
      expect(mine?.hash).toBe(theirs?.hash as string);
    }
  }, 120_000);
});
