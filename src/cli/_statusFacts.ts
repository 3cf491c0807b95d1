/**
 * The facts `harmony status` shows, read from one node's JSON-RPC: identity, head and its age,
 * finality, the committee's signed/missed share over recent blocks (decoded from each header's
 * lastCommitBitmap, which records who signed its parent), this node's keys, peers, sync, txpool,
 * shards and staking. Optional methods a node lacks leave their fact out instead of failing.
 */
import { normalizeKey, toNumber } from "./_devnetRPC.ts";

/** One JSON-RPC request; throws on a transport failure or an error answer. */
export type RpcCaller = (method: string, params?: unknown[]) => Promise<unknown>;

/** One committee key's record over the window. */
export interface KeyShare {
  key: string;
  signed: number;
  missed: number;
  /** Held by the node asked. */
  mine: boolean;
  /** Whether it signed the newest signed block of the window. */
  signedLast?: boolean;
}

/** Everything `harmony status` prints. */
export interface StatusFacts {
  rpc: string;
  version?: string;
  networkId?: number;
  shardId?: number;
  chainId?: number;
  head?: { number: number; hash?: string; timestamp: number; ageSeconds: number };
  epoch?: number;
  viewId?: number;
  isLeader?: boolean;
  leaderKey?: string;
  mode?: string;
  /** Mean seconds between the window's consecutive block timestamps. */
  finalitySeconds?: number;
  /** Blocks whose signatures were counted (the window). */
  window: number;
  committee?: KeyShare[];
  myKeys: string[];
  peers?: number;
  syncing?: false | { current: number; highest: number; blocksPerSecond?: number; etaSeconds?: number };
  /** From the node's own snapshot (`hmy_getNodeStatus`) where it has one: */
  /** View changes proper (timeout, newview, join) since the node started. */
  viewChanges?: number;
  /** Mean seconds from a block's timestamp to its commit on the node. */
  commitDelaySeconds?: number;
  crossLinks?: { shardId: number; blockNumber: number }[];
  txpool?: { pending: number; queued: number };
  shards?: { shardID: number; http?: string }[];
  staking?: { totalSupply?: string; totalStaking?: string; medianRawStake?: string; epochLastBlock?: number; validatorsElected?: number };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

async function optional(call: RpcCaller, method: string, params: unknown[] = []): Promise<unknown> {
  try {
    return await call(method, params);
  } catch {
    return undefined;
  }
}

function bitSet(bitmap: Uint8Array, i: number): boolean {
  const b = bitmap[i >> 3];
  return b !== undefined && (b & (1 << (i & 7))) !== 0;
}

function hexBytes(v: unknown): Uint8Array | undefined {
  if (typeof v !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(v)) return undefined;
  return Uint8Array.from((v.slice(2).match(/../g) ?? []).map((h) => Number.parseInt(h, 16)));
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

// Signed/missed per key: header h's bitmap covers block h-1, whose epoch's committee maps slots to keys.
async function committeeShares(call: RpcCaller, blocks: Obj[], myKeys: Set<string>): Promise<KeyShare[] | undefined> {
  const byNumber = new Map(blocks.map((b) => [toNumber(b.number), b]));
  const committees = new Map<number, string[] | undefined>();
  const shares = new Map<string, KeyShare>();
  let newest = -1;
  for (const b of blocks) {
    const n = toNumber(b.number);
    const bitmap = hexBytes(b.lastCommitBitmap);
    const parent = n === undefined ? undefined : byNumber.get(n - 1);
    if (n === undefined || bitmap === undefined || parent === undefined) continue;
    const epoch = toNumber(parent.epoch) ?? 0;
    if (!committees.has(epoch)) {
      const keys = await optional(call, "hmy_getValidatorKeys", [epoch]);
      committees.set(epoch, Array.isArray(keys) ? keys.map(normalizeKey) : undefined);
    }
    const keys = committees.get(epoch);
    if (!keys) continue;
    keys.forEach((k, i) => {
      const s = shares.get(k) ?? { key: k, signed: 0, missed: 0, mine: myKeys.has(k) };
      const signed = bitSet(bitmap, i);
      if (signed) s.signed++;
      else s.missed++;
      if (n > newest) s.signedLast = signed;
      shares.set(k, s);
    });
    newest = Math.max(newest, n);
  }
  return shares.size ? [...shares.values()] : undefined;
}

/** Gather the facts from `call` (a node at `rpc`), counting signatures over the last `window` blocks; `now` in ms. */
export async function gatherStatus(call: RpcCaller, rpc: string, window: number, now: number): Promise<StatusFacts> {
  // The one required answer: a node that does not give it is not reachable as a harmony node.
  const head = await call("eth_getBlockByNumber", ["latest", false]);
  if (!isObj(head)) throw new Error(`no head block from ${rpc}`);
  const headNumber = toNumber(head.number) ?? 0;
  const meta = await optional(call, "hmy_getNodeMetadata");
  const m: Obj = isObj(meta) ? meta : {};
  const myKeys = Array.isArray(m.blsKeys) ? m.blsKeys.map(normalizeKey) : [];
  const facts: StatusFacts = { rpc, window, myKeys };
  facts.version = str(m.version) ?? str(await optional(call, "web3_clientVersion"));
  facts.networkId = toNumber(m.networkId);
  facts.shardId = toNumber(m.shardId ?? head.shardID);
  facts.chainId = toNumber(m.chainId ?? (await optional(call, "eth_chainId")));
  const ts = toNumber(head.timestamp) ?? 0;
  facts.head = { number: headNumber, hash: str(head.hash), timestamp: ts, ageSeconds: Math.max(0, now / 1000 - ts) };
  facts.epoch = toNumber(m.epoch ?? head.epoch);
  facts.viewId = toNumber(m.viewId ?? head.viewID);
  if (typeof m.isLeader === "boolean") facts.isLeader = m.isLeader;
  if (isObj(m.consensus)) facts.mode = str(m.consensus.mode);
  facts.peers = toNumber(m.peerCount ?? (await optional(call, "net_peerCount")));
  const leader = await optional(call, "hmy_getLeader");
  if (isObj(leader) && typeof leader.blsKey === "string") facts.leaderKey = normalizeKey(leader.blsKey);

  const from = Math.max(0, headNumber - window);
  const older = await Promise.all(
    Array.from({ length: headNumber - from }, (_, i) => optional(call, "eth_getBlockByNumber", [`0x${(from + i).toString(16)}`, false])),
  );
  const blocks = [...older.filter(isObj), head];
  // Genesis carries a fixed timestamp (0 on a devnet), not the time it was made: it is no interval's start.
  const stamps = blocks.filter((b) => toNumber(b.number) !== 0).map((b) => toNumber(b.timestamp)).filter((t): t is number => t !== undefined);
  if (stamps.length > 1) facts.finalitySeconds = ((stamps.at(-1) as number) - (stamps[0] as number)) / (stamps.length - 1);
  facts.committee = await committeeShares(call, blocks, new Set(myKeys));

  const sync = await optional(call, "eth_syncing");
  if (sync === false) facts.syncing = false;
  else if (isObj(sync)) {
    facts.syncing = { current: toNumber(sync.currentBlock) ?? 0, highest: toNumber(sync.highestBlock) ?? 0 };
    if (typeof sync.blocksPerSecond === "number") facts.syncing.blocksPerSecond = sync.blocksPerSecond;
    if (typeof sync.etaSeconds === "number") facts.syncing.etaSeconds = sync.etaSeconds;
  }
  const pool = await optional(call, "txpool_status");
  if (isObj(pool)) facts.txpool = { pending: toNumber(pool.pending) ?? 0, queued: toNumber(pool.queued) ?? 0 };
  const shards = await optional(call, "hmy_getShardingStructure");
  if (Array.isArray(shards)) facts.shards = shards.filter(isObj).map((s) => ({ shardID: toNumber(s.shardID) ?? 0, http: str(s.http) }));
  const net = await optional(call, "hmy_getStakingNetworkInfo");
  const supply = await optional(call, "hmy_getTotalSupply");
  if (isObj(net) || supply !== undefined) {
    const n: Obj = isObj(net) ? net : {};
    facts.staking = {
      totalSupply: str(n["total-supply"] ?? supply),
      totalStaking: str(n["total-staking"]),
      medianRawStake: str(n["median-raw-stake"]),
      epochLastBlock: toNumber(n["epoch-last-block"]),
    };
  }
  const snapshot = await optional(call, "hmy_getNodeStatus");
  if (isObj(snapshot)) addSnapshotFacts(facts, snapshot);
  return facts;
}

// Facts only the node's own snapshot has (a node without `hmy_getNodeStatus` leaves them out).
function addSnapshotFacts(facts: StatusFacts, s: Obj): void {
  if (isObj(s.consensus)) facts.viewChanges = toNumber(s.consensus.viewChangesTotal);
  if (isObj(s.finality) && typeof s.finality.meanCommitDelaySeconds === "number") facts.commitDelaySeconds = s.finality.meanCommitDelaySeconds;
  if (Array.isArray(s.crossLinks)) facts.crossLinks = s.crossLinks.filter(isObj).map((l) => ({ shardId: toNumber(l.shardId) ?? 0, blockNumber: toNumber(l.blockNumber) ?? 0 }));
  const elected = isObj(s.staking) ? toNumber(s.staking.validatorsElected) : undefined;
  if (elected !== undefined) facts.staking = { ...facts.staking, validatorsElected: elected };
}
