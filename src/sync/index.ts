/**
 * Block sync (DESIGN §Sync): a node behind asks peers for headers and blocks by range over the p2p
 * request channel, verifies every commit signature (through a verifier the node injects), executes
 * and commits — in pipelined stages — and then keeps following its peers. The serving side answers
 * the same requests from the local chain.
 *
 * Node wiring: `registerSyncHandlers(p2p, chain, { getHeadCommit, maxResponseBytes })` and
 * `createSyncer(opts, { chain, p2p, verifyCommit, logger, clock })`, then `start()`; join consensus
 * on the `synced` event.
 * @module
 */
export { createSyncer } from "./syncer.ts";
export { etaOf, formatEta, formatProgress, rateOf, syncProgress } from "./progress.ts";
export type { ProgressSample, SyncProgress } from "./progress.ts";
export { registerSyncHandlers } from "./handlers.ts";
export type { SyncServerOptions, SyncSource } from "./handlers.ts";
export { SyncError, SyncErrorCode } from "./errors.ts";
export type { SyncErrorType } from "./errors.ts";
export {
  SyncMethod,
  MAX_HEADERS_PER_REQUEST,
  MAX_BLOCKS_PER_REQUEST,
  DEFAULT_MAX_RESPONSE_BYTES,
  encodeRangeRequest,
  decodeRangeRequest,
  encodeCommitRequest,
  decodeCommitRequest,
  encodeItems,
  decodeItems,
  encodeCommitResponse,
  decodeCommitResponse,
} from "./messages.ts";
export type { CommitProof, RangeRequest } from "./messages.ts";
export type { FinalizedHead, SyncChain, SyncEvents, SyncMetrics, SyncP2P, SyncStatus, Syncer, SyncerModules, SyncerOptions, VerifyCommit } from "./types.ts";
