// Committees per epoch and shard as the beacon chain reports them (hmy_getSuperCommittees answers the
// previous and the current epoch only, so a watcher polls it through the run), and the check of issue
// 10 acceptance 4 over a shard's blocks: each block's commit signature (the next header's
// lastCommitSig/lastCommitBitmap) is the aggregate of keys of that shard's committee at the block's
// epoch, every key of the committee signs at least one block, and the wait at each epoch boundary.
import { commitPayload } from "../../src/core/index.ts";
import type { BLS } from "../../src/crypto/index.ts";
import { hexToBytes } from "../../src/util/index.ts";
import { big, rpc, rpcBatch } from "./_sharding.ts";

/** Committee keys (lowercase `0x` hex, slot order) by epoch, then shard. */
export type CommitteesByEpoch = Map<number, string[][]>;

type Registry = { epoch: number; "quorum-deciders": Record<string, { "committee-members": { "bls-public-key": string }[] }> };

function registryKeys(r: Registry, shards: number): string[][] {
  return Array.from({ length: shards }, (_, s) => (r["quorum-deciders"][`shard-${s}`]?.["committee-members"] ?? []).map((m) => m["bls-public-key"].toLowerCase()));
}

/** Polls `hmy_getSuperCommittees` on a beacon node every `everyMs`; an epoch's committee seen twice must not change. */
export class CommitteeWatcher {
  readonly byEpoch: CommitteesByEpoch = new Map();
  readonly problems: string[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;

  constructor(readonly url: string, readonly shards: number, everyMs = 2_000) {
    this.#timer = setInterval(() => void this.poll(), everyMs);
  }

  async poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const r = (await rpc(this.url, "hmy_getSuperCommittees", [], 5_000)) as { previous: Registry; current: Registry };
      for (const reg of [r.previous, r.current]) {
        const keys = registryKeys(reg, this.shards);
        const had = this.byEpoch.get(reg.epoch);
        if (had !== undefined && JSON.stringify(had) !== JSON.stringify(keys)) this.problems.push(`epoch ${reg.epoch}: committee changed from ${JSON.stringify(had)} to ${JSON.stringify(keys)}`);
        if (had === undefined) this.byEpoch.set(reg.epoch, keys);
      }
    } catch {
      // A slow answer: the next poll.
    } finally {
      this.#busy = false;
    }
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** A block as the check reads it. */
export interface BlockLite {
  number: number;
  hash: string;
  epoch: number;
  viewId: bigint;
  timestamp: number;
  lastCommitSig: string;
  lastCommitBitmap: string;
}

/** Blocks 0..to of the node at `url`. */
export async function fetchBlocks(url: string, to: number): Promise<BlockLite[]> {
  const calls = Array.from({ length: to + 1 }, (_, n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] }));
  return (await rpcBatch(url, calls)).map((b, n) => {
    if (b === null) throw new Error(`block ${n} missing at ${url}`);
    return {
      number: Number(big(b.number)), hash: String(b.hash), epoch: Number(big(b.epoch)), viewId: big(b.viewID), timestamp: Number(big(b.timestamp)),
      lastCommitSig: String(b.lastCommitSig), lastCommitBitmap: String(b.lastCommitBitmap),
    };
  });
}

/** Slots set in a `0x` bitmap of a committee of `n` (slot i: byte i>>3, mask 1<<(i&7)); throws on a wrong length or a bit past n. */
export function bitmapSlots(bitmapHex: string, n: number): number[] {
  const b = hexToBytes(bitmapHex);
  if (b.length !== (n + 7) >> 3) throw new Error(`bitmap ${bitmapHex} has ${b.length} bytes for a committee of ${n}`);
  const out: number[] = [];
  for (let i = 0; i < b.length * 8; i++) {
    if ((((b[i >> 3] as number) >> (i & 7)) & 1) === 0) continue;
    if (i >= n) throw new Error(`bitmap ${bitmapHex} sets slot ${i} of a committee of ${n}`);
    out.push(i);
  }
  return out;
}

/**
 * The keys of `committee` (slot order) that signed a commit proof of block `number` (`hash`,
 * `viewId`): the bitmap's slots, when the signature is their aggregate over the commit payload;
 * undefined when it is not. @throws {Error} on a bitmap of the wrong shape.
 */
export function commitSigners(bls: BLS, committee: readonly string[], p: { number: number | bigint; hash: string; viewId: bigint; signature: string; bitmap: string }): string[] | undefined {
  const keys = bitmapSlots(p.bitmap, committee.length).map((i) => committee[i] as string);
  const ok = bls.fastAggregateVerify(keys.map((k) => hexToBytes(k)), commitPayload(BigInt(p.number), hexToBytes(p.hash), p.viewId), hexToBytes(p.signature));
  return ok ? keys : undefined;
}

/** What {@link checkShardSigners} found. */
export interface SignerReport {
  /** Blocks whose commit proof was checked. */
  checked: number;
  /** Keys that signed, by epoch. */
  signedBy: Map<number, Set<string>>;
  /** Keys of the committee that signed no block of the epoch, by epoch. */
  silent: Map<number, string[]>;
  /** Seconds between the last block of epoch e and the first of e+1 (block timestamps), by e. */
  boundaryGaps: Map<number, number>;
  /** Every commit proof that is not its committee's. */
  failures: string[];
}

/**
 * Check the commit proofs of every block of `shardId` whose epoch is in `epochs` (blocks from
 * `blocks`, which must reach past the last of them) against `committees`.
 */
export function checkShardSigners(o: { shardId: number; epochs: readonly number[]; blocks: readonly BlockLite[]; committees: CommitteesByEpoch; bls: BLS }): SignerReport {
  const r: SignerReport = { checked: 0, signedBy: new Map(), silent: new Map(), boundaryGaps: new Map(), failures: [] };
  const { blocks } = o;
  for (const b of blocks) {
    if (!o.epochs.includes(b.epoch) || b.number === 0) continue;
    const next = blocks[b.number + 1];
    if (next === undefined) {
      r.failures.push(`shard ${o.shardId} block ${b.number}: no next block (fetch further)`);
      continue;
    }
    const committee = o.committees.get(b.epoch)?.[o.shardId];
    if (committee === undefined || committee.length === 0) {
      r.failures.push(`shard ${o.shardId} block ${b.number}: no committee seen for epoch ${b.epoch}`);
      continue;
    }
    try {
      const keys = commitSigners(o.bls, committee, { number: b.number, hash: b.hash, viewId: b.viewId, signature: next.lastCommitSig, bitmap: next.lastCommitBitmap });
      if (keys === undefined) r.failures.push(`shard ${o.shardId} block ${b.number} (epoch ${b.epoch}): the commit signature is not the aggregate of its bitmap's keys of the epoch's committee`);
      else {
        let set = r.signedBy.get(b.epoch);
        if (set === undefined) r.signedBy.set(b.epoch, (set = new Set()));
        for (const k of keys) set.add(k);
      }
    } catch (e) {
      r.failures.push(`shard ${o.shardId} block ${b.number}: ${(e as Error).message}`);
    }
    r.checked++;
  }
  for (const e of o.epochs) {
    const committee = o.committees.get(e)?.[o.shardId] ?? [];
    r.silent.set(e, committee.filter((k) => !(r.signedBy.get(e)?.has(k) ?? false)));
  }
  for (let i = 1; i < blocks.length; i++) {
    const prev = blocks[i - 1] as BlockLite;
    const cur = blocks[i] as BlockLite;
    if (cur.epoch !== prev.epoch) r.boundaryGaps.set(prev.epoch, cur.timestamp - prev.timestamp);
  }
  return r;
}
