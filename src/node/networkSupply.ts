/**
 * Supply across shards (DESIGN §Staking, issue 10): every shard's chain keeps running totals of what
 * it issued, burnt, sent to other shards and was credited from them (chainDB's supply records); the
 * network's supply is Σ over shards of genesis + issued − burnt (value in flight between shards is
 * neither created nor destroyed: Σ sent − Σ credited of the shards' totals). A node reads the shards
 * it runs from its own chains and asks its beacon-network peers for the others (`shard/supply`,
 * served by every node for every shard it runs). Peers' figures are their chains' records, not
 * proven to us: a report, as `hmy_getNetworkSupply` says in its `source` per shard.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode } from "../core/index.ts";
import { type P2P, P2PError, P2PErrorCode, PeerAction } from "../p2p/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { bytesToHex } from "../util/bytes.ts";

/** The request method of the beacon network that answers one shard's supply at the sender's head. */
export const SHARD_SUPPLY_METHOD = "shard/supply";

/** One shard's totals at one of its blocks (wei). */
export interface ShardSupply {
  readonly shardId: number;
  readonly blockNumber: bigint;
  readonly blockHash: Uint8Array;
  readonly genesis: bigint;
  readonly issued: bigint;
  /** Fees and slashed stake burnt. */
  readonly burnt: bigint;
  readonly cxOut: bigint;
  readonly cxIn: bigint;
}

/** The network's supply: the total, value in flight, and each shard's part. */
export interface NetworkSupply {
  readonly total: bigint;
  readonly inFlight: bigint;
  readonly shards: readonly (ShardSupply & { readonly source: "local" | "peer" })[];
}

/** Wei held on a shard's accounts, stakes and reward pools: genesis + issued − burnt − sent + credited. */
export function shardBalanceTotal(s: ShardSupply): bigint {
  return s.genesis + s.issued - s.burnt - s.cxOut + s.cxIn;
}

/** A shard's totals at its head. */
export function shardSupplyOf(chain: Pick<Chain, "shardId" | "head" | "genesisSupply" | "getBurntFees">): ShardSupply {
  const h = chain.head;
  const r = chain.getBurntFees(h.hash);
  return {
    shardId: chain.shardId, blockNumber: h.number, blockHash: h.hash, genesis: chain.genesisSupply, issued: r?.cumulativeIssued ?? 0n,
    burnt: (r?.cumulativeBurnt ?? 0n) + (r?.cumulativeBurntSlashes ?? 0n), cxOut: r?.cumulativeCxOut ?? 0n, cxIn: r?.cumulativeCxIn ?? 0n,
  };
}

const int = (v: bigint | number) => bigintToBytes(BigInt(v));

/** `rlp([shardId, number, hash, genesis, issued, burnt, cxOut, cxIn])`. */
export function encodeShardSupply(s: ShardSupply): Uint8Array {
  return rlpEncode([int(s.shardId), int(s.blockNumber), s.blockHash, int(s.genesis), int(s.issued), int(s.burnt), int(s.cxOut), int(s.cxIn)]);
}

/** @throws {SyntaxError} on a malformed encoding. */
export function decodeShardSupply(bytes: Uint8Array): ShardSupply {
  const [shard, number, hash, genesis, issued, burnt, cxOut, cxIn] = asList(rlpDecode(bytes, "shard supply"), "shard supply", 8);
  const big = (v: unknown, f: string) => decodeInt(v, f, 32);
  const blockHash = asBytes(hash, "shard supply.hash");
  if (blockHash.length !== 32) throw new SyntaxError("shard supply.hash: expected 32 bytes");
  return {
    shardId: Number(decodeInt(shard, "shard supply.shardId", 4)), blockNumber: decodeInt(number, "shard supply.number", 8), blockHash,
    genesis: big(genesis, "genesis"), issued: big(issued, "issued"), burnt: big(burnt, "burnt"), cxOut: big(cxOut, "cxOut"), cxIn: big(cxIn, "cxIn"),
  };
}

/** Answer `shard/supply` (request: the shard id as RLP) for the shards `local` runs. Returns the unsubscribe function. */
export function serveShardSupply(p2p: Pick<P2P, "handle">, local: (shardId: number) => Chain | undefined): () => void {
  return p2p.handle(SHARD_SUPPLY_METHOD, (data, from) => {
    let shard: number;
    try {
      shard = Number(decodeInt(rlpDecode(data, "shard"), "shard", 4));
    } catch (e) {
      throw new P2PError({ code: P2PErrorCode.REMOTE_ERROR, action: PeerAction.REJECT, peer: from, method: SHARD_SUPPLY_METHOD, reason: (e as Error).message }, "malformed shard supply request");
    }
    const chain = local(shard);
    if (chain === undefined) throw new P2PError({ code: P2PErrorCode.REMOTE_ERROR, action: PeerAction.IGNORE, peer: from, method: SHARD_SUPPLY_METHOD, reason: `shard ${shard} not run here` }, `shard ${shard} not run here`);
    return encodeShardSupply(shardSupplyOf(chain));
  });
}

/**
 * The network's supply: shards run here from their chains, the others from beacon-network peers
 * (tried in turn, each within `timeoutMs`).
 * @throws {Error} naming a shard no peer answered for.
 */
export async function getNetworkSupply(o: { shardCount: number; local: (shardId: number) => Chain | undefined; p2p?: Pick<P2P, "peers" | "request">; timeoutMs?: number }): Promise<NetworkSupply> {
  const shards: (ShardSupply & { source: "local" | "peer" })[] = [];
  for (let s = 0; s < o.shardCount; s++) {
    const chain = o.local(s);
    if (chain !== undefined) {
      shards.push({ ...shardSupplyOf(chain), source: "local" });
      continue;
    }
    let got: ShardSupply | undefined;
    for (const peer of o.p2p?.peers() ?? []) {
      try {
        const r = decodeShardSupply(await (o.p2p as Pick<P2P, "request">).request(peer.id, SHARD_SUPPLY_METHOD, rlpEncode(int(s)), { timeoutMs: o.timeoutMs ?? 2_000 }));
        if (r.shardId === s) got = r;
      } catch {
        // Not run there, slow or gone: the next peer.
      }
      if (got !== undefined) break;
    }
    if (got === undefined) throw new Error(`no peer answered for the supply of shard ${s}`);
    shards.push({ ...got, source: "peer" });
  }
  const total = shards.reduce((n, s) => n + s.genesis + s.issued - s.burnt, 0n);
  const inFlight = shards.reduce((n, s) => n + s.cxOut - s.cxIn, 0n);
  return { total, inFlight, shards };
}

/**
 * `hmy_getNetworkSupply` → { total, inFlight, shards: [{ shardID, blockNumber, blockHash, supply, genesis, issued, burnt,
 * cxOut, cxIn, source }] } (wei as decimal strings; `supply` = what the shard's accounts hold); on a network of
 * several shards also `hmy_getTotalSupply` and `hmy_getCirculatingSupply` = the network's total (Harmony's
 * 18-decimal token strings; one shard: the staking methods' own answer, which is the same figure).
 */
export function createNetworkSupplyMethods(shardCount: number, get: () => Promise<NetworkSupply>, tokens: (wei: bigint) => string): Record<string, MethodHandler> {
  const read = async () => {
    try {
      return await get();
    } catch (e) {
      throw rpcError(RpcErrorCode.SERVER_ERROR, e instanceof Error ? e.message : String(e));
    }
  };
  const total = async () => tokens((await read()).total);
  return {
    ...(shardCount > 1 ? { hmy_getTotalSupply: total, hmy_getCirculatingSupply: total } : {}),
    hmy_getNetworkSupply: async () => {
      const n = await read();
      return {
        total: n.total.toString(), inFlight: n.inFlight.toString(),
        shards: n.shards.map((s) => ({
          shardID: s.shardId, blockNumber: Number(s.blockNumber), blockHash: bytesToHex(s.blockHash), supply: shardBalanceTotal(s).toString(), genesis: s.genesis.toString(),
          issued: s.issued.toString(), burnt: s.burnt.toString(), cxOut: s.cxOut.toString(), cxIn: s.cxIn.toString(), source: s.source,
        })),
      };
    },
  };
}
