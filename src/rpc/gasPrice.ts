/**
 * Gas price oracle: suggestions from the prices that recent blocks actually included, and
 * eth_feeHistory. Tips are `effectiveGasPrice - baseFee`; a suggestion is never below what the
 * txpool admits (`minGasPrice`), so a transaction priced by it is accepted.
 * @module
 */
import type { RpcBackend, RpcReceipt } from "./backend.ts";
import { RpcErrorCode, rpcError } from "./errors.ts";
import { effectiveGasPrice } from "../core/index.ts";
import { toQuantity } from "./hex.ts";

/** Options of {@link createGasPriceOracle}. */
export interface GasPriceOracleOptions {
  /** How many recent blocks to sample (geth: 20). */
  blocks: number;
  /** Percentile of the sampled tips (geth: 60). */
  percentile: number;
  /** Most blocks eth_feeHistory covers (geth: 1024). */
  maxHistory: number;
}

/** Default oracle options (geth's). */
export const DEFAULT_ORACLE_OPTIONS: Readonly<GasPriceOracleOptions> = Object.freeze({ blocks: 20, percentile: 60, maxHistory: 1024 });

/** Fee facts of one block. */
interface BlockFees {
  baseFee: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  /** Per transaction, ascending by tip. */
  txs: { tip: bigint; gasUsed: bigint }[];
}

/** Result of eth_feeHistory, JSON-ready. */
export interface FeeHistoryJSON {
  oldestBlock: string;
  baseFeePerGas: string[];
  gasUsedRatio: number[];
  reward?: string[][];
}

/** The oracle behind eth_gasPrice, eth_maxPriorityFeePerGas and eth_feeHistory. */
export interface GasPriceOracle {
  /** Suggested priority fee (tip). */
  suggestTip(): Promise<bigint>;
  /** Suggested legacy gas price: next base fee + suggested tip. */
  suggestGasPrice(): Promise<bigint>;
  /**
   * Fee history of `blockCount` blocks ending at `newest`.
   * @throws {RpcError} -32000 when `newest` is beyond the head.
   */
  feeHistory(blockCount: number, newest: bigint, percentiles: number[]): Promise<FeeHistoryJSON>;
}

const CACHE_MAX = 2048;

/** The value at percentile `p` of an ascending list (nearest rank, rounding down). */
export function percentileOf(sorted: readonly bigint[], p: number): bigint {
  if (sorted.length === 0) return 0n;
  const i = Math.min(sorted.length - 1, Math.floor(((sorted.length - 1) * p) / 100));
  return sorted[i] as bigint;
}

/** Create an oracle over `backend`. */
export function createGasPriceOracle(backend: RpcBackend, opts: GasPriceOracleOptions = DEFAULT_ORACLE_OPTIONS): GasPriceOracle {
  // Blocks are final, so a number always names the same block.
  const cache = new Map<bigint, BlockFees>();
  let tipMemo: { head: bigint; tip: Promise<bigint> } | undefined;

  async function blockFees(n: bigint): Promise<BlockFees> {
    const hit = cache.get(n);
    if (hit) return hit;
    const block = await backend.getBlockByNumber(n);
    if (!block) throw rpcError(RpcErrorCode.SERVER_ERROR, `block ${n} not found`);
    const receipts: RpcReceipt[] = block.transactions.length === 0 ? [] : ((await backend.getBlockReceipts(block.header.hash)) ?? []);
    const baseFee = block.header.baseFeePerGas ?? 0n;
    let prev = 0n;
    const txs = block.transactions.map((t, i) => {
      const cumulative = receipts[i]?.cumulativeGasUsed ?? prev;
      const gasUsed = cumulative - prev;
      prev = cumulative;
      const price = effectiveGasPrice(t.tx, baseFee);
      return { tip: price > baseFee ? price - baseFee : 0n, gasUsed };
    });
    txs.sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0));
    const fees = { baseFee, gasUsed: block.header.gasUsed, gasLimit: block.header.gasLimit, txs };
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as bigint);
    cache.set(n, fees);
    return fees;
  }

  async function computeTip(head: bigint): Promise<bigint> {
    const tips: bigint[] = [];
    const first = head - BigInt(opts.blocks) + 1n;
    for (let n = first < 0n ? 0n : first; n <= head; n++) for (const t of (await blockFees(n)).txs) tips.push(t.tip);
    tips.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const floor = backend.minGasPrice() - backend.nextBaseFee();
    const tip = percentileOf(tips, opts.percentile);
    return tip > floor ? tip : floor > 0n ? floor : 0n;
  }

  function rewards(f: BlockFees, percentiles: number[]): string[] {
    if (f.txs.length === 0) return percentiles.map(() => "0x0");
    // geth: walk the tips in ascending order until the gas used reaches the percentile of block gas.
    let i = 0;
    let sum = (f.txs[0] as { gasUsed: bigint }).gasUsed;
    return percentiles.map((p) => {
      const threshold = (f.gasUsed * BigInt(Math.round(p * 1000))) / 100_000n;
      while (sum < threshold && i < f.txs.length - 1) {
        i++;
        sum += (f.txs[i] as { gasUsed: bigint }).gasUsed;
      }
      return toQuantity((f.txs[i] as { tip: bigint }).tip);
    });
  }

  function suggestTip(): Promise<bigint> {
    const head = backend.headNumber();
    if (tipMemo?.head !== head) {
      const tip = computeTip(head);
      tipMemo = { head, tip };
      // A failed computation is not remembered; the caller still sees its error.
      tip.catch(() => {
        if (tipMemo?.tip === tip) tipMemo = undefined;
      });
    }
    return tipMemo.tip;
  }

  return {
    suggestTip,
    async suggestGasPrice() {
      return backend.nextBaseFee() + (await suggestTip());
    },
    async feeHistory(blockCount, newest, percentiles) {
      const head = backend.headNumber();
      if (newest > head) throw rpcError(RpcErrorCode.SERVER_ERROR, `request beyond head block: requested ${newest}, head ${head}`);
      const count = BigInt(Math.min(blockCount, opts.maxHistory));
      if (count === 0n) return { oldestBlock: "0x0", baseFeePerGas: [], gasUsedRatio: [] };
      const oldest = newest - count + 1n < 0n ? 0n : newest - count + 1n;
      const baseFeePerGas: string[] = [];
      const gasUsedRatio: number[] = [];
      const reward: string[][] = [];
      for (let n = oldest; n <= newest; n++) {
        const f = await blockFees(n);
        baseFeePerGas.push(toQuantity(f.baseFee));
        gasUsedRatio.push(f.gasLimit === 0n ? 0 : Number(f.gasUsed) / Number(f.gasLimit));
        if (percentiles.length > 0) reward.push(rewards(f, percentiles));
      }
      const next = newest === head ? backend.nextBaseFee() : (await blockFees(newest + 1n)).baseFee;
      baseFeePerGas.push(toQuantity(next));
      const out: FeeHistoryJSON = { oldestBlock: toQuantity(oldest), baseFeePerGas, gasUsedRatio };
      if (percentiles.length > 0) out.reward = reward;
      return out;
    },
  };
}
