// Issue 10, `harmony tx transfer` against `harmony node --dev` (one shard, chain id 31337): a same-shard
// transfer reaches a fresh address with the exact amount and prints its receipt; --no-wait prints the hash
// only; a cross-shard transfer on a one-shard chain is refused with the contract's reason and sends
// nothing; an RPC of another shard than --from-shard is a usage error (exit 2).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { DEV_ACCOUNTS, TOKEN } from "../../src/core/index.ts";
import { generatePrivateKey, privateKeyToAddress, toChecksumAddress } from "../../src/crypto/index.ts";
import { rpcCall, waitFor } from "./_devnet.ts";
import { type DevNode, harmonyBinary, removeDir, startDevNode, tempDir } from "./_node.ts";

let node: DevNode;
let dir: string;
const env = { ...process.env, HARMONY_PASSPHRASE: "pw" };
const SENDER = DEV_ACCOUNTS[7] as (typeof DEV_ACCOUNTS)[number];

function run(args: string[]) {
  const r = spawnSync(harmonyBinary(), args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const rpc = (method: string, params: unknown[] = []) => rpcCall(node.url, method, params, 10_000);
const balance = async (a: string) => BigInt((await rpc("eth_getBalance", [a, "latest"])) as string);
const nonce = async (a: string) => BigInt((await rpc("eth_getTransactionCount", [a, "latest"])) as string);
const transfer = (args: string[]) => run(["tx", "transfer", "--rpc", node.url, "--from", SENDER.address, "--data-dir", "ks", ...args]);

beforeAll(async () => {
  dir = tempDir("tx-cli-");
  node = await startDevNode({ dataDir: `${dir}/node` });
  expect(run(["keys", "import", "--type", "account", SENDER.privateKey, "--data-dir", "ks", "--light-kdf"]).code).toBe(0);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  removeDir(dir);
});

describe("harmony tx transfer", () => {
  test("same shard: the exact amount reaches a fresh address, the receipt is printed", async () => {
    const fresh = toChecksumAddress(privateKeyToAddress(generatePrivateKey()));
    const r = transfer(["--from-shard", "0", "--to-shard", "0", "--to", fresh, "--amount", "1.25", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const sent = JSON.parse(r.out) as { hash: string; status: string; blockNumber: number; fromShard: number; toShard: number; amount: string };
    expect(sent.status).toBe("success");
    expect(sent.amount).toBe(((5n * TOKEN) / 4n).toString());
    expect(await balance(fresh)).toBe((5n * TOKEN) / 4n);
    const receipt = (await rpc("eth_getTransactionReceipt", [sent.hash])) as { to: string; blockNumber: string };
    expect(receipt.to.toLowerCase()).toBe(fresh.toLowerCase());
    expect(Number(receipt.blockNumber)).toBe(sent.blockNumber);

    const plain = transfer(["--from-shard", "0", "--to-shard", "0", "--to", fresh, "--amount", "0.5"]);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/^transfer 0x[0-9a-f]{64} success in block \d+\n$/);
    expect(await balance(fresh)).toBe((7n * TOKEN) / 4n);
  }, 120_000);

  test("--no-wait prints the hash only; the transfer still lands", async () => {
    const fresh = toChecksumAddress(privateKeyToAddress(generatePrivateKey()));
    const r = transfer(["--from-shard", "0", "--to-shard", "0", "--to", fresh, "--amount", "2", "--no-wait"]);
    expect(r.code).toBe(0);
    const m = /^transfer (0x[0-9a-f]{64})\n$/.exec(r.out);
    expect(m).not.toBeNull();
    await waitFor("the receipt", 30_000, () => rpc("eth_getTransactionReceipt", [m?.[1]]).then((x) => x !== null));
    expect(await balance(fresh)).toBe(2n * TOKEN);
  }, 120_000);

  test("cross-shard on a one-shard chain: refused with the contract's reason, nothing sent", async () => {
    const before = await nonce(SENDER.address);
    const r = transfer(["--from-shard", "0", "--to-shard", "1", "--to", DEV_ACCOUNTS[8]?.address ?? "", "--amount", "1"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("cx: unknown shard 1");
    expect(await nonce(SENDER.address)).toBe(before);
  }, 120_000);

  test("an RPC of another shard than --from-shard is a usage error", () => {
    const r = transfer(["--from-shard", "1", "--to-shard", "0", "--to", DEV_ACCOUNTS[8]?.address ?? "", "--amount", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("serves chain id 31337, which is shard 0 of network 31337, not --from-shard 1");
  });
});
