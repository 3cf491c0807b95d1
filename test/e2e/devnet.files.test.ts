// Issue 4, `harmony devnet` set-up (no processes): the keys, genesis and node configs it writes are
// consistent — the genesis committee is exactly the keystores' keys in slot order, every keystore opens
// with passphrase.txt, configs follow the `harmony node --config` contract — and a reused data dir keeps
// its keys, refuses mismatching flags, a running devnet, a taken port, and never wipes a foreign directory.
// Issue 10: with --shards 2, each shard's committee is its validators' keys and every config names every
// shard's network and RPC node.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { DevnetError, DevnetErrorCode } from "../../src/cli/_devnetErrors.ts";
import { layoutCommittee } from "../../src/cli/_devnetLayout.ts";
import { saveManifest } from "../../src/cli/_devnetManifest.ts";
import { parseDevnetFlags, DEVNET_DEFAULTS } from "../../src/cli/_devnetOptions.ts";
import { prepareDevnet } from "../../src/cli/_devnetPrepare.ts";
import { loadNodeConfig } from "../../src/cli/_nodeConfig.ts";
import type { NodeConfigFile } from "../../src/cli/_devnetConfig.ts";
import { DEV_ACCOUNTS, parseGenesisJSON } from "../../src/core/index.ts";
import { createBLS, decryptBLSKeystore, isValidPrivateKey, privateKeyToAddress } from "../../src/crypto/index.ts";
import { bytesToHex, hexToBytes } from "../../src/util/index.ts";
import { freePortRange } from "./_devnet.ts";
import { removeDir, tempDir } from "./_node.ts";

const root = tempDir("harmony-devnet-files-");
afterAll(() => removeDir(root));
const bls = () => createBLS("wasm");

async function options(dataDir: string, flags: Record<string, string | boolean> = {}) {
  const basePort = String(await freePortRange(8));
  const raw = { ...DEVNET_DEFAULTS, basePort, dataDir, ...flags };
  return parseDevnetFlags(raw as never, new Set(Object.keys(flags)));
}

function expectDevnetError(e: unknown, code: DevnetErrorCode): void {
  expect(e).toBeInstanceOf(DevnetError);
  expect((e as DevnetError).type.code).toBe(code);
}

describe("harmony devnet files", () => {
  const dir = join(root, "net");

  test("keys, genesis and configs agree", async () => {
    const opts = await options(dir, { validators: "3", keysPerNode: "2", rpcNodes: "1", blockTime: "0.5" });
    const p = await prepareDevnet(opts, { bls });
    expect(p.created).toBe(true);
    expect(p.layout.nodes.map((n) => n.name)).toEqual(["node0", "node1", "node2", "node3"]);

    const passphrase = readFileSync(join(dir, "passphrase.txt"), "utf8");
    expect(statSync(join(dir, "passphrase.txt")).mode & 0o777).toBe(0o600);
    expect(passphrase).toMatch(/^[0-9a-f]{64}$/);

    const genesis = parseGenesisJSON(JSON.parse(readFileSync(join(dir, "genesis.json"), "utf8")));
    expect(genesis.config.blockTimeMs).toBe(500);
    expect(genesis.config.networkId).toBe(31337);
    expect(genesis.committees.length).toBe(1);
    const committee = (genesis.committees[0] ?? []).map(bytesToHex);
    expect(committee).toEqual(layoutCommittee(p.layout, 0));
    expect(committee.length).toBe(6);
    expect(new Set(committee).size).toBe(6);
    expect(genesis.alloc.map(([a]) => bytesToHex(a))).toEqual(DEV_ACCOUNTS.map((a) => a.address.toLowerCase()));
    // Every validator node is a genesis validator: its keys, operated by its node key's address.
    expect(genesis.validators?.map((v) => v.name)).toEqual(["node0", "node1", "node2"]);
    expect(genesis.validators?.flatMap((v) => v.blsKeys.map(bytesToHex))).toEqual(committee);
    for (const v of genesis.validators ?? []) {
      const nodeKey = readFileSync(join(dir, v.name, "nodekey"), "utf8");
      expect(bytesToHex(v.address)).toBe(bytesToHex(privateKeyToAddress(hexToBytes(`0x${nodeKey}`))));
      expect(v.stake).toBeGreaterThanOrEqual(genesis.config.staking.minSelfDelegation);
    }

    const b = await bls();
    const seenKeys: string[] = [];
    for (const [i, e] of p.endpoints.entries()) {
      const cfg = JSON.parse(readFileSync(e.configFile, "utf8")) as NodeConfigFile;
      expect(cfg.host).toBe("127.0.0.1");
      expect(cfg.port).toBe(opts.basePort + i);
      expect(cfg.dataDir).toBe(join(dir, `node${i}`));
      expect(cfg.genesis).toBe(join(dir, "genesis.json"));
      expect(cfg.passphraseFile).toBe(join(dir, "passphrase.txt"));
      expect(cfg.bootnodes.length).toBe(3);
      expect(cfg.bootnodes).not.toContain(`ws://127.0.0.1:${cfg.port}/p2p`);
      for (const bn of cfg.bootnodes) expect(bn).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/p2p$/);
      const nodeKey = readFileSync(cfg.nodeKeyFile, "utf8");
      expect(isValidPrivateKey(hexToBytes(nodeKey))).toBe(true);
      expect(cfg.blsKeystores.length).toBe(i < 3 ? 2 : 0);
      for (const f of cfg.blsKeystores) {
        const sk = await decryptBLSKeystore(readFileSync(f, "utf8"), passphrase, { bls: b });
        seenKeys.push(bytesToHex(b.secretToPublic(sk)));
      }
    }
    // Slot order: node0's keys, then node1's, …, each in its config's order.
    expect(seenKeys).toEqual(committee);
  });

  test("a second run reuses the keys; a typed flag that differs is refused", async () => {
    const before = readFileSync(join(dir, "genesis.json"), "utf8");
    const again = await prepareDevnet(await options(dir), { bls });
    expect(again.created).toBe(false);
    expect(readFileSync(join(dir, "genesis.json"), "utf8")).toBe(before);
    expect(again.layout.validators).toBe(3);
    const cfg = JSON.parse(readFileSync(again.endpoints[0]?.configFile ?? "", "utf8")) as NodeConfigFile;
    expect(cfg.port).toBe(again.endpoints[0]?.port as number);

    let err: unknown;
    try {
      await prepareDevnet(await options(dir, { validators: "4" }), { bls });
    } catch (e) {
      err = e;
    }
    expectDevnetError(err, DevnetErrorCode.LAYOUT_MISMATCH);
    expect((err as Error).message).toContain("--fresh");
  });

  test("a devnet whose pids are alive is not started twice, nor wiped", async () => {
    saveManifest(dir, { networkId: 31337, shards: [{ shardId: 0, chainId: 31337, nodes: [{ name: "node0", pid: process.pid, rpc: "", ws: "", validator: true, blsKeys: [] }] }] });
    let err: unknown;
    try {
      await prepareDevnet(await options(dir, { fresh: true }), { bls });
    } catch (e) {
      err = e;
    }
    expectDevnetError(err, DevnetErrorCode.ALREADY_RUNNING);
    expect(existsSync(join(dir, "layout.json"))).toBe(true);
    saveManifest(dir, { networkId: 31337, shards: [] });
  });

  test("--fresh recreates the keys", async () => {
    const before = readFileSync(join(dir, "genesis.json"), "utf8");
    const p = await prepareDevnet(await options(dir, { fresh: true, validators: "2" }), { bls });
    expect(p.created).toBe(true);
    expect(p.layout.validators).toBe(2);
    expect(readFileSync(join(dir, "genesis.json"), "utf8")).not.toBe(before);
  });

  test("--fresh never deletes a directory that holds something else", async () => {
    const foreign = join(root, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "precious.txt"), "keep me");
    let err: unknown;
    try {
      await prepareDevnet(await options(foreign, { fresh: true }), { bls });
    } catch (e) {
      err = e;
    }
    expectDevnetError(err, DevnetErrorCode.NOT_A_DEVNET_DIR);
    expect(readFileSync(join(foreign, "precious.txt"), "utf8")).toBe("keep me");
  });

  test("--shards 2: a committee per shard, every validator staked at genesis, dev accounts on every shard", async () => {
    const sdir = join(root, "sharded");
    const opts = await options(sdir, { shards: "2", validators: "2", keysPerNode: "2", rpcNodes: "1" });
    const p = await prepareDevnet(opts, { bls });
    expect(p.layout.shards).toBe(2);
    expect(p.layout.nodes.map((n) => [n.name, n.shardId, n.validator])).toEqual([
      ["node0", 0, true], ["node1", 0, true], ["node2", 0, false], ["node3", 1, true], ["node4", 1, true], ["node5", 1, false],
    ]);
    const genesis = parseGenesisJSON(JSON.parse(readFileSync(join(sdir, "genesis.json"), "utf8")));
    expect(genesis.config.shardCount).toBe(2);
    expect(genesis.config.chainId(1)).toBe(31338n);
    for (const s of [0, 1]) {
      const committee = (genesis.committees[s] ?? []).map(bytesToHex);
      expect(committee).toEqual(layoutCommittee(p.layout, s));
      expect(committee.length).toBe(4);
      // Without a per-shard alloc the one alloc applies on every shard.
      const alloc = (genesis as { shardAllocs?: typeof genesis.alloc[] }).shardAllocs?.[s] ?? genesis.alloc;
      expect(alloc.map(([a]) => bytesToHex(a))).toEqual(DEV_ACCOUNTS.map((a) => a.address.toLowerCase()));
    }
    expect(new Set([...(genesis.committees[0] ?? []), ...(genesis.committees[1] ?? [])].map(bytesToHex)).size).toBe(8);
    expect(genesis.validators?.map((v) => v.name)).toEqual(["node0", "node1", "node3", "node4"]);
    for (const [i, e] of p.endpoints.entries()) {
      const cfg = JSON.parse(readFileSync(e.configFile, "utf8")) as NodeConfigFile;
      expect(cfg.port).toBe(opts.basePort + i);
      expect(cfg.bootnodes.length).toBe(2);
      expect(Object.keys(cfg.shardBootnodes ?? {})).toEqual(["0", "1"]);
      expect(cfg.shardBootnodes?.[String(e.shardId)]).toEqual(cfg.bootnodes);
      expect(cfg.shardBootnodes?.[String(1 - e.shardId)]?.length).toBe(3);
      expect(cfg.shardEndpoints.map((x) => x.http)).toEqual([p.endpoints[2]?.rpc ?? "", p.endpoints[5]?.rpc ?? ""]);
    }
    // The node's own loader accepts what the devnet wrote.
    const loaded = loadNodeConfig(p.endpoints[3]?.configFile ?? "");
    expect(loaded.shardBootnodes?.[0]).toEqual([0, 1, 2].map((i) => `ws://127.0.0.1:${opts.basePort + i}/p2p`));
    expect(loaded.shardEndpoints?.length).toBe(2);
  });

  test("a taken port is reported before anything starts", async () => {
    const opts = await options(join(root, "ports"));
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(opts.basePort + 2, "127.0.0.1", () => r()));
    let err: unknown;
    try {
      await prepareDevnet(opts, { bls });
    } catch (e) {
      err = e;
    }
    await new Promise((r) => srv.close(r));
    expectDevnetError(err, DevnetErrorCode.PORT_IN_USE);
    expect((err as DevnetError).type).toMatchObject({ port: opts.basePort + 2 });
  });
});
