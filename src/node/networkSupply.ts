/**
 * Supply across shards (DESIGN §Staking, issue 10): every shard's chain keeps running totals of what
 * it issued, burnt, sent to other shards and was credited from them, and writes them at the end of each
 * block into the supply account's storage (`SUPPLY_ACCOUNT_ADDRESS`, so its state root commits to them).
 * The network's supply is Σ over shards of genesis + issued − burnt (value in flight between shards is
 * neither created nor destroyed: Σ sent − Σ credited of the shards' totals). A node reads the shards it
 * runs from its own chains ("local", at their heads). For each other shard it takes the block the beacon
 * chain last crosslinked for it and asks beacon-network peers for that block's header and an EIP-1186
 * proof of the supply account (`shard/supplyProof`); the header must hash to the crosslinked hash and the
 * proofs must verify under its stateRoot ("proven", at that block: it lags the shard's head by the
 * crosslink delay). A peer whose proof does not verify is penalized and the next one asked. Only a shard
 * with no crosslink yet is taken from a peer's report (`shard/supply`, "peer"). Genesis figures come from
 * this node's own genesis spec for every shard it has one for.
 *
 * In flight: each shard's genesis + issued − burnt is exact at its own block, so the total is exact as
 * the sum of those figures. Σ cxOut − Σ cxIn is taken over the same cuts, which are not one instant: value
 * sent after a shard's cut but credited before the receiver's cut counts as credited without having been
 * sent (in flight too low by it), value sent before a cut and credited after the receiver's cut counts as
 * in flight (as it is). So `inFlight` is off by what crossed between the cuts; the per-shard `supply`
 * (what its accounts hold) is exact at its block.
 * @module
 */
import type { Chain } from "../chain/index.ts";
import { asBytes, asList, bigintToBytes, decodeInt, rlpDecode, rlpEncode } from "../core/index.ts";
import { SupplyProofError, createShardSupplyProof, decodeShardSupplyProof, encodeShardSupplyProof, verifyShardSupplyProof } from "../execution/index.ts";
import { type P2P, P2PError, P2PErrorCode, PeerAction } from "../p2p/index.ts";
import { StateReader } from "../state/index.ts";
import { type MethodHandler, RpcErrorCode, rpcError } from "../rpc/index.ts";
import { bytesToHex } from "../util/bytes.ts";

/** The request method of the beacon network that answers one shard's supply at the sender's head (a report). */
export const SHARD_SUPPLY_METHOD = "shard/supply";
/** The request method that answers a shard block's header with the proof of its supply totals. */
export const SHARD_SUPPLY_PROOF_METHOD = "shard/supplyProof";

/** Where a shard's figures come from: this node's chain, a proof at its crosslinked block, or a peer's report. */
export type SupplySource = "local" | "proven" | "peer";

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
  readonly shards: readonly (ShardSupply & { readonly source: SupplySource })[];
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

function remoteError(from: string, method: string, action: PeerAction, reason: string): P2PError {
  return new P2PError({ code: P2PErrorCode.REMOTE_ERROR, action, peer: from, method, reason }, reason);
}

function shardOfRequest(item: unknown, from: string, method: string): number {
  try {
    return Number(decodeInt(item, "shard", 4));
  } catch (e) {
    throw remoteError(from, method, PeerAction.REJECT, `malformed ${method} request: ${(e as Error).message}`);
  }
}

/**
 * Answer `shard/supply` (request: the shard id as RLP; a report at our head) and `shard/supplyProof`
 * (request: `rlp([shardId, blockHash])`; the header and supply proof of that block) for the shards
 * `local` runs. Returns the unsubscribe function.
 */
export function serveShardSupply(p2p: Pick<P2P, "handle">, local: (shardId: number) => Chain | undefined): () => void {
  const chainOf = (shard: number, from: string, method: string) => {
    const chain = local(shard);
    if (chain === undefined) throw remoteError(from, method, PeerAction.IGNORE, `shard ${shard} not run here`);
    return chain;
  };
  const offReport = p2p.handle(SHARD_SUPPLY_METHOD, (data, from) => {
    let item: unknown;
    try {
      item = rlpDecode(data, "shard");
    } catch (e) {
      throw remoteError(from, SHARD_SUPPLY_METHOD, PeerAction.REJECT, `malformed shard supply request: ${(e as Error).message}`);
    }
    return encodeShardSupply(shardSupplyOf(chainOf(shardOfRequest(item, from, SHARD_SUPPLY_METHOD), from, SHARD_SUPPLY_METHOD)));
  });
  const offProof = p2p.handle(SHARD_SUPPLY_PROOF_METHOD, (data, from) => {
    let shardItem: unknown;
    let hash: Uint8Array;
    try {
      const [s, h] = asList(rlpDecode(data, "supply proof request"), "supply proof request", 2);
      shardItem = s;
      hash = asBytes(h, "supply proof request.hash");
      if (hash.length !== 32) throw new SyntaxError("supply proof request.hash: expected 32 bytes");
    } catch (e) {
      throw remoteError(from, SHARD_SUPPLY_PROOF_METHOD, PeerAction.REJECT, `malformed supply proof request: ${(e as Error).message}`);
    }
    const shard = shardOfRequest(shardItem, from, SHARD_SUPPLY_PROOF_METHOD);
    const chain = chainOf(shard, from, SHARD_SUPPLY_PROOF_METHOD);
    // Not (yet) a block of ours: this node may be behind the crosslink; the asker tries another peer.
    const header = chain.getHeaderByHash(hash);
    if (header === undefined) throw remoteError(from, SHARD_SUPPLY_PROOF_METHOD, PeerAction.IGNORE, `block ${bytesToHex(hash)} of shard ${shard} not known here`);
    return encodeShardSupplyProof(createShardSupplyProof(header, new StateReader(chain.state, header.stateRoot)));
  });
  return () => {
    offReport();
    offProof();
  };
}

/** The block the beacon chain last crosslinked for a shard. */
export interface CrossLinkedBlock {
  readonly blockNumber: bigint;
  readonly blockHash: Uint8Array;
}

/** What {@link getNetworkSupply} reads. */
export interface NetworkSupplyOptions {
  readonly shardCount: number;
  /** This node's chain of a shard, if it runs it. */
  readonly local: (shardId: number) => Chain | undefined;
  /** The beacon chain's last crosslink of a shard (`getLastCrossLink`), if any. */
  readonly crossLinkOf?: (shardId: number) => CrossLinkedBlock | undefined;
  /** A shard's genesis supply from this node's genesis spec (else a proven shard's is the peer's word). */
  readonly genesisOf?: (shardId: number) => bigint;
  readonly p2p?: Pick<P2P, "peers" | "request" | "reportInvalid">;
  readonly timeoutMs?: number;
}

/**
 * The network's supply: shards run here from their chains, the others proven at their last crosslinked
 * block by a beacon-network peer's proof (peers tried in turn, each within `timeoutMs`; one whose proof
 * does not verify is penalized), or — no crosslink yet — as a peer reports them.
 * @throws {Error} naming a shard no peer answered (or proved) for.
 */
export async function getNetworkSupply(o: NetworkSupplyOptions): Promise<NetworkSupply> {
  const shards: (ShardSupply & { source: SupplySource })[] = [];
  for (let s = 0; s < o.shardCount; s++) {
    const chain = o.local(s);
    if (chain !== undefined) {
      shards.push({ ...shardSupplyOf(chain), source: "local" });
      continue;
    }
    const link = o.crossLinkOf?.(s);
    shards.push(link === undefined ? { ...(await askReport(o, s)), source: "peer" } : { ...(await askProof(o, s, link)), source: "proven" });
  }
  const total = shards.reduce((n, s) => n + s.genesis + s.issued - s.burnt, 0n);
  const inFlight = shards.reduce((n, s) => n + s.cxOut - s.cxIn, 0n);
  return { total, inFlight, shards };
}

async function askReport(o: NetworkSupplyOptions, s: number): Promise<ShardSupply> {
  for (const peer of o.p2p?.peers() ?? []) {
    try {
      const r = decodeShardSupply(await (o.p2p as Pick<P2P, "request">).request(peer.id, SHARD_SUPPLY_METHOD, rlpEncode(int(s)), { timeoutMs: o.timeoutMs ?? 2_000 }));
      if (r.shardId === s) return o.genesisOf === undefined ? r : { ...r, genesis: o.genesisOf(s) };
    } catch {
      // Not run there, slow or gone: the next peer.
    }
  }
  throw new Error(`no peer answered for the supply of shard ${s}`);
}

async function askProof(o: NetworkSupplyOptions, s: number, link: CrossLinkedBlock): Promise<ShardSupply> {
  const target = { shardId: s, blockNumber: link.blockNumber, blockHash: link.blockHash };
  const p2p = o.p2p;
  for (const peer of p2p?.peers() ?? []) {
    let bytes: Uint8Array;
    try {
      bytes = await (p2p as Pick<P2P, "request">).request(peer.id, SHARD_SUPPLY_PROOF_METHOD, rlpEncode([int(s), link.blockHash]), { timeoutMs: o.timeoutMs ?? 2_000 });
    } catch {
      continue; // not run there, behind the crosslink, slow or gone: the next peer
    }
    try {
      const proof = decodeShardSupplyProof(bytes);
      const t = verifyShardSupplyProof(proof, target);
      // The genesis is not in the proof: our own genesis spec has every shard's alloc.
      const genesis = o.genesisOf?.(s) ?? 0n;
      return { shardId: s, blockNumber: link.blockNumber, blockHash: link.blockHash, genesis, ...t };
    } catch (e) {
      if (!(e instanceof SupplyProofError)) throw e;
      const err = remoteError(peer.id, SHARD_SUPPLY_PROOF_METHOD, PeerAction.REJECT, e.message);
      p2p?.reportInvalid(peer.id, err.message);
    }
  }
  throw new Error(`no peer proved the supply of shard ${s} at its crosslinked block ${link.blockNumber}`);
}

/**
 * `hmy_getNetworkSupply` → { total, inFlight, shards: [{ shardID, blockNumber, blockHash, supply, genesis, issued, burnt,
 * cxOut, cxIn, source }] } (wei as decimal strings; `supply` = what the shard's accounts hold). `source` is "local"
 * (a shard this node runs, at its head), "proven" (checked by a proof against the block the beacon chain last
 * crosslinked: `blockNumber`/`blockHash` are that block, behind the shard's head by the crosslink delay) or "peer"
 * (no crosslink of the shard yet: a beacon-network peer's report, not proven). `total` is exact: Σ genesis + issued
 * − burnt, each shard's at its own block. `inFlight` = Σ cxOut − Σ cxIn over those blocks, which are not one
 * instant: it can be off by the value that crossed between two shards' blocks. On a network of several shards also
 * `hmy_getTotalSupply` and `hmy_getCirculatingSupply` = the network's total (Harmony's 18-decimal token strings;
 * one shard: the staking methods' own answer, which is the same figure).
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
