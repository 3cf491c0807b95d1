/** The genesis state: the alloc of a genesis spec folded into tries. */
import type { GenesisSpec } from "../core/index.ts";
import { EMPTY_TRIE_ROOT } from "../core/index.ts";
import { EMPTY_ACCOUNT } from "./account.ts";
import type { StateCommit, StateStore } from "./stateStore.ts";
import { WorldState } from "./worldState.ts";

/**
 * Build the state of `spec.alloc` on an empty root, then let `extend` add what upper layers keep in
 * state (the genesis validators' staking records); persist the returned ops to keep it.
 */
export function buildGenesisState(store: StateStore, spec: GenesisSpec, extend?: (world: WorldState) => void): StateCommit {
  const world = new WorldState(store, EMPTY_TRIE_ROOT);
  for (const [addr, a] of spec.alloc) {
    world.putAccount(addr, { ...EMPTY_ACCOUNT, balance: a.balance, nonce: a.nonce ?? 0n });
    if (a.code !== undefined && a.code.length > 0) world.putCode(addr, a.code);
    for (const [k, v] of a.storage ?? []) world.putStorage(addr, k, v);
  }
  extend?.(world);
  return world.commit();
}
