// `harmony keys pop` and `harmony staking …` against `harmony node --dev` (DESIGN §4 CLI, §Staking):
// a validator is created from account and BLS keystores, another account delegates and undelegates,
// and a refused call stops before sending, with the contract's reason on stderr and a non-zero exit;
// `harmony staking info` then reads the network's and the validator's figures back, exact in --json.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { DEV_ACCOUNTS, TOKEN } from "../../src/core/index.ts";
import { addressToBech32, createBLS } from "../../src/crypto/index.ts";
import { type DevNode, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

let node: DevNode;
let dir: string;
const env = { ...process.env, HARMONY_PASSPHRASE: "pw" };
const OP = DEV_ACCOUNTS[5] as (typeof DEV_ACCOUNTS)[number];
const DELEGATOR = DEV_ACCOUNTS[6] as (typeof DEV_ACCOUNTS)[number];

function run(args: string[]) {
  const r = spawnSync(harmonyBinary(), args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function rpcText(method: string, params: unknown[] = []): Promise<string> {
  const r = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return r.text();
}

async function balance(addr: string): Promise<bigint> {
  const r = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [addr, "latest"] }) });
  return BigInt(((await r.json()) as { result: string }).result);
}

beforeAll(async () => {
  dir = tempDir("staking-cli-");
  // 0.5 s blocks: the first election (block 31) comes in ~16 s.
  node = await startDevNode({ dataDir: `${dir}/node`, extraArgs: ["--block-time", "0.5"] });
  for (const a of [OP, DELEGATOR]) expect(run(["keys", "import", "--type", "account", a.privateKey, "--data-dir", "ks", "--light-kdf"]).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("staking CLI", () => {
  test("keys pop prints a proof of possession that verifies", async () => {
    const made = run(["keys", "new", "--type", "bls", "--data-dir", "ks", "--light-kdf", "--json"]);
    expect(made.code).toBe(0);
    const { id } = JSON.parse(made.out) as { id: string };
    const pop = run(["keys", "pop", id, "--data-dir", "ks", "--json"]);
    expect(pop.code).toBe(0);
    const { publicKey, proof } = JSON.parse(pop.out) as { publicKey: string; proof: string };
    expect(publicKey).toBe(`0x${id}`);
    const bls = await createBLS();
    expect(bls.popVerify(Buffer.from(publicKey.slice(2), "hex"), Buffer.from(proof.slice(2), "hex"))).toBe(true);
    expect(run(["keys", "pop", "0x" + "ab".repeat(48), "--data-dir", "ks"]).err).toContain("no BLS key");
  });

  test("create-validator, delegate, undelegate; a refused call exits non-zero with the reason and sends nothing", async () => {
    const made = run(["keys", "new", "--type", "bls", "--data-dir", "ks", "--light-kdf", "--json"]);
    const { id } = JSON.parse(made.out) as { id: string };
    const before = await balance(OP.address);
    const common = ["--rpc", node.url, "--data-dir", "ks", "--json"];
    const create = run(["staking", "create-validator", ...common, "--from", OP.address, "--amount", "150", "--bls-key", id, "--name", "cli validator",
      "--rate", "0.1", "--max-rate", "0.5", "--max-change-rate", "0.05", "--min-self-delegation", "100", "--max-total-delegation", "1000"]);
    expect(create.err).toBe("");
    const sent = JSON.parse(create.out) as { hash: string; status: string; gasUsed: string };
    expect(sent.status).toBe("success");
    const fee = before - 150n * TOKEN - (await balance(OP.address));
    expect(fee).toBeGreaterThan(5_300_000n * 10n ** 9n - 1n); // createValidator gas at ≥ 1 gwei

    const again = run(["staking", "create-validator", ...common, "--from", OP.address, "--amount", "150", "--bls-key", id,
      "--rate", "0.1", "--max-rate", "0.5", "--max-change-rate", "0.05", "--min-self-delegation", "100", "--max-total-delegation", "1000"]);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain("staking: validator");
    expect(again.err).toContain("already exists");

    const d0 = await balance(DELEGATOR.address);
    const del = run(["staking", "delegate", ...common, "--from", DELEGATOR.address, "--validator", OP.address, "--amount", "20.5"]);
    expect(JSON.parse(del.out).status).toBe("success");
    const d1 = await balance(DELEGATOR.address);
    expect(d0 - d1).toBeGreaterThan(20n * TOKEN + TOKEN / 2n);
    const over = run(["staking", "undelegate", ...common, "--from", DELEGATOR.address, "--validator", OP.address, "--amount", "21"]);
    expect(over.code).not.toBe(0);
    expect(over.err).toContain("is more than the");
    expect(await balance(DELEGATOR.address)).toBe(d1); // refused at estimation: nothing sent, no fee
    const und = run(["staking", "undelegate", ...common, "--from", DELEGATOR.address, "--validator", OP.address, "--amount", "20.5"]);
    expect(JSON.parse(und.out).status).toBe("success");
    const none = run(["staking", "collect-rewards", ...common, "--from", DELEGATOR.address]);
    expect(none.code).not.toBe(0);
    expect(none.err).toContain("no rewards to collect");
    expect(run(["staking", "delegate", ...common, "--from", DELEGATOR.address, "--validator", "nope", "--amount", "1"]).err).toContain("--validator");

    // Harmony's staking RPC shapes, exact amounts as JSON numbers.
    expect(JSON.parse(await rpcText("hmy_getAllValidatorAddresses")).result).toEqual([OP.address]);
    const infoText = await rpcText("hmy_getValidatorInformation", [OP.address]);
    expect(infoText).toContain('"total-delegation":150000000000000000000');
    const info = JSON.parse(infoText).result;
    expect(info.validator).toMatchObject({ name: "cli validator", rate: "0.100000000000000000", "max-rate": "0.500000000000000000", address: OP.address, "bls-public-keys": [`0x${id}`] });
    expect(info).toMatchObject({ "currently-in-committee": false, "epos-status": "eligible to be elected next epoch", "active-status": "active", metrics: null });
    const dels = await rpcText("hmy_getDelegationsByDelegator", [DELEGATOR.address]);
    expect(dels).toContain('"amount":0,"reward":0,"Undelegations":[{"Amount":20500000000000000000,"Epoch":0}]');
    expect(JSON.parse(await rpcText("hmy_getDelegationsByValidator", [OP.address])).result.map((d: { delegator_address: string }) => d.delegator_address)).toEqual([OP.address, DELEGATOR.address]);
    expect(JSON.parse(await rpcText("hmy_getValidatorInformation", ["0x" + "00".repeat(20)])).error.message).toContain("validator not found");
    expect(JSON.parse(await rpcText("hmy_getValidatorInformation", ["nope"])).error.code).toBe(-32602);
    expect(JSON.parse(await rpcText("hmy_getEpoch")).result).toBe("0x0");
    const snap = JSON.parse(await rpcText("hmy_getMedianRawStakeSnapshot")).result;
    expect(snap["epos-slot-winners"][0]["earning-account"]).toBe(OP.address);
    expect(JSON.parse(await rpcText("hmy_getTotalSupply")).result).toMatch(/^\d+\.\d{18}$/);
  }, 120_000);

  test("staking info: network figures and one validator's, text and exact JSON; bad arguments are usage errors", async () => {
    const net = run(["staking", "info", "--rpc", node.url]);
    expect(net.err).toBe("");
    expect(net.code).toBe(0);
    expect(net.out).toContain("total staking       150 tokens\n");
    expect(net.out).toMatch(/^epoch {15}\d+ \(last block \d+\)$/m);
    // The election at block 31 may or may not have happened yet: the count matches the list either way.
    const elected = /^elected validators {2}(\d+)$/m.exec(net.out);
    expect(elected).not.toBeNull();
    expect(net.out.split("\n").filter((l) => /^ {2}0x[0-9a-fA-F]{40}$/.test(l))).toHaveLength(Number(elected?.[1]));
    const netJSON = run(["staking", "info", "--rpc", node.url, "--json"]);
    expect(netJSON.out).toContain('"total-staking":150000000000000000000');
    expect(JSON.parse(netJSON.out)).toMatchObject({ "median-raw-stake": `${150n * TOKEN}.000000000000000000`, "elected-validators": expect.any(Array) });

    const v = run(["staking", "info", "--rpc", node.url, "--validator", OP.address]);
    expect(v.code).toBe(0);
    expect(v.out).toContain(`validator           ${OP.address} "cli validator"\n`);
    expect(v.out).toMatch(/^status {14}active; (eligible to be elected next epoch|currently elected)$/m);
    expect(v.out).toContain("total delegation    150 tokens (self 150 tokens, 2 delegations)\n");
    expect(v.out).toContain("commission          10% (max 50%, change ≤ 5% per epoch)\n");
    // one1… input, exact amounts out: the same record the RPC serves.
    const vJSON = run(["staking", "info", "--rpc", node.url, "--validator", addressToBech32(OP.address), "--json"]);
    expect(vJSON.code).toBe(0);
    expect(vJSON.out).toContain('"total-delegation":150000000000000000000');
    expect(JSON.parse(vJSON.out).validator.address).toBe(OP.address);

    const notFound = run(["staking", "info", "--rpc", node.url, "--validator", DELEGATOR.address]);
    expect(notFound.code).toBe(1);
    expect(notFound.err).toContain("validator not found");
    for (const [args, what] of [[["--validator", "nope"], "--validator"], [["--validator", "0x12"], "--validator"]] as const) {
      const bad = run(["staking", "info", "--rpc", node.url, ...args]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(what);
    }
    const badRpc = run(["staking", "info", "--rpc", "not a url"]);
    expect([badRpc.code, badRpc.err]).toEqual([2, 'error: --rpc must be an http(s) URL, got "not a url"\n']);
    expect(run(["staking", "info"]).code).toBe(2); // --rpc is required

    // The committee methods of issue 9 on a node without elections: shapes, and a future epoch refused.
    const sc = JSON.parse(await rpcText("hmy_getSuperCommittees")).result;
    expect(Object.keys(sc.current)).toEqual(["quorum-deciders", "external-slot-count", "epos-median-stake", "epoch"]);
    expect(sc.current["quorum-deciders"]["shard-0"]).toMatchObject({ policy: expect.any(String), count: expect.any(Number), "committee-members": expect.any(Array) });
    expect(JSON.parse(await rpcText("hmy_getValidators", [0])).result).toMatchObject({ shardID: 0, validators: expect.any(Array) });
    expect(JSON.parse(await rpcText("hmy_getValidators", [1_000_000])).error.code).toBe(-32602);
  }, 120_000);

  test("after the first election (block 31): the validator's slot in hmy_getSuperCommittees, hmy_getValidators and staking info", async () => {
    const until = Date.now() + 90_000;
    while (BigInt(JSON.parse(await rpcText("eth_blockNumber")).result) < 32n) {
      if (Date.now() > until) throw new Error(`no block 32 within the wait\n${node.log()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const sc = JSON.parse(await rpcText("hmy_getSuperCommittees")).result;
    expect([sc.previous.epoch, sc.current.epoch]).toEqual([0, 1]);
    const shard0 = sc.current["quorum-deciders"]["shard-0"];
    expect(shard0).toMatchObject({ policy: "SuperMajorityStake", count: 1, "external-validator-slot-count": 1, "staked-voting-power": "1.000000000000000000" });
    expect(shard0["committee-members"]).toEqual([{
      "is-harmony-slot": false, "earning-account": OP.address, "bls-public-key": expect.stringMatching(/^0x[0-9a-f]{96}$/),
      "voting-power-unnormalized": "1.000000000000000000", "voting-power-%": "1.000000000000000000",
      "effective-stake": `${150n * TOKEN}.000000000000000000`, "raw-stake": `${150n * TOKEN}.000000000000000000`,
    }]);
    expect(sc.current["epos-median-stake"]).toBe(`${150n * TOKEN}.000000000000000000`);
    const vs = await rpcText("hmy_getValidators", [1]);
    expect(vs).toContain(`{"shardID":0,"validators":[{"address":"${OP.address}","balance":${await balance(OP.address)}}]}`);
    const net = run(["staking", "info", "--rpc", node.url]);
    expect(net.out).toContain(`elected validators  1\n  ${OP.address}\n`);
    expect(run(["staking", "info", "--rpc", node.url, "--validator", OP.address]).out).toContain("status              active; currently elected\n");
  }, 120_000);
});
