/**
 * Plain data of the chain (DESIGN §2 `src/core/`): chain config, header, block, transactions,
 * receipts, logs and bloom, genesis, and the Merkle-Patricia trie codec. No I/O.
 * @module
 */
export { Trie, trieGet, trieInsert, trieDelete, trieCommit, trieRootHash, resolveNode, TrieError, TrieErrorCode } from "./trie/trie.ts";
export type { TrieNodeSource, TrieNodeSink } from "./trie/trie.ts";
export { BranchNode, LeafNode, ExtensionNode, HashNode, decodeNode, encodeNode, collapseNode, hashKey, BRANCH, LEAF, EXTENSION, HASH } from "./trie/node.ts";
export type { TrieNode, NodeRef } from "./trie/node.ts";
export { bytesToNibbles } from "./trie/nibbles.ts";
export { orderedTrieRoot } from "./trie/orderedRoot.ts";
export { createTrieProof, verifyTrieProof } from "./trie/proof.ts";
export { COMMIT_PAYLOAD_LENGTH, HASH_LENGTH, commitPayload } from "./commitPayload.ts";
export { EMPTY_TRIE_ROOT, EMPTY_CODE_HASH, EMPTY_LIST_HASH, bigintToBytes, bytesToBigint } from "./primitives.ts";
/** Keccak-256, unrolled for speed (same digests as the crypto layer's). */
export { keccak256 } from "./primitives.ts";
// The strict RLP field readers every record codec uses (staking records too), one definition.
export { asBytes, asList, decodeInt, rlpDecode, rlpEncode } from "./_codec.ts";
export type { RLPInput } from "./_codec.ts";
export { ChainConfig, DEV_CHAIN_CONFIG, MAINNET_LIKE_CHAIN_CONFIG, FEATURES, TOKEN, GWEI, getChainConfigPreset, chainConfigFromJSON } from "./chainConfig.ts";
export type { ChainConfigData, ChainConfigJSON, ChainConfigPreset, ConsensusParams, StakingParams, Feature } from "./chainConfig.ts";
export { BlockError, BlockErrorCode, TransactionError, TransactionErrorCode } from "./errors.ts";
export type { BlockErrorType, TransactionErrorType } from "./errors.ts";
export { Header, createHeader, defaultHeaderData, decodeHeader, headerFromRLP, headerToRLP, COMMIT_SIG_BYTES, MAX_EXTRA_DATA_BYTES, VRF_BYTES } from "./header.ts";
export type { HeaderData } from "./header.ts";
export { Block, createBlock, computeTxRoot, encodeBody, decodeBody, decodeBlock, encodeIncoming, decodeIncoming } from "./block.ts";
export type { DecodeBlockOptions } from "./block.ts";
export {
  createChainCommon, createShardCommon, decodeTransaction, encodeTransaction, transactionHash, isFeeMarketTx, txFeeCap, txTipCap, effectiveGasPrice, EVM_HARDFORK,
} from "./transaction.ts";
export type { SignedTransaction, DecodeTransactionOptions } from "./transaction.ts";
export { transactionSigningHash } from "./signingHash.ts";
export { signFeeMarketTransaction } from "./signTransaction.ts";
export type { FeeMarketFields } from "./signTransaction.ts";
export { computeIntrinsicGas, transactionIntrinsicGas, TX_GAS, TX_CREATE_GAS, MAX_INITCODE_SIZE } from "./intrinsicGas.ts";
export type { IntrinsicGasInput, IntrinsicGasTx } from "./intrinsicGas.ts";
export { createReceipt, encodeReceipt, decodeReceipt } from "./receipt.ts";
export {
  createCxReceipt, encodeCxReceipt, decodeCxReceipt, computeCxReceiptsRoot, encodeCxProof, decodeCxProof, CxError, CxErrorCode,
} from "./cxReceipt.ts";
export type { CxReceipt, IndexedCxReceipt, CxProof, CxErrorType } from "./cxReceipt.ts";
export type { Receipt } from "./receipt.ts";
export type { Log } from "./log.ts";
export { logToRLP, logFromRLP } from "./log.ts";
export { BLOOM_BYTES, createBloom, bloomAdd, bloomContains, bloomOr, computeLogsBloom } from "./bloom.ts";
export {
  createDevGenesis, createGenesisHeader, encodeGenesisShardState, chainConfigHash, genesisAllocOf, genesisFingerprint, DEV_ACCOUNT_BALANCE, BLS_PUBLIC_KEY_BYTES,
} from "./genesis.ts";
export type { GenesisSpec, GenesisAccount, GenesisAlloc, GenesisValidator, DevGenesisOptions } from "./genesis.ts";
export { parseGenesisJSON, genesisToJSON } from "./genesisJSON.ts";
export { DEV_ACCOUNTS, DEV_MNEMONIC } from "./devAccounts.ts";
export { BEACON_SHARD_ID, isBeacon } from "./beacon.ts";
export { MAX_SHARD_SLOTS, decodeShardState, encodeShardState, shardSlots, shardStateFromGenesisCommittees } from "./shardState.ts";
export type { ShardState, ShardStateSlot } from "./shardState.ts";
export type { DevAccount } from "./devAccounts.ts";
