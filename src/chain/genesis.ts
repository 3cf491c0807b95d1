/**
 * Opening a store at genesis: write the genesis block and state of a shard (its own alloc) once, or
 * check the stored one; and the genesis supply of a shard and of the network.
 * @module
 */
import { BlockError, type GenesisSpec, type Header, createBlock, createGenesisHeader, encodeShardState, genesisAllocOf, genesisFingerprint } from "../core/index.ts";
import { StakingState, computeGenesisShardState, processGenesisValidators } from "../staking/index.ts";
import { type StateStore, buildGenesisState } from "../state/index.ts";
import type { KVStore } from "../store/index.ts";
import { type ChainDB, canonicalBlockOps } from "./chainDB.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";
import { genesisSpecKey } from "./keys.ts";
import { isBeacon } from "../core/index.ts";

/**
 * Genesis supply of `shardId` in wei: its alloc's balances, plus on the beacon shard the genesis
 * validators' stakes (minted into the staking records, which live on the beacon chain only).
 * @throws {RangeError} when the shard does not exist.
 */
export function genesisSupply(spec: GenesisSpec, shardId: number): bigint {
  const alloc = genesisAllocOf(spec, shardId).reduce((s, [, a]) => s + a.balance, 0n);
  return isBeacon(shardId) ? alloc + (spec.validators ?? []).reduce((s, v) => s + v.stake, 0n) : alloc;
}

/** Genesis supply of the whole network in wei: Σ over its shards of {@link genesisSupply}. */
export function networkGenesisSupply(spec: GenesisSpec): bigint {
  let total = 0n;
  for (let s = 0; s < spec.config.shardCount; s++) total += genesisSupply(spec, s);
  return total;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// A header that no longer decodes is an older format (e.g. before the header carried baseFeePerGas):
// say what to do instead of failing on the first read.
function readStoredGenesis(db: ChainDB, hash: Uint8Array): Header | undefined {
  try {
    return db.getHeader(hash);
  } catch (e) {
    if (!(e instanceof BlockError)) throw e;
    const reason = `stored headers do not decode (${e.message})`;
    throw new ChainError(
      { code: ChainErrorCode.INCOMPATIBLE_STORE, reason },
      `the data directory was written by an older, incompatible version: ${reason}; remove it (harmony devnet: --fresh) and start again`,
      { cause: e },
    );
  }
}

/**
 * The genesis header of `shardId`; written (state + block + head, one batch) when the store is empty.
 * A store that has a genesis is recognised by the spec's fingerprint, without rebuilding its state.
 * @throws {ChainError} GENESIS_MISMATCH when the store holds another chain; CORRUPT when its genesis is
 *   missing; INCOMPATIBLE_STORE when it is in an older header format.
 */
export function initGenesis(kv: KVStore, db: ChainDB, store: StateStore, spec: GenesisSpec, shardId: number): Header {
  const fingerprint = genesisFingerprint(spec);
  const stored = db.getGenesisHash();
  if (stored !== undefined) {
    const storedFingerprint = kv.get(genesisSpecKey(shardId));
    const header = readStoredGenesis(db, stored);
    if (header === undefined || storedFingerprint === undefined) {
      throw new ChainError({ code: ChainErrorCode.CORRUPT, reason: "genesis block missing" }, "store is corrupt: genesis block missing");
    }
    if (!equal(storedFingerprint, fingerprint)) {
      throw new ChainError({ code: ChainErrorCode.GENESIS_MISMATCH, stored: storedFingerprint, expected: fingerprint }, "the data directory holds a different chain (genesis mismatch)");
    }
    return header;
  }
  // Each shard starts from its own alloc; staking lives on the beacon chain; every shard's genesis
  // header names the same committees.
  const shardSpec = { ...spec, alloc: genesisAllocOf(spec, shardId) };
  const commit = buildGenesisState(store, shardSpec, isBeacon(shardId) ? (world) => processGenesisValidators(new StakingState(world), spec) : undefined);
  const staked = (spec.validators ?? []).length > 0;
  const band = spec.config.isActive("eposV2", 0n) ? spec.config.staking.effectiveStakeBandV2Bps : spec.config.staking.effectiveStakeBandBps;
  const header = createGenesisHeader(spec, shardId, commit.root, staked ? encodeShardState(computeGenesisShardState(spec, band)) : undefined);
  const ops = [
    ...commit.ops,
    ...canonicalBlockOps(createBlock(header, []), { receipts: [], senders: [], burnt: 0n, cumulativeBurnt: 0n, issued: 0n, cumulativeIssued: 0n }),
    { type: "put" as const, key: genesisSpecKey(shardId), value: fingerprint },
  ];
  kv.batch(ops);
  store.cacheCommitted(commit);
  return header;
}
