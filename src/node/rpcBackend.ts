/**
 * The node's implementation of the RPC layer's {@link RpcBackend}: reads from the chain and its state,
 * calls through execution, submissions through the txpool. Only adapts shapes; no logic of its own.
 */
import type { Block, Header } from "../core/index.ts";
import type { Chain, LogEntry } from "../chain/index.ts";
import type { TxPool, PoolTx } from "../txpool/index.ts";
import type {
  RpcAccountProof,
  RpcBackend,
  RpcBlock,
  RpcCallOptions,
  RpcCallRequest,
  RpcCallResult,
  RpcHeader,
  RpcLogEntry,
  RpcLogQuery,
  RpcReceipt,
  RpcSyncStatus,
  RpcTransaction,
  RpcTxLocation,
  RpcTxPoolBackend,
} from "../rpc/index.ts";
import { hexToBytes } from "../util/bytes.ts";
import type { CallParams, CallResult } from "../execution/index.ts";
import { RpcErrorCode, rpcError } from "../rpc/index.ts";
import type { CallPool } from "./callPool.ts";
import { NodeCallError, NodeCallErrorCode } from "./errors.ts";
import { createDebugRpcBackend } from "./debugBackend.ts";
import { createAccessListRunner } from "./accessListBackend.ts";
import { getBlockSigners } from "./blockSigners.ts";
import { PROTOCOL_VERSION } from "../p2p/index.ts";

const NONCE_ZERO = new Uint8Array(8);

/** What the backend needs besides chain and pool: peer count and sync progress come from p2p/sync. */
export interface NodeStatusSource {
  peerCount(): number;
  syncStatus(): RpcSyncStatus;
}

/** Header → the RPC's header shape. */
export function headerToRpc(h: Header): RpcHeader {
  return {
    hash: h.hash,
    parentHash: h.parentHash,
    number: h.number,
    timestamp: h.timestamp,
    miner: h.coinbase,
    stateRoot: h.stateRoot,
    transactionsRoot: h.txRoot,
    receiptsRoot: h.receiptsRoot,
    logsBloom: h.logsBloom,
    extraData: h.extraData,
    mixHash: h.mixHash,
    nonce: NONCE_ZERO,
    difficulty: 0n,
    gasLimit: h.gasLimit,
    gasUsed: h.gasUsed,
    baseFeePerGas: h.baseFeePerGas,
    shardId: h.shardId,
    epoch: h.epoch,
    viewId: h.viewId,
    lastCommitSig: h.lastCommitSig,
    lastCommitBitmap: h.lastCommitBitmap,
    vrf: h.vrf,
    crossLinks: h.crossLinks,
    encoded: h.encoded,
  };
}

function logToRpc(l: LogEntry): RpcLogEntry {
  return {
    address: l.address,
    topics: [...l.topics],
    data: l.data,
    blockNumber: l.blockNumber,
    blockHash: l.blockHash,
    transactionHash: l.transactionHash,
    transactionIndex: l.transactionIndex,
    logIndex: l.logIndex,
  };
}

function withFees(fees: { burnt: bigint; cumulativeBurnt: bigint } | undefined): { fees?: { burnt: bigint; cumulativeBurnt: bigint } } {
  return fees === undefined ? {} : { fees };
}

function poolTxToRpc(p: PoolTx): RpcTransaction {
  return { tx: p.tx, hash: hexToBytes(p.hash), sender: hexToBytes(p.sender) };
}

/** The pool as the RPC's `txpool_` namespace reads it. */
export function createTxPoolRpcBackend(pool: TxPool): RpcTxPoolBackend {
  return {
    status: () => pool.status(),
    content: () => {
      const c = pool.content();
      return { pending: Object.values(c.pending).flat().map(poolTxToRpc), queued: Object.values(c.queued).flat().map(poolTxToRpc) };
    },
  };
}

async function runOnPool(calls: CallPool, setup: ReturnType<Chain["callSetup"]>, params: CallParams): Promise<CallResult> {
  try {
    return await calls.call(setup.stateRoot, params, setup.opts);
  } catch (e) {
    if (e instanceof NodeCallError && e.type.code === NodeCallErrorCode.QUEUE_FULL) throw rpcError(RpcErrorCode.LIMIT_EXCEEDED, e.message);
    throw e;
  }
}

/**
 * Create the RPC backend over a chain and a txpool. With `callPool`, eth_call and eth_estimateGas run
 * on its workers (the chain's own thread, time-sliced, when it has none); with `debug`, the backend
 * serves the `debug_` tracing methods (on the same workers).
 */
export function createRpcBackend(chain: Chain, pool: TxPool, status: NodeStatusSource, opts: { callPool?: CallPool; debug?: boolean; coinbase?: Uint8Array } = {}): RpcBackend {
  const callPool = opts.callPool;
  const coinbase = opts.coinbase;
  const config = chain.config;
  const chainId = config.chainId(chain.shardId);

  const blockToRpc = (b: Block): RpcBlock => {
    const senders = chain.getSenders(b.hash) ?? [];
    const encoded = b.encode();
    return {
      header: headerToRpc(b.header),
      transactions: b.transactions.map((tx, i) => ({ tx, hash: tx.hash(), sender: senders[i] ?? tx.getSenderAddress().bytes })),
      size: BigInt(encoded.length),
      encoded,
      ...withFees(chain.getBurntFees(b.hash)),
    };
  };
  const headerAt = (n: bigint) => chain.getHeaderByNumber(n);
  const stateAt = (n: bigint) => chain.stateAt(n);

  return {
    chainId: () => chainId,
    networkId: () => BigInt(config.networkId),
    headNumber: () => chain.head.number,
    syncStatus: () => status.syncStatus(),
    peerCount: () => status.peerCount(),
    minGasPrice: () => config.minGasPrice,
    protocolVersion: () => PROTOCOL_VERSION,
    nextBaseFee: () => config.nextBaseFee(chain.head),

    getHeaderByNumber: async (n) => {
      const h = headerAt(n);
      return h && headerToRpc(h);
    },
    getHeaderByHash: async (hash) => {
      const h = chain.getHeaderByHash(hash);
      return h && headerToRpc(h);
    },
    getBlockByNumber: async (n) => {
      const b = chain.getBlockByNumber(n);
      return b && blockToRpc(b);
    },
    getBlockByHash: async (hash) => {
      const b = chain.getBlockByHash(hash);
      return b && blockToRpc(b);
    },
    getBlockReceipts: async (hash): Promise<RpcReceipt[] | undefined> =>
      chain.getReceipts(hash)?.map((r) => ({ status: r.status, cumulativeGasUsed: r.cumulativeGasUsed, logsBloom: r.logsBloom, logs: r.logs.map((l) => ({ address: l.address, topics: [...l.topics], data: l.data })) })),
    getTransactionLocation: async (txHash): Promise<RpcTxLocation | undefined> => {
      const t = chain.getTransaction(txHash);
      return t && { blockHash: t.blockHash, blockNumber: t.blockNumber, index: t.index };
    },
    getPendingTransaction: (txHash) => {
      const p = pool.get(txHash);
      return p && poolTxToRpc(p);
    },
    getLogs: async (q: RpcLogQuery) => chain.getLogs(q).map(logToRpc),

    getBalance: async (a, n) => stateAt(n).getBalance(a),
    getNonce: async (a, n) => stateAt(n).getNonce(a),
    getPendingNonce: async (a) => pool.getPendingNonce(a) ?? chain.stateAt().getNonce(a),
    getCode: async (a, n) => stateAt(n).getCode(a),
    getStorageAt: async (a, slot, n) => stateAt(n).getStorage(a, slot),
    getProof: async (a, slots, n): Promise<RpcAccountProof> => {
      const p = stateAt(n).getProof(a, slots);
      return {
        balance: p.balance,
        nonce: p.nonce,
        codeHash: p.codeHash,
        storageHash: p.storageHash,
        accountProof: p.accountProof,
        storageProof: p.storageProof,
      };
    },

    call: async (req: RpcCallRequest, opts: RpcCallOptions): Promise<RpcCallResult> => {
      const block = headerAt(opts.blockNumber);
      const params = { ...req, gas: opts.gasLimit };
      const o = {
        ...(block ? { block } : {}),
        stateOverrides: opts.overrides,
        gasCap: opts.gasLimit,
        // The executor stops at the RPC's deadline (a batch's, or this call's timeout).
        ...(opts.deadline !== undefined ? { timeoutMs: Math.max(1, opts.deadline - Date.now()) } : {}),
      };
      const r = await (callPool?.usable() ? runOnPool(callPool, chain.callSetup(o), params) : chain.call(params, o));
      return {
        success: r.success,
        returnData: r.returnData,
        gasUsed: r.gasUsed,
        ...(r.revertData !== undefined || r.error === "revert" ? { revertData: r.revertData ?? new Uint8Array(0) } : {}),
        ...(r.error !== undefined && r.error !== "revert" ? { error: r.error } : {}),
      };
    },
    sendRawTransaction: async (raw) => hexToBytes((await pool.add(raw)).hash),

    onNewHead: (cb) => chain.on("head", (h) => cb(headerToRpc(h))),
    onLogs: (cb) => chain.on("block", (b) => cb(b.logs.map(logToRpc))),
    onPendingTx: (cb) => pool.onPending((p) => cb(poolTxToRpc(p))),
    txpool: createTxPoolRpcBackend(pool),
    ...(opts.debug === true ? { debug: createDebugRpcBackend(chain, callPool) } : {}),
    createAccessList: createAccessListRunner(chain, callPool),
    ...(coinbase ? { coinbase: () => coinbase } : {}),
    // The chain keeps a history index only when opened with txHistory (--rpc-tx-history).
    ...(chain.addressHistory ? { txHistory: chain.addressHistory } : {}),
    blockSigners: async (n) => getBlockSigners(chain, n),
  };
}
