/** Opening a store at genesis: write the genesis block and state once, or check the stored one. */
import { type GenesisSpec, type Header, createBlock, createGenesisHeader } from "../core/index.ts";
import { type StateStore, buildGenesisState } from "../state/index.ts";
import type { KVStore } from "../store/index.ts";
import { type ChainDB, canonicalBlockOps } from "./chainDB.ts";
import { ChainError, ChainErrorCode } from "./errors.ts";

/** Total genesis supply in wei (sum of alloc balances). */
export function genesisSupply(spec: GenesisSpec): bigint {
  return spec.alloc.reduce((s, [, a]) => s + a.balance, 0n);
}

/**
 * The genesis header of `shardId`; written (state + block + head, one batch) when the store is empty.
 * @throws {ChainError} GENESIS_MISMATCH when the store holds another chain.
 */
export function initGenesis(kv: KVStore, db: ChainDB, store: StateStore, spec: GenesisSpec, shardId: number): Header {
  const commit = buildGenesisState(store, spec);
  const header = createGenesisHeader(spec, shardId, commit.root);
  const stored = db.getGenesisHash();
  if (stored !== undefined) {
    if (!stored.every((b, i) => b === header.hash[i]) || stored.length !== header.hash.length) {
      throw new ChainError({ code: ChainErrorCode.GENESIS_MISMATCH, stored, expected: header.hash }, "the data directory holds a different chain (genesis mismatch)");
    }
    return header;
  }
  const ops = [...commit.ops, ...canonicalBlockOps(createBlock(header, []), { receipts: [], senders: [], burnt: 0n, cumulativeBurnt: 0n })];
  kv.batch(ops);
  store.cacheCommitted(commit);
  return header;
}
