/**
 * The chain of a shard (DESIGN §2 `src/chain/`): chaindb on the KV store, block insertion (validate,
 * execute, commit everything in one batch), queries (blocks, receipts, transactions, logs, state at a
 * height, calls), notifications, and the `--dev` block producer.
 * @module
 */
export { Chain, openChain } from "./chain.ts";
export { ChainReader } from "./chainReader.ts";
export type { ChainReaderParts, StoredCxReceipt } from "./chainReader.ts";
export { assertEpochSettled, checkShardEpochMarker, createBeaconView, isBeaconLagError, nextShardEpoch, shardEpochMarker } from "./beaconView.ts";
export type { BeaconSource, BeaconView } from "./beaconView.ts";
export { selectIncomingProofs, verifyIncomingProofs } from "./incomingProofs.ts";
export type { IncomingEnv, SelectIncomingEnv } from "./incomingProofs.ts";
export type { CxReceiptLocation } from "./cxStore.ts";
export type { ChainOptions, InsertResult, InsertTimings, IncludedTransaction, TransactionReceiptInfo, ChainCallOptions } from "./chain.ts";
export { ChainDB, canonicalBlockOps } from "./chainDB.ts";
export { AddressHistory } from "./addressHistory.ts";
export type { BackfillLimits, HistoryProgress, HistoryQuery, HistoryTxType } from "./addressHistory.ts";
export { addressIndexKey, addressIndexOps, decodeAddressIndexEntry, loadAddressIndexMarker, resumeAddressIndexMarker, HISTORY_RECEIVED, HISTORY_SENT } from "./addressIndex.ts";
export type { AddressIndexEntry, AddressIndexMarker, IndexedBody } from "./addressIndex.ts";
export { selectCrossLinks, validateBlockCrossLinks } from "./crossLinks.ts";
export type { ChainBuildOptions, CrossLinkEnv } from "./crossLinks.ts";
export { commitProofKey, commitProofOp, loadCommitProof } from "./commitStore.ts";
export type { CommitProof } from "./commitStore.ts";
export { VerifiedBlockCache } from "./verifiedCache.ts";
export type { VerifiedBlock } from "./verifiedCache.ts";
export { getBlockEncodingByNumber, getHeaderEncodingByNumber } from "./rawBlock.ts";
export type { BlockExtras, BlockSupplyRecord, TxLocation } from "./chainDB.ts";
export { DevBlockProducer } from "./devProducer.ts";
export type { DevBlockProducerOptions, TxSource, ProducerClock } from "./devProducer.ts";
export { queryLogs, matchesLogFilter, blockLogEntries, candidateHeights } from "./logs.ts";
export type { LogFilter, LogEntry } from "./logs.ts";
export type { ChainEvents, ChainListener, CommittedBlock } from "./events.ts";
export { BLOCK_STAGES, getValidationStages } from "./blockStages.ts";
export type { BlockStage, BlockStageTimes } from "./blockStages.ts";
export { ChainError, ChainErrorCode } from "./errors.ts";
export type { ChainErrorType } from "./errors.ts";
export { initGenesis, genesisSupply, networkGenesisSupply } from "./genesis.ts";
