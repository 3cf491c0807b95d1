/**
 * World state (DESIGN §2 `src/state/`): accounts, code and storage in Merkle-Patricia tries persisted in
 * the KV store, a journaled change set per block, the EVM's StateManagerInterface over it, read-only
 * views at any stored root with EIP-1186 proofs, and the genesis state.
 * @module
 */
export { StateStore } from "./stateStore.ts";
export type { StateStoreOptions, StateCommit } from "./stateStore.ts";
export { WorldState, stripZeros } from "./worldState.ts";
export { EVMStateManager, createEVMStateManager, createWorldState } from "./stateManager.ts";
export { StateReader } from "./stateReader.ts";
export type { AccountProof } from "./stateReader.ts";
export { buildGenesisState } from "./genesisState.ts";
export { createMPTDatabase } from "./mptDatabase.ts";
export { EMPTY_ACCOUNT, isEmptyAccount, hasCode, encodeAccount, decodeAccount } from "./account.ts";
export type { AccountRecord } from "./account.ts";
export { StateError, StateErrorCode } from "./errors.ts";
export type { StateErrorType } from "./errors.ts";
export { NODE_PREFIX, NODE_SEQ_PREFIX, CODE_PREFIX, nodeKey, nodeSeqKey, codeKey } from "./keys.ts";
