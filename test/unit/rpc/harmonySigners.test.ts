// Harmony's `withSigners` (hmyv2_getBlockByNumber(n, { withSigners: true }) and the other BlockArgs
// forms) on a real beacon chain whose blocks carry commit bitmaps: the signers of block n are the set
// slots of block n+1's lastCommitBitmap (or the head's stored commit proof) mapped through the
// committee of n's epoch to each slot's validator, as one1 addresses in slot order; slots of plain
// genesis keys are not named; no known proof → no `signers` field (Harmony's omitempty); and
// hmy_/hmyv2_getBlockSigners answering the same list.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getRuntimeAdapter } from "../../../src/adapter/index.ts";
import type { Chain } from "../../../src/chain/index.ts";
import { bitmapFromSlots } from "../../../src/consensus/index.ts";
import { ChainConfig, DEV_CHAIN_CONFIG, TOKEN, createDevGenesis } from "../../../src/core/index.ts";
import { addressToBech32 } from "../../../src/crypto/bech32.ts";
import { createBLS } from "../../../src/crypto/index.ts";
import { createRpcBackend } from "../../../src/node/index.ts";
import { createRPCServer, type RPCServer } from "../../../src/rpc/index.ts";
import { DEC_ONE } from "../../../src/staking/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { createTxPool } from "../../../src/txpool/index.ts";
import { GWEI, devChain } from "../chain/_helpers.ts";
import { createMemoryLogger } from "./_harness.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), epochBlocks: 8, activationEpochs: { ...DEV_CHAIN_CONFIG.activationEpochs, staking: 0n } });
const addr = (n: number) => new Uint8Array(20).fill(0x70 + n);
const one = (n: number) => addressToBech32(addr(n));

let chain: Chain;
let server: RPCServer;
const rpc = async (method: string, params: unknown[]) => {
  const res = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return (await res.json()) as { result?: any; error?: { code: number; message: string } };
};
/** The next block, its header carrying `slots` of the parent's committee as the parent's signers. */
async function next(slots: number[]): Promise<void> {
  const size = chain.committeeSpecAt(chain.head.epoch)?.keys.length ?? 0;
  await chain.produceBlock([], { timestamp: chain.head.timestamp + 1n, lastCommitBitmap: bitmapFromSlots(size, slots) });
}

beforeAll(async () => {
  const bls = await createBLS();
  const keys = [1, 2, 3, 4].map((i) => bls.secretToPublic(bls.keygen(new Uint8Array(32).fill(i))));
  const k = (i: number) => keys[i] as Uint8Array;
  const v = (n: number, blsKeys: Uint8Array[]) => ({
    address: addr(n), blsKeys, stake: 1000n * TOKEN, commissionRate: DEC_ONE / 10n, maxCommissionRate: DEC_ONE / 2n, maxChangeRate: DEC_ONE / 20n,
    minSelfDelegation: 100n * TOKEN, maxTotalDelegation: 10_000n * TOKEN, name: `v${n}`,
  });
  // Genesis committee: slots 0, 1 = V1's keys, slot 2 = V2's key, slot 3 = a plain key (no validator).
  const genesis = { ...createDevGenesis({ config, committees: [[k(0), k(1), k(2), k(3)]] }), validators: [v(1, [k(0), k(1)]), v(2, [k(2)])] };
  chain = await devChain(openStore(":memory:"), genesis);
  await next([]); // block 1 (genesis has no signers)
  await next([0, 2, 3]); // block 2 names block 1's signers
  await next([1]); // block 3 names block 2's
  const pool = createTxPool({ chainId: 31337n, minGasPrice: GWEI, blockGasLimit: 30_000_000n }, { state: { getNonce: () => 0n, getBalance: () => 0n, nextBaseFee: () => 0n } });
  const backend = createRpcBackend(chain, pool, { peerCount: () => 0, syncStatus: () => ({ syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n }) });
  server = await createRPCServer({ host: "127.0.0.1", port: 0 }, { backend, adapter: await getRuntimeAdapter(), logger: createMemoryLogger() });
});
afterAll(async () => {
  await server.stop();
});

describe("withSigners", () => {
  test("block n's signers are the next header's bitmap slots through the epoch's committee, as one1 addresses", async () => {
    const b1 = (await rpc("hmyv2_getBlockByNumber", [1, { withSigners: true }])).result;
    expect(b1.signers).toEqual([one(1), one(2)]); // slot 3 is a plain genesis key
    expect(Object.keys(b1).at(-1)).toBe("signers");
    expect((await rpc("hmyv2_getBlockByNumber", [2, { withSigners: true, fullTx: true }])).result.signers).toEqual([one(1)]);
    const hash = (await rpc("hmyv2_getBlockByNumber", [1, {}])).result.hash;
    expect((await rpc("hmyv2_getBlockByHash", [hash, { withSigners: true }])).result.signers).toEqual([one(1), one(2)]);
    expect((await rpc("hmy_getBlockByNumberNew", ["0x1", { withSigners: true }])).result.signers).toEqual([one(1), one(2)]);
    expect((await rpc("hmy_getBlockByHashNew", [hash, { withSigners: true }])).result.signers).toEqual([one(1), one(2)]);
    const blocks = (await rpc("hmyv2_getBlocks", [1, 2, { withSigners: true }])).result;
    expect(blocks.map((b: { signers: string[] }) => b.signers)).toEqual([[one(1), one(2)], [one(1)]]);
  });

  test("getBlockSigners: the same list in both namespaces, [] where none is known, Harmony's error past the head", async () => {
    expect((await rpc("hmyv2_getBlockSigners", [1])).result).toEqual([one(1), one(2)]);
    expect((await rpc("hmy_getBlockSigners", ["0x2"])).result).toEqual([one(1)]);
    expect((await rpc("hmy_getBlockSigners", [0])).result).toEqual([]);
    expect((await rpc("hmyv2_getBlockSigners", [99])).error?.message).toBe("requested block number greater than current block number");
    expect((await rpc("hmyv2_getBlockSigners", ["x"])).error?.code).toBe(-32602);
    expect((await rpc("hmyv2_getBlockSigners", [1, 2])).error?.code).toBe(-32602);
  });

  test("without withSigners, for genesis, and for a head without a stored proof: no signers field", async () => {
    expect((await rpc("hmyv2_getBlockByNumber", [1, { withSigners: false }])).result).not.toHaveProperty("signers");
    expect((await rpc("hmyv2_getBlockByNumber", [0, { withSigners: true }])).result).not.toHaveProperty("signers");
    expect((await rpc("hmyv2_getBlockByNumber", [3, { withSigners: true }])).result).not.toHaveProperty("signers");
  });

  test("the head's stored commit proof names its signers", async () => {
    chain.saveCommitProof(chain.head.hash, { sig: new Uint8Array(96), bitmap: bitmapFromSlots(4, [1, 2]) });
    expect((await rpc("hmyv2_getBlockByNumber", ["latest", { withSigners: true }])).result.signers).toEqual([one(1), one(2)]);
  });

  test("a later epoch maps its bitmaps through that epoch's committee", async () => {
    while (chain.head.epoch === 0n) await next([0, 1, 2, 3]);
    const committee = chain.committeeSpecAt(chain.head.epoch);
    expect(committee).toBeDefined();
    const n = chain.head.number;
    await next([0]);
    const want = addressToBech32(committee?.addresses[0] as Uint8Array);
    // The election's shuffle put V2 at slot 0, where the genesis committee has V1: the epoch matters.
    expect(want).toBe(one(2));
    expect((await rpc("hmyv2_getBlockByNumber", [Number(n), { withSigners: true }])).result.signers).toEqual([want]);
    // Elected slots all have validators: V1's two keys and V2's one (the plain key bids nothing).
    expect(committee?.addresses.map((x) => addressToBech32(x)).sort()).toEqual([one(1), one(1), one(2)].sort());
  });
});
