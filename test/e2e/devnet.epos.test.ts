// Issue 9 acceptance 2, 3, 4 and 7 on real processes (a 4-validator devnet at 0.5 s blocks and
// 10-block epochs, plus two node processes started with fresh BLS keys, as observers):
// - from funded accounts, validator A is created with viem (an ABI call to 0x…fc), validator B with the
//   CLI, and a third account delegates to A; at the next epoch both are elected and their keys sign
//   blocks — their nodes join consensus without a restart; rewards accrue and CollectRewards pays out;
//   an undelegation is returned after 7 epochs and not before;
// - a genesis validator's process stopped for a whole epoch is not elected in the next; restarted and
//   re-activated (editValidator) it is elected again;
// - after the run (stopped, so nothing moves): Σ balances + stakes + pending rewards + pending
//   undelegations = hmy_getTotalSupply = genesis + issued − burnt, to the wei.
import { afterAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Hex, encodeFunctionData } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { openChain } from "../../src/chain/index.ts";
import { DEV_ACCOUNTS, TOKEN, parseGenesisJSON } from "../../src/core/index.ts";
import { WorldState } from "../../src/state/index.ts";
import { DEC_ONE, STAKING_ABI, STAKING_ADDRESS_BYTES, StakingState } from "../../src/staking/index.ts";
import { openDataDir } from "../../src/store/index.ts";
import { bytesToHex, hexToBytes } from "../../src/util/bytes.ts";
import { createLogger } from "../../src/util/logger.ts";
import { type TestDevnet, startDevnet, stopAllDevnets, waitFor } from "./_devnet.ts";
import { freePort, harmonyBinary, removeDir, tempDir } from "./_node.ts";

const EPOCH_BLOCKS = 10;
const STAKING = "0x00000000000000000000000000000000000000fc";
const A = DEV_ACCOUNTS[1]!;
const B = DEV_ACCOUNTS[2]!;
const DELEGATOR = DEV_ACCOUNTS[3]!;
const UNCHANGED = 2n ** 256n - 1n;

let net: TestDevnet | undefined;
let cleanup = () => {};
const procs: ChildProcess[] = [];
afterAll(async () => {
  for (const p of procs) p.kill("SIGKILL");
  if (net) await net.stop();
  stopAllDevnets();
  cleanup();
});

/** JSON with integers of 16+ digits kept exact (as decimal strings). */
function parseExact(text: string): any {
  return JSON.parse(text.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = parseExact(await res.text()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

const lower = (a: string) => a.toLowerCase();

describe("EPoS on a devnet", () => {
  test("validators created with viem and the CLI are elected and sign, rewards and undelegation, an absent validator drops out and returns, supply exact", async () => {
    const dir = tempDir("epos-");
    const env = { ...process.env, HARMONY_PASSPHRASE: "pw" };
    const cli = (args: string[]) => {
      const r = spawnSync(harmonyBinary(), args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
      if (r.status !== 0) throw new Error(`harmony ${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    // Our own data dir: the devnet's chain data outlives its stop (the supply check reads it).
    const d = (net = await startDevnet({ validators: 4, rpcNodes: 1, blockTime: 0.5, dataDir: join(dir, "net"), extraArgs: ["--epoch-blocks", String(EPOCH_BLOCKS)] }));
    cleanup = () => removeDir(dir);
    const url = d.node("node4").rpc;
    const epochNow = async () => Number(BigInt(await rpc(url, "hmy_getEpoch")));
    const balance = async (a: string) => BigInt(await rpc(url, "eth_getBalance", [a, "latest"]));
    const elected = async () => ((await rpc(url, "hmy_getElectedValidatorAddresses")) as string[]).map(lower);
    async function send(pk: string, data: Hex, value = 0n): Promise<any> {
      const acct = privateKeyToAccount(pk as Hex);
      const nonce = Number(BigInt(await rpc(url, "eth_getTransactionCount", [acct.address, "pending"])));
      const gas = BigInt(await rpc(url, "eth_estimateGas", [{ from: acct.address, to: STAKING, data, value: `0x${value.toString(16)}` }]));
      const raw = await acct.signTransaction({ chainId: 31337, nonce, to: STAKING, data, value, gas, type: "eip1559", maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n });
      const hash = await rpc(url, "eth_sendRawTransaction", [raw]);
      const receipt = await waitFor(`receipt of ${hash}`, 30_000, async () => (await rpc(url, "eth_getTransactionReceipt", [hash])) ?? undefined, 200);
      expect(receipt.status).toBe("0x1");
      return receipt;
    }

    // Two node processes with new BLS keys: observers until elected.
    cli(["keys", "import", "--type", "account", B.privateKey, "--data-dir", "ks", "--light-kdf"]);
    const keyA = (JSON.parse(cli(["keys", "new", "--type", "bls", "--data-dir", "ks", "--light-kdf", "--json"])) as { id: string }).id;
    const keyB = (JSON.parse(cli(["keys", "new", "--type", "bls", "--data-dir", "ks", "--light-kdf", "--json"])) as { id: string }).id;
    writeFileSync(join(dir, "pw"), "pw");
    const bootnodes = d.nodes().map((n) => n.rpc.replace("http://", "ws://").replace(/\/$/, "/p2p"));
    const startNode = async (name: string, key: string) => {
      const home = join(dir, name);
      mkdirSync(home, { recursive: true });
      const port = await freePort();
      const cfg = {
        dataDir: home, host: "127.0.0.1", port, genesis: join(d.dir, "genesis.json"), blsKeystores: [join(dir, "ks", "keystore", `bls-${key}.json`)],
        passphraseFile: join(dir, "pw"), nodeKeyFile: join(home, "nodekey"), bootnodes,
      };
      writeFileSync(join(home, "config.json"), JSON.stringify(cfg));
      const fd = openSync(join(home, "node.log"), "a");
      const p = spawn(harmonyBinary(), ["node", "--config", join(home, "config.json")], { stdio: ["ignore", fd, fd] });
      closeSync(fd);
      procs.push(p);
      return `http://127.0.0.1:${port}/`;
    };
    const urlA = await startNode("nodeA", keyA);
    const urlB = await startNode("nodeB", keyB);
    await waitFor("the new nodes serve and follow the chain", 60_000, async () => {
      const h = Number(BigInt(await rpc(url, "eth_blockNumber")));
      const [ha, hb] = await Promise.all([urlA, urlB].map(async (u) => Number(BigInt(await rpc(u, "eth_blockNumber").catch(() => "0x0")))));
      return h > 2 && ha! >= h - 2 && hb! >= h - 2;
    });

    // Validator A with viem: an ABI call to 0x…fc, msg.value = self-stake.
    const pop = JSON.parse(cli(["keys", "pop", keyA, "--data-dir", "ks", "--json"])) as { publicKey: Hex; proof: Hex };
    const createdA = await send(A.privateKey, encodeFunctionData({
      abi: STAKING_ABI, functionName: "createValidator",
      args: [
        { name: "viem validator", identity: "", website: "", securityContact: "", details: "" },
        { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 2n, maxChangeRate: DEC_ONE / 20n }, 100n * TOKEN, 100_000n * TOKEN, [pop.publicKey], [pop.proof],
      ],
    }), 1_000n * TOKEN);
    // Validator B with the CLI.
    const made = JSON.parse(cli(["staking", "create-validator", "--rpc", url, "--data-dir", "ks", "--json", "--from", B.address, "--amount", "1000", "--bls-key", keyB, "--name", "cli validator",
      "--rate", "0.1", "--max-rate", "0.5", "--max-change-rate", "0.05", "--min-self-delegation", "100", "--max-total-delegation", "100000"])) as { status: string; hash: string };
    expect(made.status).toBe("success");
    const createdB = await rpc(url, "eth_getTransactionReceipt", [made.hash]);
    const epochOf = async (r: { blockNumber: string }) => Number(BigInt((await rpc(url, "eth_getBlockByNumber", [r.blockNumber, false])).epoch));
    // A third account delegates to A.
    await send(DELEGATOR.privateKey, encodeFunctionData({ abi: STAKING_ABI, functionName: "Delegate", args: [DELEGATOR.address as Hex, A.address as Hex, 500n * TOKEN] }));
    const [inA, inB] = [await epochOf(createdA), await epochOf(createdB)];

    // At the next epoch both are elected, and their keys sign blocks on nodes that were never restarted.
    await waitFor("A and B elected", 4 * EPOCH_BLOCKS * 1000, async () => (await elected()).includes(lower(A.address)) && (await elected()).includes(lower(B.address)));
    // Each is elected at the end of the epoch it was created in, not before.
    const keysAt = async (e: number) => ((await rpc(url, "hmy_getValidatorKeys", [e])) as string[]).map(lower);
    expect(await keysAt(inA)).not.toContain(lower(pop.publicKey));
    expect(await keysAt(inA + 1)).toContain(lower(pop.publicKey));
    expect(await keysAt(inB)).not.toContain(`0x${keyB}`);
    expect(await keysAt(inB + 1)).toContain(`0x${keyB}`);
    const signed = async (who: string) => BigInt((await rpc(url, "hmy_getValidatorInformation", [who])).lifetime.blocks.signed);
    await waitFor("A's and B's keys in commit bitmaps", 3 * EPOCH_BLOCKS * 1000, async () => (await signed(A.address)) > 0n && (await signed(B.address)) > 0n);
    for (const u of [urlA, urlB]) expect((await rpc(u, "hmy_getNodeMetadata")).consensus.mode).not.toBe("nonValidator");

    // Rewards accrue to the delegation; CollectRewards pays them out.
    const delegation = async () => ((await rpc(url, "hmy_getDelegationsByDelegator", [DELEGATOR.address])) as any[]).find((x) => lower(x.validator_address) === lower(A.address));
    await waitFor("a reward for the delegator", 3 * EPOCH_BLOCKS * 1000, async () => BigInt((await delegation()).reward) > 0n);
    const before = await balance(DELEGATOR.address);
    const collect = await send(DELEGATOR.privateKey, encodeFunctionData({ abi: STAKING_ABI, functionName: "CollectRewards", args: [DELEGATOR.address as Hex] }));
    const fee = BigInt(collect.gasUsed) * BigInt(collect.effectiveGasPrice);
    const collected = (await balance(DELEGATOR.address)) - before + fee;
    expect(collected).toBeGreaterThan(0n);

    // Undelegate 200: returned after 7 epochs, not before.
    const undel = await send(DELEGATOR.privateKey, encodeFunctionData({ abi: STAKING_ABI, functionName: "Undelegate", args: [DELEGATOR.address as Hex, A.address as Hex, 200n * TOKEN] }));
    const undelEpoch = Number(BigInt((await rpc(url, "eth_getBlockByNumber", [undel.blockNumber, false])).epoch));
    const held = await balance(DELEGATOR.address);
    expect((await delegation()).Undelegations.map((u: any) => BigInt(u.Amount))).toEqual([200n * TOKEN]);

    // Meanwhile: a genesis validator that is elected now (one that started late may have missed epoch 0
    // and be out already) stops for a whole epoch.
    const keyOf = (name: string) => `0x${readFileSync(join(d.dir, name, "nodekey"), "utf8").trim()}` as Hex;
    const inNow = await elected();
    const node3 = ["node3", "node2", "node1", "node0"].find((n) => inNow.includes(lower(privateKeyToAccount(keyOf(n)).address)))!;
    const op3Key = keyOf(node3);
    const op3 = privateKeyToAccount(op3Key);
    process.kill(d.node(node3).pid!, "SIGTERM");
    await waitFor("node3's validator voted out", 6 * EPOCH_BLOCKS * 1000, async () => !(await elected()).includes(lower(op3.address)));
    const info3 = await rpc(url, "hmy_getValidatorInformation", [op3.address]);
    expect(info3["epos-status"]).not.toBe("currently elected");
    d.restartNode(node3);
    await waitFor("node3 synced", 60_000, async () => {
      const h = Number(BigInt(await rpc(url, "eth_blockNumber")));
      return Number(BigInt(await rpc(d.node(node3).rpc, "eth_blockNumber").catch(() => "0x0"))) >= h - 2;
    }).catch((e) => {
      throw new Error(`${(e as Error).message}\n${d.log(node3, 60)}`);
    });
    // Its operator (the node key's address) holds only stake: fund its gas first.
    const funder = privateKeyToAccount(DEV_ACCOUNTS[4]!.privateKey as Hex);
    const nonce = Number(BigInt(await rpc(url, "eth_getTransactionCount", [funder.address, "pending"])));
    const fund = await rpc(url, "eth_sendRawTransaction", [await funder.signTransaction({ chainId: 31337, nonce, to: op3.address, value: TOKEN, gas: 21_000n, type: "eip1559", maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 0n })]);
    await waitFor("the funding", 30_000, async () => (await rpc(url, "eth_getTransactionReceipt", [fund])) ?? undefined, 200);
    await send(op3Key, encodeFunctionData({
      abi: STAKING_ABI, functionName: "editValidator",
      args: [{ name: "", identity: "", website: "", securityContact: "", details: "" }, UNCHANGED, UNCHANGED, UNCHANGED, "0x", "0x", "0x", 1],
    }));
    await waitFor("node3's validator elected again", 4 * EPOCH_BLOCKS * 1000, async () => (await elected()).includes(lower(op3.address))).catch(async (e) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify(await rpc(url, "hmy_getValidatorInformation", [op3.address]))} epoch ${await epochNow()}\n${d.log(node3, 30)}`);
    });

    // The undelegation: locked until its 7th epoch end, then paid.
    await waitFor("the undelegation paid out", 12 * EPOCH_BLOCKS * 1000, async () => {
      const now = await balance(DELEGATOR.address);
      if (now === held) {
        expect(await epochNow()).toBeLessThan(undelEpoch + 8);
        return false;
      }
      expect(now - held).toBe(200n * TOKEN);
      expect(await epochNow()).toBeGreaterThanOrEqual(undelEpoch + 7);
      return true;
    });
    expect((await delegation()).Undelegations).toEqual([]);
    expect(await epochNow()).toBeGreaterThanOrEqual(3);

    // Supply: stop everything, serve the RPC node's chain alone (nothing moves), then read its store.
    for (const p of procs) p.kill("SIGTERM");
    await d.stop();
    const lone = d.restartNode("node4");
    procs.push(lone.proc);
    const served = await waitFor("the RPC node alone", 30_000, async () => (await rpc(url, "hmy_getTotalSupply").catch(() => undefined)) ?? undefined);
    const rpcSupply = parseTokens(String(served));
    lone.proc.kill("SIGTERM");
    await lone.exited;
    const genesis = parseGenesisJSON(JSON.parse(readFileSync(join(d.dir, "genesis.json"), "utf8")));
    const kv = openDataDir(join(d.dir, "node4", "chain"));
    const chain = await openChain(kv, { genesis, shardId: 0, logger: createLogger("test") });
    try {
      const world = new WorldState(chain.state, chain.head.stateRoot);
      const s = new StakingState(world);
      const holders = new Set<string>(genesis.alloc.map(([a]) => bytesToHex(a)));
      let held = 0n;
      for (const v of s.validatorAddresses()) {
        holders.add(bytesToHex(v));
        held += s.getValidator(v)?.rewardPool ?? 0n;
        for (const x of s.delegationsOf(v)) {
          holders.add(bytesToHex(x.delegator));
          held += x.amount + x.reward + x.undelegations.reduce((n, u) => n + u.amount, 0n);
        }
      }
      holders.add(bytesToHex(STAKING_ADDRESS_BYTES));
      for (const h of holders) held += world.getAccount(hexToBytes(h))?.balance ?? 0n;
      const r = chain.getBurntFees(chain.head.hash)!;
      const books = chain.genesisSupply + r.cumulativeIssued - r.cumulativeBurnt - (r.cumulativeBurntSlashes ?? 0n);
      expect(r.cumulativeIssued).toBeGreaterThan(0n);
      expect(held).toBe(books);
      expect(rpcSupply).toBe(books);
    } finally {
      await chain.close();
      kv.close();
    }
  }, 600_000);
});

/** "1234.5" tokens (Harmony's supply answer) in wei, exactly. */
function parseTokens(s: string): bigint {
  const [whole, frac = ""] = s.split(".");
  return BigInt(whole!) * TOKEN + BigInt((frac + "0".repeat(18)).slice(0, 18));
}
