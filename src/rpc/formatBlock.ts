/**
 * Header and block JSON in the standard Ethereum shape (geth's `RPCMarshalHeader`/`RPCMarshalBlock`),
 * plus Harmony's shardID/epoch/viewID and the parent's lastCommitSig/lastCommitBitmap when the header has them,
 * and on blocks the fees burnt by the block (`burntFees`) and since genesis (`totalBurntFees`).
 * @module
 */
import type { RpcBlock, RpcHeader } from "./backend.ts";
import { formatTransaction } from "./formatTx.ts";
import { toChecksumAddress, toData, toQuantity } from "./hex.ts";

/** keccak256(rlp([])): the uncle hash of a block without uncles (this chain never has any). */
export const EMPTY_UNCLE_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/** Header JSON, also the payload of `newHeads` notifications. */
export function formatHeader(h: RpcHeader): Record<string, unknown> {
  const out: Record<string, unknown> = {
    baseFeePerGas: toQuantity(h.baseFeePerGas ?? 0n),
    difficulty: toQuantity(h.difficulty),
    extraData: toData(h.extraData),
    gasLimit: toQuantity(h.gasLimit),
    gasUsed: toQuantity(h.gasUsed),
    hash: toData(h.hash),
    logsBloom: toData(h.logsBloom),
    miner: toChecksumAddress(h.miner),
    mixHash: toData(h.mixHash),
    nonce: toData(h.nonce),
    number: toQuantity(h.number),
    parentHash: toData(h.parentHash),
    receiptsRoot: toData(h.receiptsRoot),
    sha3Uncles: EMPTY_UNCLE_HASH,
    stateRoot: toData(h.stateRoot),
    timestamp: toQuantity(h.timestamp),
    transactionsRoot: toData(h.transactionsRoot),
  };
  if (h.withdrawalsRoot) out.withdrawalsRoot = toData(h.withdrawalsRoot);
  if (h.blobGasUsed !== undefined) out.blobGasUsed = toQuantity(h.blobGasUsed);
  if (h.excessBlobGas !== undefined) out.excessBlobGas = toQuantity(h.excessBlobGas);
  if (h.parentBeaconBlockRoot) out.parentBeaconBlockRoot = toData(h.parentBeaconBlockRoot);
  if (h.shardId !== undefined) out.shardID = h.shardId;
  if (h.epoch !== undefined) out.epoch = toQuantity(h.epoch);
  if (h.viewId !== undefined) out.viewID = toQuantity(h.viewId);
  if (h.lastCommitSig) out.lastCommitSig = toData(h.lastCommitSig);
  if (h.lastCommitBitmap) out.lastCommitBitmap = toData(h.lastCommitBitmap);
  return out;
}

/** Block JSON with transaction hashes, or full transaction objects when `fullTx`. */
export function formatBlock(block: RpcBlock, fullTx: boolean): Record<string, unknown> {
  const h = block.header;
  const baseFeePerGas = h.baseFeePerGas ?? 0n;
  const out = formatHeader(h);
  out.size = toQuantity(block.size);
  out.totalDifficulty = "0x0";
  out.transactions = block.transactions.map((t, index) =>
    fullTx ? formatTransaction(t, { blockHash: h.hash, blockNumber: h.number, index, baseFeePerGas }) : toData(t.hash),
  );
  out.uncles = [];
  if (block.fees) {
    out.burntFees = toQuantity(block.fees.burnt);
    out.totalBurntFees = toQuantity(block.fees.cumulativeBurnt);
  }
  return out;
}
