/**
 * An in-memory test double of RpcBackend: a small chain of blocks built in the test from real signed
 * transactions (@ethereumjs/tx), per-block state snapshots, a pool, and a scripted call primitive
 * whose gas and revert behaviour per target address is fixed below. The real chain is exercised by
 * the end-to-end tests.
 */
import { createCustomCommon, Mainnet, type Common } from "@ethereumjs/common";
import { RLP } from "@ethereumjs/rlp";
import { createTx, createTxFromRLP, type TypedTransaction, type TypedTxData } from "@ethereumjs/tx";
import { keccak256 } from "../../../src/crypto/hash.ts";
import { privateKeyToAddress } from "../../../src/crypto/address.ts";
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
} from "../../../src/rpc/backend.ts";
import { createdContractAddress } from "../../../src/rpc/formatReceipt.ts";
import { bigIntToBytes, hexToBytesUnchecked, toData } from "../../../src/rpc/hex.ts";
import { NodeError } from "../../../src/util/errors.ts";

export const CHAIN_ID = 31337n;
export const GWEI = 1_000_000_000n;
export const ETHER = 10n ** 18n;

/** Hardhat/Anvil development keys 0 and 1. */
export const KEYS = [
  hexToBytesUnchecked("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
  hexToBytesUnchecked("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
] as const;
export const ALICE = privateKeyToAddress(KEYS[0]);
export const BOB = privateKeyToAddress(KEYS[1]);

const addr = (n: number) => bigIntToBytes(BigInt(n), 20);
/** Scripted call targets. */
export const TARGET = {
  token: addr(0x1001),
  reverter: addr(0x1002),
  needy: addr(0x1003),
  panic: addr(0x1004),
  badop: addr(0x1005),
  slow: addr(0x1006),
  throws: addr(0x1007),
  echoOverride: addr(0x1008),
  bareRevert: addr(0x1009),
};
/** Gas limit at which the `needy` call starts to succeed, and what it then reports as used. */
export const NEEDY_GAS = 53_123n;
export const NEEDY_USED = 50_000n;
export const REVERT_REASON = "not enough tokens";
export const TRANSFER_TOPIC = keccak256(new TextEncoder().encode("Transfer(address,address,uint256)"));

/** ABI encoding of Error(string). */
export function encodeErrorString(reason: string): Uint8Array {
  const s = new TextEncoder().encode(reason);
  const padded = new Uint8Array(Math.ceil(s.length / 32) * 32);
  padded.set(s);
  return new Uint8Array([...hexToBytesUnchecked("0x08c379a0"), ...bigIntToBytes(32n, 32), ...bigIntToBytes(BigInt(s.length), 32), ...padded]);
}

type Account = { balance: bigint; nonce: bigint; code: Uint8Array; storage: Map<string, Uint8Array> };
type State = Map<string, Account>;

function cloneState(s: State): State {
  const out: State = new Map();
  for (const [k, a] of s) out.set(k, { ...a, storage: new Map(a.storage) });
  return out;
}

function bloomOf(logs: { address: Uint8Array; topics: Uint8Array[] }[]): Uint8Array {
  const bloom = new Uint8Array(256);
  const add = (v: Uint8Array) => {
    const h = keccak256(v);
    for (let i = 0; i < 6; i += 2) {
      const bit = (((h[i] as number) << 8) | (h[i + 1] as number)) & 2047;
      bloom[255 - (bit >> 3)] = (bloom[255 - (bit >> 3)] as number) | (1 << (bit & 7));
    }
  };
  for (const l of logs) {
    add(l.address);
    for (const t of l.topics) add(t);
  }
  return bloom;
}

function pad32(a: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(a, 32 - a.length);
  return out;
}

/** The test chain. */
export class TestChain implements RpcBackend {
  readonly common: Common = createCustomCommon({ chainId: Number(CHAIN_ID) }, Mainnet, { hardfork: "cancun" });
  blocks: RpcBlock[] = [];
  receipts = new Map<string, RpcReceipt[]>();
  states: State[] = [];
  locations = new Map<string, RpcTxLocation>();
  pool = new Map<string, RpcTransaction>();
  calls: { request: RpcCallRequest; opts: RpcCallOptions }[] = [];
  sync: RpcSyncStatus = { syncing: false, startingBlock: 0n, currentBlock: 0n, highestBlock: 0n };
  baseFee = 0n;
  minPrice = GWEI;
  private heads = new Set<(h: RpcHeader) => void>();
  private logSubs = new Set<(l: RpcLogEntry[]) => void>();
  private pendingSubs = new Set<(t: RpcTransaction) => void>();

  constructor() {
    const genesis: State = new Map();
    for (const a of [ALICE, BOB]) genesis.set(toData(a), { balance: 1000n * ETHER, nonce: 0n, code: new Uint8Array(), storage: new Map() });
    genesis.set(toData(TARGET.token), { balance: 0n, nonce: 1n, code: hexToBytesUnchecked("0x6080604052"), storage: new Map() });
    this.states.push(genesis);
    this.pushBlock([], []);
  }

  // --- building blocks -------------------------------------------------------------------------

  /** Sign a transaction from key `k` (0 = ALICE, 1 = BOB); `type` 0, 1 or 2. */
  signTx(k: 0 | 1, fields: { type?: number; to?: Uint8Array; value?: bigint; data?: Uint8Array; nonce?: bigint; gasLimit?: bigint; gasPrice?: bigint; chainId?: bigint; tip?: bigint }): TypedTransaction {
    const type = fields.type ?? 2;
    const from = k === 0 ? ALICE : BOB;
    const nonce = fields.nonce ?? this.pendingNonceOf(from);
    const base = {
      type,
      nonce,
      to: fields.to,
      value: fields.value ?? 0n,
      data: fields.data ?? new Uint8Array(),
      gasLimit: fields.gasLimit ?? 100_000n,
      chainId: fields.chainId ?? CHAIN_ID,
    };
    const fees = type === 2
      ? { maxFeePerGas: fields.gasPrice ?? 3n * GWEI, maxPriorityFeePerGas: fields.tip ?? 2n * GWEI }
      : { gasPrice: fields.gasPrice ?? 2n * GWEI };
    const accessList = type === 0 ? {} : { accessList: [{ address: toData(TARGET.token), storageKeys: [toData(new Uint8Array(32))] }] };
    const common = fields.chainId && fields.chainId !== CHAIN_ID ? createCustomCommon({ chainId: Number(fields.chainId) }, Mainnet, { hardfork: "cancun" }) : this.common;
    return createTx({ ...base, ...fees, ...accessList } as TypedTxData, { common }).sign(KEYS[k]);
  }

  private pendingNonceOf(a: Uint8Array): bigint {
    let n = this.stateAt(this.headNumber()).get(toData(a))?.nonce ?? 0n;
    for (const t of this.pool.values()) if (toData(t.sender) === toData(a) && t.tx.nonce >= n) n = t.tx.nonce + 1n;
    return n;
  }

  private stateAt(n: bigint): State {
    const s = this.states[Number(n)];
    if (!s) throw new NodeError({ code: "STATE_UNAVAILABLE" }, `missing state of block ${n}`);
    return s;
  }

  private pushBlock(txs: RpcTransaction[], receipts: RpcReceipt[]): RpcBlock {
    const number = BigInt(this.blocks.length);
    const parent = this.blocks[this.blocks.length - 1];
    const parentHash = parent ? parent.header.hash : new Uint8Array(32);
    const timestamp = 1_700_000_000n + number;
    const gasUsed = receipts.length ? (receipts[receipts.length - 1] as RpcReceipt).cumulativeGasUsed : 0n;
    const hash = keccak256(RLP.encode([bigIntToBytes(number, 8), parentHash, bigIntToBytes(timestamp, 8), ...txs.map((t) => t.hash)]));
    const header: RpcHeader = {
      hash,
      parentHash,
      number,
      timestamp,
      miner: ALICE,
      stateRoot: keccak256(new Uint8Array([1, ...bigIntToBytes(number, 8)])),
      transactionsRoot: keccak256(RLP.encode(txs.map((t) => t.tx.serialize()))),
      receiptsRoot: keccak256(new Uint8Array([2, ...bigIntToBytes(number, 8)])),
      logsBloom: bloomOf(receipts.flatMap((r) => r.logs)),
      extraData: new Uint8Array([0x68, 0x6d, 0x79]),
      mixHash: new Uint8Array(32),
      nonce: new Uint8Array(8),
      difficulty: 0n,
      gasLimit: 30_000_000n,
      gasUsed,
      baseFeePerGas: this.baseFee,
      shardId: 0,
      epoch: number / 32n,
      viewId: number,
    };
    const block: RpcBlock = { header, transactions: txs, size: BigInt(600 + txs.reduce((s, t) => s + t.tx.serialize().length, 0)) };
    this.blocks.push(block);
    this.receipts.set(toData(hash), receipts);
    txs.forEach((t, index) => this.locations.set(toData(t.hash), { blockHash: hash, blockNumber: number, index }));
    return block;
  }

  /** Include every pooled transaction in a new block and announce it. */
  mine(): RpcBlock {
    const state = cloneState(this.stateAt(this.headNumber()));
    const txs = [...this.pool.values()].sort((a, b) => (a.tx.nonce < b.tx.nonce ? -1 : 1));
    this.pool.clear();
    const receipts: RpcReceipt[] = [];
    let cumulative = 0n;
    for (const t of txs) {
      const sender = state.get(toData(t.sender)) as Account;
      const to = t.tx.to?.bytes;
      const isToken = to && toData(to) === toData(TARGET.token);
      const gasUsed = to === undefined ? 100_000n : isToken ? 50_000n : 21_000n;
      const price = t.tx.type >= 2 ? this.baseFee + (t.tx as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas : (t.tx as { gasPrice: bigint }).gasPrice;
      sender.balance -= t.tx.value + gasUsed * price;
      sender.nonce += 1n;
      if (to) {
        const r = state.get(toData(to)) ?? { balance: 0n, nonce: 0n, code: new Uint8Array(), storage: new Map() };
        r.balance += t.tx.value;
        state.set(toData(to), r);
      } else {
        state.set(toData(createdContractAddress(t.sender, t.tx.nonce)), { balance: 0n, nonce: 1n, code: t.tx.data, storage: new Map() });
      }
      cumulative += gasUsed;
      const logs = isToken
        ? [{ address: TARGET.token, topics: [TRANSFER_TOPIC, pad32(t.sender), pad32(t.tx.data.subarray(0, 20))], data: bigIntToBytes(t.tx.value + 1n, 32) }]
        : [];
      receipts.push({ status: 1, cumulativeGasUsed: cumulative, logsBloom: bloomOf(logs), logs });
    }
    this.states.push(state);
    const block = this.pushBlock(txs, receipts);
    for (const h of [...this.heads]) h(block.header);
    const entries = this.logsOf(block);
    for (const l of [...this.logSubs]) l(entries);
    return block;
  }

  /** Announce logs directly (for flooding subscribers). */
  emitLogs(entries: RpcLogEntry[]): void {
    for (const l of [...this.logSubs]) l(entries);
  }

  private logsOf(block: RpcBlock): RpcLogEntry[] {
    const out: RpcLogEntry[] = [];
    const receipts = this.receipts.get(toData(block.header.hash)) ?? [];
    receipts.forEach((r, i) => {
      for (const l of r.logs) {
        out.push({ ...l, blockNumber: block.header.number, blockHash: block.header.hash, transactionHash: (block.transactions[i] as RpcTransaction).hash, transactionIndex: i, logIndex: out.length });
      }
    });
    return out;
  }

  // --- RpcBackend ------------------------------------------------------------------------------

  chainId = () => CHAIN_ID;
  networkId = () => CHAIN_ID;
  headNumber = () => BigInt(this.blocks.length - 1);
  syncStatus = () => this.sync;
  peerCount = () => 3;
  minGasPrice = () => this.minPrice;
  nextBaseFee = () => this.baseFee;

  getHeaderByNumber = async (n: bigint) => this.blocks[Number(n)]?.header;
  getHeaderByHash = async (h: Uint8Array) => this.blocks.find((b) => toData(b.header.hash) === toData(h))?.header;
  getBlockByNumber = async (n: bigint) => this.blocks[Number(n)];
  getBlockByHash = async (h: Uint8Array) => this.blocks.find((b) => toData(b.header.hash) === toData(h));
  getBlockReceipts = async (h: Uint8Array) => this.receipts.get(toData(h));
  getTransactionLocation = async (h: Uint8Array) => this.locations.get(toData(h));
  getPendingTransaction = (h: Uint8Array) => this.pool.get(toData(h));

  async getLogs(q: RpcLogQuery): Promise<RpcLogEntry[]> {
    const out: RpcLogEntry[] = [];
    const addrs = new Set(q.addresses.map(toData));
    for (let n = q.fromBlock; n <= q.toBlock && n < BigInt(this.blocks.length); n++) {
      for (const l of this.logsOf(this.blocks[Number(n)] as RpcBlock)) {
        if (addrs.size && !addrs.has(toData(l.address))) continue;
        if (q.topics.some((alts, i) => alts !== null && !alts.some((t) => l.topics[i] && toData(t) === toData(l.topics[i] as Uint8Array)))) continue;
        out.push(l);
        if (out.length >= q.limit) return out;
      }
    }
    return out;
  }

  getBalance = async (a: Uint8Array, n: bigint) => this.stateAt(n).get(toData(a))?.balance ?? 0n;
  getNonce = async (a: Uint8Array, n: bigint) => this.stateAt(n).get(toData(a))?.nonce ?? 0n;
  getPendingNonce = async (a: Uint8Array) => this.pendingNonceOf(a);
  getCode = async (a: Uint8Array, n: bigint) => this.stateAt(n).get(toData(a))?.code ?? new Uint8Array();
  getStorageAt = async (a: Uint8Array, slot: Uint8Array, n: bigint) =>
    this.stateAt(n).get(toData(a))?.storage.get(toData(slot)) ?? new Uint8Array(32);

  async getProof(a: Uint8Array, slots: Uint8Array[], n: bigint): Promise<RpcAccountProof> {
    const acct = this.stateAt(n).get(toData(a));
    return {
      balance: acct?.balance ?? 0n,
      nonce: acct?.nonce ?? 0n,
      codeHash: keccak256(acct?.code ?? new Uint8Array()),
      storageHash: keccak256(new Uint8Array([0x80])),
      accountProof: [RLP.encode([a, bigIntToBytes(acct?.balance ?? 0n, 32)])],
      storageProof: slots.map((key) => ({ key, value: 0n, proof: [] })),
    };
  }

  async call(request: RpcCallRequest, opts: RpcCallOptions): Promise<RpcCallResult> {
    this.calls.push({ request, opts });
    const state = this.stateAt(opts.blockNumber);
    const from = request.from ? state.get(toData(request.from)) : undefined;
    if ((request.value ?? 0n) > (from?.balance ?? 0n) && (request.value ?? 0n) > 0n) {
      throw new NodeError({ code: "INSUFFICIENT_FUNDS" }, "insufficient funds for gas * price + value");
    }
    const g = opts.gasLimit;
    const oog = (): RpcCallResult => ({ success: false, returnData: new Uint8Array(), gasUsed: g, error: "out of gas" });
    const to = request.to ? toData(request.to) : undefined;
    const data = request.data ?? new Uint8Array();
    const intrinsic = 21_000n + data.reduce((s, b) => s + (b === 0 ? 4n : 16n), 0n);
    if (g < intrinsic) return oog();
    switch (to) {
      case undefined:
        return g >= 60_000n ? { success: true, returnData: new Uint8Array(), gasUsed: 60_000n } : oog();
      case toData(TARGET.reverter): {
        if (g < 22_000n) return oog();
        const r = encodeErrorString(REVERT_REASON);
        return { success: false, returnData: r, revertData: r, gasUsed: 22_000n };
      }
      case toData(TARGET.bareRevert):
        return { success: false, returnData: new Uint8Array(), revertData: new Uint8Array(), gasUsed: 21_100n };
      case toData(TARGET.panic): {
        const r = new Uint8Array([...hexToBytesUnchecked("0x4e487b71"), ...bigIntToBytes(0x11n, 32)]);
        return { success: false, returnData: r, revertData: r, gasUsed: 21_500n };
      }
      case toData(TARGET.needy):
        return g >= NEEDY_GAS ? { success: true, returnData: bigIntToBytes(42n, 32), gasUsed: NEEDY_USED } : oog();
      case toData(TARGET.badop):
        return { success: false, returnData: new Uint8Array(), gasUsed: g, error: "invalid opcode: INVALID" };
      case toData(TARGET.slow):
        await new Promise<void>((resolve) => opts.signal.addEventListener("abort", () => resolve(), { once: true }));
        throw new Error("aborted by signal");
      case toData(TARGET.throws):
        throw new Error("secret internal detail /home/node/db.ts:42");
      case toData(TARGET.echoOverride): {
        const ov = opts.overrides.find((o) => toData(o.address) === to);
        return { success: true, returnData: ov?.code ?? new Uint8Array(), gasUsed: 21_000n };
      }
      case toData(TARGET.token):
        return { success: true, returnData: bigIntToBytes(from?.balance ?? 0n, 32), gasUsed: 23_000n };
      default:
        return { success: true, returnData: new Uint8Array(), gasUsed: intrinsic };
    }
  }

  async sendRawTransaction(raw: Uint8Array): Promise<Uint8Array> {
    let tx: TypedTransaction;
    try {
      tx = createTxFromRLP(raw, { common: this.common });
    } catch (e) {
      const m = (e as Error).message;
      if (/chain ?id/i.test(m)) throw new NodeError({ code: "TX_WRONG_CHAIN" }, "invalid chain id for signer");
      throw new NodeError({ code: "TX_DECODE" }, `invalid transaction: ${m.split("\n")[0]}`);
    }
    if (!tx.isSigned() || !tx.verifySignature()) throw new NodeError({ code: "TX_INVALID_SENDER" }, "invalid sender");
    const sender = tx.getSenderAddress().bytes;
    const t: RpcTransaction = { tx: tx as RpcTransaction["tx"], hash: tx.hash(), sender };
    const acct = this.stateAt(this.headNumber()).get(toData(sender));
    const nonce = acct?.nonce ?? 0n;
    if (tx.nonce < nonce) throw new NodeError({ code: "TX_NONCE_TOO_LOW" }, `nonce too low: next nonce ${nonce}, tx nonce ${tx.nonce}`);
    const price = tx.type >= 2 ? (tx as { maxFeePerGas: bigint }).maxFeePerGas : (tx as { gasPrice: bigint }).gasPrice;
    if (price < this.minPrice) throw new NodeError({ code: "TX_UNDERPRICED" }, `transaction underpriced: gas price ${price}, minimum ${this.minPrice}`);
    if ((acct?.balance ?? 0n) < tx.value + tx.gasLimit * price) throw new NodeError({ code: "TX_INSUFFICIENT_FUNDS" }, "insufficient funds for gas * price + value");
    this.pool.set(toData(t.hash), t);
    for (const cb of [...this.pendingSubs]) cb(t);
    return t.hash;
  }

  onNewHead(cb: (h: RpcHeader) => void) {
    this.heads.add(cb);
    return () => void this.heads.delete(cb);
  }
  onLogs(cb: (l: RpcLogEntry[]) => void) {
    this.logSubs.add(cb);
    return () => void this.logSubs.delete(cb);
  }
  onPendingTx(cb: (t: RpcTransaction) => void) {
    this.pendingSubs.add(cb);
    return () => void this.pendingSubs.delete(cb);
  }
  /** Number of backend listeners (all three kinds). */
  listenerCount(): number {
    return this.heads.size + this.logSubs.size + this.pendingSubs.size;
  }
}
