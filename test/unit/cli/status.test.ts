import { describe, expect, test } from "bun:test";
import { type RpcCaller, gatherStatus } from "../../../src/cli/_statusFacts.ts";
import { formatStatus } from "../../../src/cli/_statusFormat.ts";

const K = ["aa".repeat(48), "bb".repeat(48), "cc".repeat(48), "dd".repeat(48)];
const NOW = 1_700_000_100_000;

// Blocks 0..5 one second apart ending 2 s before NOW; header h's bitmap names who signed h-1.
// Slot 3 (dd) signs only block 4 (bitmap of 5); slot 1 (bb, ours) misses block 4.
const bitmaps = ["0x", "0x07", "0x07", "0x07", "0x07", "0x0d"];
function block(n: number) {
  return { number: `0x${n.toString(16)}`, hash: `0x${"12".repeat(32)}`, timestamp: `0x${(1_700_000_093 + n).toString(16)}`, epoch: "0x1", viewID: `0x${n.toString(16)}`, lastCommitBitmap: bitmaps[n] };
}

function canned(extra: Record<string, unknown> = {}): { call: RpcCaller; asked: string[] } {
  const asked: string[] = [];
  const answers: Record<string, (p: unknown[]) => unknown> = {
    hmy_getNodeMetadata: () => ({ version: "harmony-ts/v9", networkId: 2, shardId: 0, chainId: 1666700000, blsKeys: [`0x${K[1]}`], isLeader: false, viewId: 5, epoch: 1, peerCount: 3, consensus: { mode: "normal" } }),
    hmy_getValidatorKeys: (p) => (p[0] === 1 ? K.map((k) => `0x${k}`) : []),
    hmy_getLeader: () => ({ slot: 0, blsKey: `0x${K[0]}`, viewId: 5 }),
    eth_syncing: () => false,
    eth_getBlockByNumber: (p) => block(p[0] === "latest" ? 5 : Number.parseInt(String(p[0]), 16)),
    hmy_getStakingNetworkInfo: () => ({ "total-supply": "100.0", "total-staking": 40, "median-raw-stake": "10.0", "epoch-last-block": 63 }),
    ...(extra as Record<string, (p: unknown[]) => unknown>),
  };
  const call: RpcCaller = async (method, params = []) => {
    asked.push(method);
    const a = answers[method];
    if (!a) throw new Error(`the method ${method} does not exist`);
    return a(params);
  };
  return { call, asked };
}

describe("harmony status", () => {
  test("genesis (fixed timestamp 0) is no interval's start: finality at height 2 is block 1 → 2", async () => {
    const low = (n: number) => ({ ...block(n), timestamp: n === 0 ? "0x0" : block(n).timestamp });
    const f = await gatherStatus(canned({ eth_getBlockByNumber: (p: unknown[]) => low(p[0] === "latest" ? 2 : Number.parseInt(String(p[0]), 16)) }).call, "http://x/", 5, NOW);
    expect(f.head?.number).toBe(2);
    expect(f.finalitySeconds).toBe(1);
  });

  test("counts each committee key's signatures from the bitmaps and marks this node's key", async () => {
    const f = await gatherStatus(canned().call, "http://x/", 5, NOW);
    const by = new Map(f.committee?.map((s) => [s.key, s]));
    expect(by.get(K[0] as string)).toMatchObject({ signed: 5, missed: 0, mine: false, signedLast: true });
    expect(by.get(K[1] as string)).toMatchObject({ signed: 4, missed: 1, mine: true, signedLast: false });
    expect(by.get(K[3] as string)).toMatchObject({ signed: 1, missed: 4, signedLast: true });
    expect(f.head).toMatchObject({ number: 5, ageSeconds: 2 });
    expect(f.finalitySeconds).toBe(1);
    expect(f.chainId).toBe(1666700000);
    expect(f.txpool).toBeUndefined();
  });

  test("the screen shows identity, head, this node's key, the committee and staking", async () => {
    const s = formatStatus(await gatherStatus(canned().call, "http://x/", 5, NOW));
    expect(s).toContain("network 2  shard 0  chain id 1666700000");
    expect(s).toContain("head       #5  2.0s ago");
    expect(s).toContain("finality   1.00s per block");
    expect(s).toMatch(/keys {7}1 on this node\n {2}0xbbbbbbbb…bbbb {2}signed 4\/5 \(80%\) {2}last: MISSED {2}\[this node\]/);
    expect(s).toContain("committee  4 keys  75% of signatures over the last 5 blocks");
    expect(s).toMatch(/0xaaaaaaaa…aaaa .*\[leader\]/);
    expect(s).toContain("peers      3");
    expect(s).toContain("syncing    no");
    expect(s).toContain("staking    supply 100.0  staked 40  median stake 10.0  epoch ends #63");
    expect(s).not.toContain("txpool");
    expect(s.split("\n").length).toBeLessThanOrEqual(24);
  });

  test("txpool, sync progress and shards appear when the node has them", async () => {
    const { call } = canned({
      txpool_status: () => ({ pending: "0x2", queued: "0x1" }),
      eth_syncing: () => ({ currentBlock: "0x5", highestBlock: "0x9" }),
      hmy_getShardingStructure: () => [{ shardID: 0, http: "http://a/" }, { shardID: 1, http: "http://b/" }],
    });
    const s = formatStatus(await gatherStatus(call, "http://x/", 5, NOW));
    expect(s).toContain("txpool     2 pending  1 queued");
    expect(s).toContain("syncing    5/9");
    expect(s).toContain("shards     0 http://a/  |  1 http://b/");
  });

  test("sync rate and ETA from eth_syncing; view changes, commit delay, crosslinks and elected validators from hmy_getNodeStatus", async () => {
    const { call, asked } = canned({
      eth_syncing: () => ({ currentBlock: "0x5", highestBlock: "0x9", blocksPerSecond: 2.5, etaSeconds: 1.6 }),
      hmy_getNodeStatus: () => ({
        consensus: { viewChangesTotal: 3 }, finality: { meanCommitDelaySeconds: 0.42 }, crossLinks: [{ shardId: 1, blockNumber: 47 }], staking: { validatorsElected: 7 },
      }),
    });
    const s = formatStatus(await gatherStatus(call, "http://x/", 5, NOW));
    expect(asked).toContain("hmy_getNodeStatus");
    expect(s).toContain("syncing    5/9  2.5 blk/s  ETA 2s");
    expect(s).toMatch(/^consensus +epoch 1 +view 5 +mode normal .* view changes 3$/m);
    expect(s).toContain("finality   1.00s per block (last 5 blocks)\ncommitted  0.42s after the header time");
    expect(s).toContain("crosslinks shard 1 #47");
    expect(s).toContain("epoch ends #63  validators elected 7");
    // Without the method those facts are left out, not guessed.
    const plain = formatStatus(await gatherStatus(canned().call, "http://x/", 5, NOW));
    expect(plain).not.toMatch(/view changes|committed|crosslinks|validators elected/);
  });

  test("a node without keys or metadata still gets a screen; a node without a head is an error", async () => {
    const { call } = canned({ hmy_getNodeMetadata: undefined, hmy_getValidatorKeys: () => [] });
    const s = formatStatus(await gatherStatus(call, "http://x/", 3, NOW));
    expect(s).toContain("keys       none (not a validator)");
    expect(s).not.toContain("committee");
    const dead = canned({ eth_getBlockByNumber: () => null });
    await expect(gatherStatus(dead.call, "http://x/", 3, NOW)).rejects.toThrow("no head block from http://x/");
  });
});
