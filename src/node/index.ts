/**
 * Node wiring (DESIGN §2 `src/node/`): assembles store, chain, txpool, p2p, sync, consensus and RPC
 * into a running node — the `--dev` single-validator chain, and the validator node of a network with
 * its FBFT consensus driver — and adapts the chain to the RPC layer's backend interface.
 * @module
 */
export { DEV_NODE_CHAIN_CONFIG, createDevNodeGenesis, startDevNode } from "./devNode.ts";
export type { DevNode, DevNodeModules, DevNodeOptions } from "./devNode.ts";
export { createRpcBackend, createTxPoolRpcBackend, headerToRpc } from "./rpcBackend.ts";
export type { NodeStatusSource } from "./rpcBackend.ts";
export { startValidatorNode } from "./validatorNode.ts";
export type { ValidatorNode, ValidatorNodeConfig, ValidatorNodeModules } from "./validatorNode.ts";
export { ConsensusDriver, SYSTEM_DRIVER_CLOCK } from "./consensusDriver.ts";
export type { BlockFetcher, ConsensusDriverModules, ConsensusDriverOptions, DriverClock, DriverMode, DriverNet, DriverStatus, GuardState } from "./consensusDriver.ts";
export { createConsensusNet, identityPayload, outerCheck, IDENTITY_TOPIC } from "./consensusNet.ts";
export type { ConsensusNet, ConsensusNetModules, ConsensusNetOptions, ConsensusNetStats, MessageSink } from "./consensusNet.ts";
export { createCallPool, createNodeCallPool } from "./callPool.ts";
export type { CallPool, CallPoolModules, CallPoolOptions, CallPoolStats } from "./callPool.ts";
export { createBLSVerifierPool } from "./blsPool.ts";
export type { AsyncVoteVerifier, BLSPoolOptions, BLSPoolStats } from "./blsPool.ts";
export { createSafetyFile, createMemorySafetyStore } from "./safetyFile.ts";
export type { SafetyStore } from "./safetyFile.ts";
export { FAILPOINT_AFTER_PERSIST_SAFETY, FAILPOINT_DOUBLE_SIGN, FAILPOINT_STORE_WRITE_FAIL, failpointFromEnv, killSelf } from "./failpoint.ts";
export { MAX_SLASHES_PER_BLOCK, evidenceToRecord, pendingSlashRecords } from "./slashEvidence.ts";
export type { SlashChain } from "./slashEvidence.ts";
export { guardStoreWrites, storeFaultOf } from "./storeGuard.ts";
export type { StoreGuardModules } from "./storeGuard.ts";
export { EXIT_FATAL, STOP_DEADLINE_MS, superviseNode } from "./superviseNode.ts";
export type { SupervisedNode, Supervisor, SupervisorModules, SupervisorOptions } from "./superviseNode.ts";
export { STALE_HEAD_BLOCKS, createReadiness } from "./readiness.ts";
export { LISTENING_TOPIC, ListenQuorum } from "./listenQuorum.ts";
export type { ListenQuorumModules, ListenQuorumOptions } from "./listenQuorum.ts";
export type { Readiness, ReadinessOptions } from "./readiness.ts";
export type { Failpoint } from "./failpoint.ts";
export { createEvidenceStore, decodeEvidence, encodeEvidence, evidenceToJSON } from "./evidenceStore.ts";
export type { EvidenceStore } from "./evidenceStore.ts";
export { createHmyMethods, getNodeMetadata } from "./hmyMethods.ts";
export type { NodeInfoSource, NodeMetadata } from "./hmyMethods.ts";
export { registerNodeMetrics } from "./nodeMetrics.ts";
export type { NodeMetricsSource, SideMetricsSource } from "./nodeMetrics.ts";
export { GOSSIP_DELAY_TOPICS, MAX_RPC_METHOD_LABELS, OTHER_LABEL, createNodeRegistry } from "./metricsRegistry.ts";
export type { NodeRegistry } from "./metricsRegistry.ts";
export { getProposalTimeMs } from "./proposalTime.ts";
export { startEventLoopLagMonitor } from "./eventLoopLag.ts";
export type { LagMonitor, LagMonitorOptions } from "./eventLoopLag.ts";
export { createBlockFetcher } from "./blockFetcher.ts";
export type { BlockFetcherModules, BlockFetcherOptions } from "./blockFetcher.ts";
export { loadBLSKeys, loadOrCreateNodeKey, placeKeys } from "./nodeKeys.ts";
export type { BLSKeyPair } from "./nodeKeys.ts";
export { NodeCallError, NodeCallErrorCode, ValidatorNodeError, ValidatorNodeErrorCode } from "./errors.ts";
export type { NodeCallErrorType, ValidatorNodeErrorType } from "./errors.ts";
export type { DriverStats, SumCount } from "./driverStats.ts";
