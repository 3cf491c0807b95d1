/**
 * Block processing (DESIGN §2 `src/execution/`): transactions through `@ethereumjs/evm` (Cancun rules)
 * over our state, plain transfers off the interpreter, fees burnt, receipts/logs/bloom; body and state
 * validation as separate steps; block building for producers; `eth_call`/`eth_estimateGas`; sender
 * recovery over worker threads.
 * @module
 */
export { createShardEVM, blockContextOf, toEVMBlock, DeadlineExceeded, getProcessBLS } from "./evmEnv.ts";
export type { ShardEVM, ShardEVMOptions, BlockContext, BlockHashLookup, EVMBlock } from "./evmEnv.ts";
export { executeBlock, applyTransaction, startBlock, finishBlock } from "./executeBlock.ts";
export type { BlockExecutionResult, BlockInProgress, ExecutionTimings, IncomingCxInput } from "./executeBlock.ts";
export { CX_ABI, CX_CONTRACT_ADDRESS, CX_ADDRESS_BYTES, CX_TRANSFER_GAS } from "./cxAbi.ts";
export { applyIncomingReceipts, isCxReceiptSpent, cxSpentSlot } from "./cxIncoming.ts";
export type { IncomingCxOptions, IncomingCxResult } from "./cxIncoming.ts";
export { createCxProof, narrowCxProof, verifyCxProof } from "./cxProof.ts";
export type { CxSourceBlock, VerifyCxProofOptions } from "./cxProof.ts";
export { cxReceiptsFromLogs } from "./cxOutgoing.ts";
export { validateBody, validateHeader, validateState } from "./validate.ts";
export type { ValidateBodyOptions } from "./validate.ts";
export { buildBlock } from "./buildBlock.ts";
export { dealSlots, finalizeBlock } from "./finalize.ts";
export { SUPPLY_ACCOUNT_ADDRESS, SUPPLY_ACCOUNT_BYTES, SUPPLY_SLOTS, getSupplyTotals, processSupplyTotals, supplyTotalsFromSlots } from "./supplyAccount.ts";
export type { SupplyTotals, SupplyDelta } from "./supplyAccount.ts";
export type { FinalizeInput, FinalizeOutput, SignedBlockRewards, SlashesInput } from "./finalize.ts";
export type { BuildBlockOptions, BuiltBlock, CandidateTx } from "./buildBlock.ts";
export { simulateCall, estimateGas } from "./simulateCall.ts";
export { createCallPacer } from "./callPacer.ts";
export type { CallPacer, CallPacerOptions, CallSlice } from "./callPacer.ts";
export type { CallParams, CallResult, SimulateOptions, StateOverride, EstimateResult, CallEnvironment } from "./simulateCall.ts";
export { createSenderRecoveryStats, recoverSenders, SenderRecoveryPool } from "./senders.ts";
export type { SenderRecoveryStats } from "./senders.ts";
export type { RecoverSendersOptions } from "./senders.ts";
export { applyMessage, isPlainTransfer } from "./message.ts";
export type { Message, MessageResult } from "./message.ts";
export { messageFromTransaction, checkTransaction } from "./transaction.ts";
export { CallError, CallErrorCode } from "./errors.ts";
export type { CallErrorType } from "./errors.ts";
export { traceBlockTransactions, traceCall } from "./traceTransaction.ts";
export type { TraceBlockInput, TraceCallInput, TraceRunOptions } from "./traceTransaction.ts";
export { prepareCall } from "./simulateCall.ts";
export { createAccessList } from "./traceAccessList.ts";
export type { AccessListEntry, AccessListInput, AccessListResult } from "./traceAccessList.ts";
export type { PreparedCall } from "./simulateCall.ts";
export { DEFAULT_TRACE_TIMEOUT_MS, MAX_TRACE_BYTES, SUPPORTED_TRACERS, TraceError, TraceErrorCode } from "./traceTypes.ts";
export type {
  CallFrame, CallFrameLog, CallTracerConfig, PrestateAccount, PrestateResult, PrestateTracerConfig, StructLogEntry, StructLoggerConfig, StructLoggerResult, TraceConfig, TraceErrorType,
  TraceResult, TxTrace,
} from "./traceTypes.ts";
export { SupplyProofError, SupplyProofErrorCode, createShardSupplyProof, decodeShardSupplyProof, encodeShardSupplyProof, verifyShardSupplyProof } from "./supplyProof.ts";
export type { ShardSupplyProof, SupplyProofErrorType, SupplyProofTarget } from "./supplyProof.ts";
