// Issue 10 crosslink RPC on a beacon node: hmy_getLastCrossLinks and hmy_getCrossLinkByBlockNum in
// Harmony's JSON shape (core/types CrossLink.MarshalJSON: hash, block-number, view-id, signature,
// signature-bitmap, shard-id, epoch-number), read from what a real beacon chain stored; bad arguments
// are -32602, a node of another shard answers -32000.
import { beforeAll, describe, expect, test } from "bun:test";
import { Chain } from "../../../src/chain/index.ts";
import { ChainConfig, DEV_CHAIN_CONFIG, commitPayload, createDevGenesis } from "../../../src/core/index.ts";
import { type BLS, createBLS } from "../../../src/crypto/index.ts";
import { createCrossLinkMethods, crossLinkSourceOf } from "../../../src/node/crossLinkMethods.ts";
import type { MethodContext } from "../../../src/rpc/index.ts";
import type { CrossLink } from "../../../src/shard/index.ts";
import { openStore } from "../../../src/store/index.ts";
import { bytesToHex } from "../../../src/util/bytes.ts";

const config = new ChainConfig({ ...DEV_CHAIN_CONFIG.toData(), shardCount: 2 });
let bls: BLS;
let sks: Uint8Array[];
let spec: ReturnType<typeof createDevGenesis>;

beforeAll(async () => {
  bls = await createBLS();
  sks = [1, 2, 3].map((i) => bls.keygen(new Uint8Array(32).fill(i)));
  const pks = sks.map((k) => bls.secretToPublic(k));
  spec = createDevGenesis({ config, committees: [[pks[0] as Uint8Array], pks.slice(1)] });
});

/** Shard 1 block `n` signed by both keys of its committee. */
function link(n: bigint): CrossLink {
  const blockHash = new Uint8Array(32).fill(Number(n));
  const msg = commitPayload(n, blockHash, n + 3n);
  const signature = bls.aggregateSignatures(sks.slice(1).map((k) => bls.sign(k, msg)));
  return { shardId: 1, blockNumber: n, viewId: n + 3n, epoch: 0n, blockHash, signature, bitmap: Uint8Array.of(3) };
}

const wire = (v: unknown) => JSON.parse(JSON.stringify(v));
const call = (chain: Chain, method: string, params: unknown[]) => wire(createCrossLinkMethods(crossLinkSourceOf(chain))[method]?.(params, {} as MethodContext));

describe("crosslink RPC", () => {
  test("last crosslinks and a crosslink by block number, in Harmony's shape", async () => {
    const chain = await Chain.open(openStore(":memory:"), { genesis: spec, senderPool: null });
    expect(call(chain, "hmy_getLastCrossLinks", [])).toEqual([]);
    expect(call(chain, "hmy_getCrossLinkByBlockNum", [1, 1])).toBeNull();
    await chain.produceBlock([], { timestamp: chain.head.timestamp + 1n, pendingCrossLinks: [link(2n), link(1n)] });
    const two = link(2n);
    const json = {
      hash: bytesToHex(two.blockHash),
      "block-number": 2,
      "view-id": 5,
      signature: bytesToHex(two.signature).slice(2),
      "signature-bitmap": "03",
      "shard-id": 1,
      "epoch-number": 0,
    };
    expect(call(chain, "hmy_getLastCrossLinks", [])).toEqual([json]);
    expect(call(chain, "hmy_getCrossLinkByBlockNum", [1, "0x2"])).toEqual(json);
    expect(call(chain, "hmy_getCrossLinkByBlockNum", [1, 1])).toMatchObject({ "block-number": 1, hash: bytesToHex(link(1n).blockHash) });
    expect(call(chain, "hmy_getCrossLinkByBlockNum", ["1", "3"])).toBeNull();
  });

  test("bad arguments are -32602; a node off the beacon shard answers -32000", async () => {
    const chain = await Chain.open(openStore(":memory:"), { genesis: spec, senderPool: null });
    for (const params of [[0, 1], [2, 1], ["x", 1], [1, -1], [1.5, 1], [1, "0x"], [1, "18446744073709551616"], [1]]) {
      expect(() => call(chain, "hmy_getCrossLinkByBlockNum", params)).toThrow(expect.objectContaining({ rpcCode: -32602 }));
    }
    const shard1 = await Chain.open(openStore(":memory:"), { genesis: spec, shardId: 1, senderPool: null, beacon: chain.beaconView() });
    expect(() => call(shard1, "hmy_getLastCrossLinks", [])).toThrow(expect.objectContaining({ rpcCode: -32000 }));
    expect(() => call(shard1, "hmy_getCrossLinkByBlockNum", [1, 1])).toThrow(/beacon-shard/);
  });
});
